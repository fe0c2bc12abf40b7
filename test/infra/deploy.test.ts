import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deployPlan, manifestFor, nextSteps } from '../../infra/deploy';
import { ROOT } from '../helpers/cli';

// `npm run deploy` itself needs AWS; what can be checked here is the plan it runs and what it prints.
describe('npm run deploy', () => {
  it('runs the tests, the build and cdk deploy of the stage, in that order', () => {
    const plan = deployPlan(['--stage', 'dev', '-c', 'alarmEmail=ops@acme.test']);
    expect(plan.commands.map((c) => c.slice(0, 3).join(' '))).toEqual([
      'npm test',
      'node scripts/build.mjs',
      'npx cdk deploy',
    ]);
    expect(plan.commands[2]).toEqual(
      expect.arrayContaining([
        'Tierwise-dev',
        'stage=dev',
        'alarmEmail=ops@acme.test',
        'dist/cdk-outputs.dev.json',
      ]),
    );
    expect(deployPlan(['--stage', 'prod', '--skip-tests']).commands[0]).toEqual([
      'node',
      'scripts/build.mjs',
    ]);
  });

  it('refuses a missing or unknown stage with what it accepts', () => {
    expect(() => deployPlan([])).toThrow('say which stage to deploy: --stage dev or --stage prod');
    expect(() => deployPlan(['--stage', 'qa'])).toThrow('--stage "qa" is not one of dev, prod');
    expect(() => deployPlan(['--stage', 'dev', '-c', 'oops'])).toThrow('-c "oops" is not key=value');
  });

  it('the built script prints its plan on --dry-run and its usage on a mistake', () => {
    const out = execFileSync(process.execPath, ['dist/deploy.js', '--stage', 'prod', '--dry-run'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out.trim().split('\n').at(-1)).toMatch(
      /^npx cdk deploy Tierwise-prod --app node dist\/infra.js -c stage=prod/,
    );
    expect(() =>
      execFileSync(process.execPath, ['dist/deploy.js', '--stage', 'qa'], { cwd: ROOT, stdio: 'pipe' }),
    ).toThrow(/--stage "qa" is not one of dev, prod/);
  });

  it('fills the manifest with the deployed URL, everywhere', () => {
    const template = readFileSync(`${ROOT}lambda/slack-manifest.yaml`, 'utf8');
    const url = 'https://abc123.lambda-url.eu-west-1.on.aws/';
    const manifest = manifestFor(template, url);
    expect(manifest).not.toContain('YOUR-FUNCTION-URL');
    expect(manifest).toContain(`url: ${url}slack/events`);
    expect(manifest).toContain(`request_url: ${url}slack/events`);
    expect(manifest).toContain(`- ${url}slack/oauth_redirect`);
    expect(manifestFor(template, url.slice(0, -1))).toBe(manifest);
  });

  it('prints one put-parameter command per secret, under the stage path', () => {
    const text = nextSteps(
      'prod',
      {
        FunctionUrl: 'https://abc.lambda-url.eu-west-1.on.aws/',
        TableName: 'tierwise-prod',
        SlackInstallUrl: 'https://abc.lambda-url.eu-west-1.on.aws/slack/install',
      },
      'dist/slack-manifest.prod.yaml',
    );
    const puts = text.split('\n').filter((l) => l.includes('aws ssm put-parameter'));
    expect(puts.map((l) => l.match(/--name (\S+)/)?.[1])).toEqual([
      '/tierwise/prod/slack/signing-secret',
      '/tierwise/prod/slack/bot-token',
      '/tierwise/prod/slack/client-id',
      '/tierwise/prod/slack/client-secret',
      '/tierwise/prod/google/client-ids',
    ]);
    for (const put of puts) expect(put).toContain('--type SecureString');
    expect(text).toContain(
      'TIERWISE_STAGE=prod npm run push:sheets builds it with https://abc.lambda-url.eu-west-1.on.aws/',
    );
    expect(text).toContain('https://abc.lambda-url.eu-west-1.on.aws/slack/install');
  });
});
