import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, stageConfig } from '../../infra/config';
import { DYNAMODB_ACTIONS, tierwiseApp } from '../../infra/stack';
import { SECRET_PARAMETERS } from '../../lambda/parameters';
import { ROOT } from '../helpers/cli';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesises the app as `cdk` would (to a cloud assembly on disk), with the given context. */
function synth(context: Record<string, unknown> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'tierwise-cdk-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = tierwiseApp(app, `${ROOT}dist/lambda`);
  const assembly = app.synth();
  return { outdir, stack, template: Template.fromJSON(assembly.getStackByName(stack.stackName).template) };
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

const dev = synth();
const prod = synth({ stage: 'prod', alarmEmail: 'ops@acme.test' });

describe('stages', () => {
  it('names the stack and its resources by stage', () => {
    expect(dev.stack.stackName).toBe('Tierwise-dev');
    expect(prod.stack.stackName).toBe('Tierwise-prod');
    prod.template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'tierwise-prod' });
    prod.template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'tierwise-prod-handler' });
    dev.template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'tierwise-dev-deferred-failures' });
  });

  it('prod keeps its data: deletion protection, retain, point-in-time recovery, logs kept', () => {
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    });
    prod.template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  it('dev may be destroyed', () => {
    dev.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('checks the context and says what it accepts', () => {
    const config = (context: Record<string, unknown>) => () => stageConfig((key) => context[key]);
    expect(config({ stage: 'qa' })).toThrow(new ConfigError('context stage "qa" is not one of dev, prod'));
    expect(config({ reservedConcurrency: '0' })).toThrow(/reservedConcurrency "0" is not a whole number/);
    expect(config({ alarmEmail: 'ops' })).toThrow(/alarmEmail "ops" is not an e-mail address/);
    expect(config({ sourceMap: 'yes' })).toThrow(/sourceMap "yes" is not true or false/);
    expect(config({ reservedConcurrency: 'none' })()).toMatchObject({
      stage: 'dev',
      reservedConcurrency: null,
    });
  });
});

describe('no secret in the template, cdk.out or the environment', () => {
  it('takes no secret as input, and none set in the environment reaches the cloud assembly', () => {
    const canaries: Record<string, string> = {
      SLACK_SIGNING_SECRET: 'canary-signing-3f9a1c',
      SLACK_BOT_TOKEN: 'xoxb-canary-bot-77e2',
      SLACK_CLIENT_ID: 'canary-client-id-5d1',
      SLACK_CLIENT_SECRET: 'canary-client-secret-a8c',
      GOOGLE_CLIENT_IDS: 'canary-google.apps.googleusercontent.com',
    };
    const saved = { ...process.env };
    Object.assign(process.env, canaries);
    let outdir: string;
    try {
      ({ outdir } = synth({ stage: 'prod' }));
    } finally {
      process.env = saved;
    }
    const files = filesUnder(outdir);
    expect(files.some((f) => f.endsWith('.template.json'))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const canary of Object.values(canaries)) expect(text, file).not.toContain(canary);
    }
  });

  it('gives the function names only: table, stage, parameter path, log level', () => {
    for (const { template } of [dev, prod]) {
      const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      }[];
      expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual([
        'LOG_LEVEL',
        'TABLE_NAME',
        'TIERWISE_PARAMETER_PREFIX',
        'TIERWISE_STAGE',
      ]);
      expect(template.findResources('AWS::SSM::Parameter')).toEqual({});
      expect(template.findResources('AWS::SecretsManager::Secret')).toEqual({});
    }
    expect(JSON.stringify(prod.template.toJSON())).toContain('/tierwise/prod/');
  });
});

describe('least privilege', () => {
  const statements = (template: Template) =>
    Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties
          .PolicyDocument.Statement,
    );
  const actionsOf = (s: Record<string, unknown>) => ([] as string[]).concat(s.Action as string | string[]);

  it('grants exactly the DynamoDB actions the code sends, on the table only', () => {
    const dynamo = statements(dev.template).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo).toHaveLength(1);
    expect(actionsOf(dynamo[0]).sort()).toEqual([...DYNAMODB_ACTIONS].sort());
    expect(JSON.stringify(dynamo[0].Resource)).toContain('Table');
    expect(JSON.stringify(dynamo[0].Resource)).not.toContain('"*"');

    // The list above is what lambda/ sends: every DynamoDB command class used there, mapped to its action.
    // (sandbox/table.ts creates the table for the sandbox and tests; the stack owns it in AWS.)
    const commandToAction: Record<string, string> = {
      Get: 'GetItem',
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      Query: 'Query',
      Scan: 'Scan',
      BatchWrite: 'BatchWriteItem',
      BatchGet: 'BatchGetItem',
      TransactWrite: 'TransactWriteItems',
      TransactGet: 'TransactGetItems',
    };
    const used = new Set<string>();
    for (const file of filesUnder(`${ROOT}lambda`).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(file, 'utf8');
      if (!/@aws-sdk\/(lib|client)-dynamodb/.test(source)) continue;
      for (const [, name] of source.matchAll(/new (\w+?)(?:Item)?Command\(/g)) {
        const action = commandToAction[name];
        if (!action) throw new Error(`${file}: map ${name}Command to its IAM action here and in the stack`);
        used.add(`dynamodb:${action}`);
      }
    }
    expect([...used].sort()).toEqual([...DYNAMODB_ACTIONS].sort());
  });

  it('reads only its own stage parameters, by name', () => {
    const ssm = statements(prod.template).filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')));
    expect(ssm).toHaveLength(1);
    expect(actionsOf(ssm[0])).toEqual(['ssm:GetParameters']);
    const resources = JSON.stringify(ssm[0].Resource);
    for (const { parameter } of Object.values(SECRET_PARAMETERS))
      expect(resources).toContain(`:parameter/tierwise/prod/${parameter}`);
    expect(resources).not.toContain('*');
    expect(resources).not.toContain('/tierwise/dev/');
  });

  it('grants kms:Decrypt only for a customer-managed key named in context', () => {
    const all = (template: Template) => JSON.stringify(statements(template));
    expect(all(prod.template)).not.toContain('kms:');
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-aaaa-bbbb-cccc-123456789abc';
    const withKey = synth({ secretsKeyArn: key }).template;
    expect(statements(withKey).find((s) => actionsOf(s).includes('kms:Decrypt'))?.Resource).toBe(key);
  });
});

describe('operations', () => {
  it('reserves concurrency per stage, or as configured', () => {
    dev.template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
    prod.template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 20 });
    synth({ reservedConcurrency: 50 }).template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 50,
    });
    const none = synth({ reservedConcurrency: 'none' }).template.findResources('AWS::Lambda::Function');
    expect(JSON.stringify(none)).not.toContain('ReservedConcurrentExecutions');
  });

  it('drops deferred answers older than a response_url lives, and keeps the ones that never ran', () => {
    const config = Object.values(dev.template.findResources('AWS::Lambda::EventInvokeConfig'))[0] as {
      Properties: {
        MaximumEventAgeInSeconds: number;
        MaximumRetryAttempts: number;
        DestinationConfig: unknown;
      };
    };
    expect(config.Properties.MaximumEventAgeInSeconds).toBeLessThanOrEqual(30 * 60);
    expect(config.Properties.MaximumRetryAttempts).toBe(0); // a failed job has apologised already
    expect(JSON.stringify(config.Properties.DestinationConfig)).toContain('DeferredFailures');
  });

  it('alarms on errors, faults, throttles, slow Slack answers, table throttles and failed deferred answers', () => {
    const alarms = Object.values(prod.template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: Record<string, unknown> }).Properties,
    );
    expect(alarms.map((a) => a.AlarmName).sort()).toEqual(
      [
        'DeferredFailures',
        'DeferredLost',
        'Errors',
        'Faults',
        'SlowSlackAnswers',
        'TableThrottles',
        'Throttles',
      ].map((n) => `tierwise-prod-${n}`),
    );
    const slow = alarms.find((a) => a.AlarmName === 'tierwise-prod-SlowSlackAnswers')!;
    expect(slow).toMatchObject({
      Namespace: 'Tierwise',
      MetricName: 'latencyMs',
      ExtendedStatistic: 'p99',
      Threshold: 2500,
      Dimensions: expect.arrayContaining([
        { Name: 'kind', Value: 'slack' },
        { Name: 'stage', Value: 'prod' },
      ]),
    });
    // The e-mail from context receives every alarm; without one, alarms have no action.
    prod.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@acme.test',
    });
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
    for (const alarm of Object.values(dev.template.findResources('AWS::CloudWatch::Alarm')))
      expect((alarm as { Properties: Record<string, unknown> }).Properties.AlarmActions).toBeUndefined();
  });

  it('ships the bundle without its source map and metafile unless asked for', () => {
    const assetFiles = (outdir: string) => {
      const assets = readdirSync(outdir).filter((n) => n.startsWith('asset.'));
      expect(assets).toHaveLength(1);
      return readdirSync(join(outdir, assets[0])).sort();
    };
    expect(assetFiles(dev.outdir)).toEqual(['index.js', 'package.json']);
    const mapped = synth({ sourceMap: 'true' });
    expect(assetFiles(mapped.outdir)).toEqual(['index.js', 'index.js.map', 'package.json']);
    mapped.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });

  it('serves Slack and the config API from a Function URL and prints the addresses to paste', () => {
    dev.template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    const outputs = Object.keys(dev.template.findOutputs('*'));
    for (const name of ['FunctionUrl', 'SlackRequestUrl', 'SlackInstallUrl', 'SlackRedirectUrl', 'TableName'])
      expect(outputs).toContain(name);
  });
});
