/**
 * `npm run deploy -- --stage dev [--skip-tests] [--dry-run] [-c key=value …]`: the tests, the build,
 * `cdk deploy` of that stage, then what to do next with the deployed addresses filled in (a Slack
 * manifest ready to paste, the commands that put each secret). Needs AWS credentials, and `cdk
 * bootstrap` once per account and region.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parameterPrefix, SECRET_PARAMETERS, type SecretName } from '../lambda/parameters';
import { ConfigError, STAGES, type Stage } from './config';

export interface DeployPlan {
  stage: Stage;
  outputsFile: string;
  manifestFile: string;
  commands: string[][];
}

export function deployPlan(argv: string[]): DeployPlan & { dryRun: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string' },
      'skip-tests': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      context: { type: 'string', short: 'c', multiple: true, default: [] },
    },
    strict: true,
  });
  const stage = values.stage;
  if (!stage) throw new ConfigError(`say which stage to deploy: --stage ${STAGES.join(' or --stage ')}`);
  if (!(STAGES as readonly string[]).includes(stage))
    throw new ConfigError(`--stage "${stage}" is not one of ${STAGES.join(', ')}`);
  for (const pair of values.context)
    if (!/^[\w:-]+=/.test(pair)) throw new ConfigError(`-c "${pair}" is not key=value`);
  const outputsFile = `dist/cdk-outputs.${stage}.json`;
  const commands = [
    ...(values['skip-tests'] ? [] : [['npm', 'test']]),
    ['node', 'scripts/build.mjs'],
    [
      'npx',
      'cdk',
      'deploy',
      `Tierwise-${stage}`,
      // The bundle was just built: the app itself, without cdk.json's build step.
      '--app',
      'node dist/infra.js',
      '-c',
      `stage=${stage}`,
      ...values.context.flatMap((pair) => ['-c', pair]),
      '--require-approval',
      'broadening',
      '--outputs-file',
      outputsFile,
    ],
  ];
  return {
    stage: stage as Stage,
    outputsFile,
    manifestFile: `dist/slack-manifest.${stage}.yaml`,
    commands,
    dryRun: values['dry-run'],
  };
}

/** The manifest with every placeholder replaced by the deployed Function URL (which ends with a slash). */
export function manifestFor(template: string, functionUrl: string): string {
  const base = functionUrl.endsWith('/') ? functionUrl : `${functionUrl}/`;
  return template.replaceAll('https://YOUR-FUNCTION-URL/', base);
}

const PUT_HINTS: Record<SecretName, string> = {
  slackSigningSecret: 'Slack app → Basic Information → Signing Secret',
  slackBotToken: 'one workspace: Slack app → OAuth & Permissions → Bot User OAuth Token (xoxb-…)',
  slackClientId: 'many workspaces: Slack app → Basic Information → Client ID',
  slackClientSecret: 'many workspaces: Slack app → Basic Information → Client Secret',
  googleClientIds: 'Apps Script project → Project Settings → the OAuth client id(s), comma-separated',
};

/** What to do after the first deploy, with this stage's names and addresses. */
export function nextSteps(stage: Stage, outputs: Record<string, string>, manifestFile: string): string {
  const url = outputs.FunctionUrl;
  const puts = (Object.keys(SECRET_PARAMETERS) as SecretName[]).map(
    (name) =>
      `  # ${PUT_HINTS[name]}\n  aws ssm put-parameter --overwrite --type SecureString ` +
      `--name ${parameterPrefix(stage)}${SECRET_PARAMETERS[name].parameter} --value '…'`,
  );
  return [
    `Tierwise-${stage} is deployed.`,
    `  Function URL:  ${url}`,
    `  Table:         ${outputs.TableName}`,
    '',
    `1. Slack app: paste ${manifestFile} at api.slack.com/apps → Create New App → From an app manifest.`,
    '2. Secrets (once each; the function reads them at run time, a change is seen within 5 minutes):',
    ...puts,
    `3. Install: one workspace → "Install to Workspace" in the Slack app settings;`,
    `   many workspaces → turn on Manage Distribution, then open ${outputs.SlackInstallUrl}`,
    `4. Organisation: npx tierwise org create acme "Acme Ltd" --manager you@acme.com --table ${outputs.TableName}`,
    '   then, in Slack: /tier link CODE (a code from the sidebar\'s "Connect Slack" or `tierwise org link-code`).',
    `5. Google Sheets add-on: TIERWISE_STAGE=${stage} npm run push:sheets builds it with ${url}`,
    '   as its one server (the only address in its urlFetchWhitelist) and pushes it with clasp.',
  ].join('\n');
}

function run(command: string[]): void {
  console.log(`\n$ ${command.join(' ')}`);
  const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `\n${command.slice(0, 3).join(' ')} failed (exit ${result.status ?? result.signal}); nothing further was run.`,
    );
    process.exit(result.status ?? 1);
  }
}

function main(): void {
  let plan: ReturnType<typeof deployPlan>;
  try {
    plan = deployPlan(process.argv.slice(2));
  } catch (error) {
    console.error(`deploy: ${(error as Error).message}`);
    console.error('usage: npm run deploy -- --stage dev|prod [--skip-tests] [--dry-run] [-c key=value …]');
    process.exit(2);
  }
  if (plan.dryRun) {
    for (const command of plan.commands) console.log(command.join(' '));
    return;
  }
  for (const command of plan.commands) run(command);
  const outputs = JSON.parse(readFileSync(plan.outputsFile, 'utf8'))[`Tierwise-${plan.stage}`];
  mkdirSync('dist', { recursive: true });
  writeFileSync(
    plan.manifestFile,
    manifestFor(readFileSync('lambda/slack-manifest.yaml', 'utf8'), outputs.FunctionUrl),
  );
  console.log(`\n${nextSteps(plan.stage, outputs, plan.manifestFile)}`);
}

if (process.argv[1]?.endsWith('deploy.js')) main();
