import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../lambda/env';
import { createLogger } from '../../lambda/log';
import {
  cachedSecrets,
  environmentSecrets,
  type Secrets,
  SecretsError,
  ssmSecrets,
} from '../../lambda/secrets';
import { createServices } from '../../lambda/services';
import { seedOrg } from '../../sandbox/seed';
import { ROOT } from '../helpers/cli';
import { startDynalite } from '../helpers/dynalite';
import { startFakeSsm } from '../helpers/fake-ssm';
import { EXAMPLE_ROWS } from '../helpers/org';

const PREFIX = '/tierwise/dev/';
const SSM_VALUES = {
  [`${PREFIX}slack/signing-secret`]: 'ssm-signing-secret',
  [`${PREFIX}slack/bot-token`]: 'xoxb-from-ssm',
  [`${PREFIX}google/client-ids`]: 'a.apps.googleusercontent.com, b.apps.googleusercontent.com',
};
let ssm: Awaited<ReturnType<typeof startFakeSsm>>;
beforeAll(async () => {
  ssm = await startFakeSsm({ ...SSM_VALUES });
});
afterAll(() => ssm.close());

describe('checking secrets', () => {
  const env = (values: Record<string, string>) => () => environmentSecrets(values);

  it('accepts either mode and splits the Google client ids', () => {
    expect(environmentSecrets({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual({
      slackSigningSecret: 's',
      slackBotToken: 'xoxb-1',
      slackOAuth: undefined,
      googleClientIds: [],
    });
    expect(
      environmentSecrets({ SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c' }),
    ).toMatchObject({ slackOAuth: { clientId: '1.2', clientSecret: 'c' }, slackBotToken: undefined });
  });

  it('says which secret is missing or wrong and where, never quoting a value', () => {
    expect(env({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(
      new SecretsError('environment variable SLACK_SIGNING_SECRET is not set'),
    );
    expect(env({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxp-user-token-42' })).toThrow(
      /SLACK_BOT_TOKEN is not a bot token \(it should start with xoxb-\)$/,
    );
    expect(env({ SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: '1.2' })).toThrow(
      /SLACK_CLIENT_SECRET is not set: Slack's install flow needs both/,
    );
    expect(env({ SLACK_SIGNING_SECRET: 's' })).toThrow(/neither environment variable SLACK_BOT_TOKEN/);
    try {
      environmentSecrets({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxp-user-token-42' });
    } catch (error) {
      expect((error as Error).message).not.toContain('user-token-42');
    }
  });

  it('in AWS, ignores secret-looking environment variables: only the parameter path counts', () => {
    const env = readEnv({
      TABLE_NAME: 't',
      TIERWISE_PARAMETER_PREFIX: PREFIX,
      SLACK_SIGNING_SECRET: 'from-env',
      AWS_LAMBDA_FUNCTION_NAME: 'tierwise-dev-handler',
    });
    expect(env.slackSigningSecret).toBeUndefined();
    expect(env).toMatchObject({ parameterPrefix: PREFIX, logLevel: 'info' });
    expect(() => readEnv({ TABLE_NAME: 't', LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL "loud" is not one of/);
  });
});

describe('reading SSM', () => {
  it('asks for every parameter of the stage in one decrypting call', async () => {
    ssm.requests.length = 0;
    const secrets = await ssmSecrets({ prefix: PREFIX, region: 'local', endpoint: ssm.endpoint })();
    expect(secrets).toEqual({
      slackSigningSecret: 'ssm-signing-secret',
      slackBotToken: 'xoxb-from-ssm',
      slackOAuth: undefined,
      googleClientIds: ['a.apps.googleusercontent.com', 'b.apps.googleusercontent.com'],
    });
    expect(ssm.requests).toHaveLength(1);
    expect(ssm.requests[0].target).toBe('AmazonSSM.GetParameters');
    expect(ssm.requests[0].body.WithDecryption).toBe(true);
    expect(ssm.requests[0].body.Names.sort()).toEqual(
      [
        'google/client-ids',
        'slack/bot-token',
        'slack/client-id',
        'slack/client-secret',
        'slack/signing-secret',
      ].map((n) => PREFIX + n),
    );
  });

  it('names the missing parameter', async () => {
    const read = ssmSecrets({ prefix: '/tierwise/prod/', region: 'local', endpoint: ssm.endpoint });
    await expect(read()).rejects.toThrow('SSM parameter /tierwise/prod/slack/signing-secret is not set');
  });
});

describe('the cache', () => {
  const secrets = (n: number): Secrets => ({ slackSigningSecret: `s${n}`, googleClientIds: [] });

  it('reads once for concurrent callers, reuses within the age, refreshes after it', async () => {
    let reads = 0;
    let clock = 0;
    const get = cachedSecrets(async () => secrets(++reads), createLogger({ write: () => {} }), {
      maxAgeMs: 1000,
      now: () => clock,
    });
    const first = await Promise.all([get(), get(), get()]);
    expect(first.map((s) => s.slackSigningSecret)).toEqual(['s1', 's1', 's1']);
    clock = 999;
    expect((await get()).slackSigningSecret).toBe('s1');
    clock = 1000;
    expect((await get()).slackSigningSecret).toBe('s2');
    expect(reads).toBe(2);
  });

  it('keeps the previous secrets when a refresh fails, logs it, and tries again half a minute later', async () => {
    let clock = 0;
    let fail = false;
    let reads = 0;
    const lines: string[] = [];
    const get = cachedSecrets(
      async () => {
        reads++;
        if (fail) throw new Error('SSM is down');
        return secrets(reads);
      },
      createLogger({ write: (l) => lines.push(l) }),
      { maxAgeMs: 60_000, now: () => clock },
    );
    await get();
    fail = true;
    clock = 60_000;
    expect((await get()).slackSigningSecret).toBe('s1');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', errorMessage: 'SSM is down' });
    clock = 60_000 + 29_000;
    await get();
    expect(reads).toBe(2);
    clock = 60_000 + 30_000;
    fail = false;
    expect((await get()).slackSigningSecret).toBe('s3');
  });

  it('fails the request when there was never a value', async () => {
    const get = cachedSecrets(
      async () => {
        throw new Error('no access');
      },
      createLogger({ write: () => {} }),
    );
    await expect(get()).rejects.toThrow('no access');
  });
});

describe('the built bundle in AWS mode', () => {
  let db: Awaited<ReturnType<typeof startDynalite>>;
  beforeAll(async () => {
    db = await startDynalite('tierwise-ssm');
    const services = createServices({
      tableName: db.table,
      region: 'local',
      dynamoEndpoint: db.endpoint,
    });
    await seedOrg(services, {
      org: 'acme',
      name: 'Acme',
      manager: 'boss@acme.test',
      teamId: 'TSSM',
      rows: EXAMPLE_ROWS,
      asOf: '2024-06-30',
    });
    services.db.destroy();
  });
  afterAll(() => db.close());

  const probe = (signWith: string) =>
    promisify(execFile)(process.execPath, ['dist/lambda-probe.cjs'], {
      timeout: 20_000,
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        TABLE_NAME: db.table,
        DYNAMODB_ENDPOINT: db.endpoint,
        TIERWISE_PARAMETER_PREFIX: PREFIX,
        SSM_ENDPOINT: ssm.endpoint,
        AWS_LAMBDA_FUNCTION_NAME: 'tierwise-dev-handler',
        AWS_REGION: 'local',
        // The probe signs with this; the handler must not read it (AWS mode reads SSM only).
        SLACK_SIGNING_SECRET: signWith,
        PROBE_TEAM: 'TSSM',
        PROBE_TEXT: 'acme corp',
      },
    }).then(({ stdout }) => JSON.parse(stdout.trim().split('\n').at(-1)!));

  it('reads its secrets from SSM at run time, not from the environment', async () => {
    ssm.requests.length = 0;
    const answered = await probe('ssm-signing-secret');
    expect(answered.statusCode).toBe(200);
    expect(JSON.parse(answered.body).text).toMatch(/^Acme Corp: /);
    expect(ssm.requests).toHaveLength(1);
    // Signed with a secret that is only in the environment: refused.
    expect((await probe('env-only-secret')).statusCode).toBe(401);
  });
});
