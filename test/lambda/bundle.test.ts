import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices } from '../../lambda/services';
import { seedOrg } from '../../sandbox/seed';
import { ROOT } from '../helpers/cli';
import { startDynalite } from '../helpers/dynalite';
import { EXAMPLE_ROWS } from '../helpers/org';

// The deployable artefact itself: the minified bundle, with the unused receivers stubbed out, loaded
// in a fresh Node process and answering a signed /tier command against dynalite.
let db: Awaited<ReturnType<typeof startDynalite>>;

beforeAll(async () => {
  db = await startDynalite('tierwise-bundle');
  const services = createServices({
    tableName: db.table,
    region: 'local',
    dynamoEndpoint: db.endpoint,
    slackSigningSecret: 's',
    slackBotToken: 'x',
    googleClientIds: [],
  });
  await seedOrg(services, {
    org: 'acme',
    name: 'Acme',
    manager: 'boss@acme.test',
    teamId: 'TBUNDLE',
    rows: EXAMPLE_ROWS,
    asOf: '2024-06-30',
  });
});
afterAll(() => db.close());

it('the built Lambda bundle answers /tier in a fresh process', async () => {
  // Asynchronously: dynalite runs in this process and must keep serving while the probe runs.
  const { stdout: output } = await promisify(execFile)(process.execPath, ['dist/lambda-probe.cjs'], {
    timeout: 20_000,
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      TABLE_NAME: db.table,
      DYNAMODB_ENDPOINT: db.endpoint,
      SLACK_SIGNING_SECRET: 'probe-secret',
      SLACK_BOT_TOKEN: 'xoxb-probe',
      PROBE_TEAM: 'TBUNDLE',
      PROBE_TEXT: 'acme corp',
    },
  });
  const result = JSON.parse(output);
  expect(result.statusCode).toBe(200);
  expect(JSON.parse(result.body).text).toMatch(/^Acme Corp: /);
});

it('stays within the 1.5 MB bundle budget', () => {
  expect(statSync(`${ROOT}dist/lambda/index.js`).size).toBeLessThan(1.5 * 1024 * 1024);
});
