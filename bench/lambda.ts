/** Issue 4's figures: Lambda bundle size, cold start, warm /tier latency, syncing 100,000 customers. */

import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLocalDynamo } from '../cli/sandbox/local-dynamo';
import { seedOrg } from '../cli/sandbox/seed';
import { createServices } from '../lambda/services';
import { FORM, functionUrlEvent, signedHeaders, slashCommandBody } from '../lambda/slack/requests';
import { line, seeded } from './util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-secret';

function customerRows(n: number): string[][] {
  const random = seeded(9);
  const rows = [['customer_id', 'name', 'owner', 'last_purchase', 'first_purchase', 'orders', 'total_spend']];
  for (let i = 0; i < n; i++) {
    const last = 19_700 + Math.floor(random() * 200);
    const first = last - Math.floor(random() * 700);
    const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
    rows.push([
      `C${i}`,
      `Customer ${i}`,
      `rep${i % 20}`,
      day(last),
      day(first),
      String(1 + Math.floor(random() * 30)),
      (random() * 5000).toFixed(2),
    ]);
  }
  return rows;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export async function benchLambda(): Promise<void> {
  console.log('\nSlack bot on Lambda (issue 4)');
  const size = statSync(`${ROOT}dist/lambda/index.js`).size;
  line('Lambda bundle (minified, AWS SDK external)', `${(size / 1024).toFixed(0)} KB`, 'target ≤ 1,536 KB');

  const table = 'tierwise-bench';
  const db = await startLocalDynamo(table);
  const endpoint = db.endpoint;
  const env = {
    tableName: table,
    region: 'local',
    dynamoEndpoint: endpoint,
    slackSigningSecret: SECRET,
    slackBotToken: 'xoxb',
    googleClientIds: [],
  };
  const services = createServices(env);
  try {
    const small = customerRows(1_000);
    await seedOrg(services, {
      org: 'small',
      name: 'Small',
      manager: 'm@x',
      teamId: 'TSMALL',
      rows: small,
      asOf: '2024-06-30',
    });

    const probeEnv = {
      ...process.env,
      TABLE_NAME: table,
      DYNAMODB_ENDPOINT: endpoint,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb',
      PROBE_TEAM: 'TSMALL',
      PROBE_TEXT: 'customer 42',
    };
    const colds: { loadedMs: number; firstAnswerMs: number }[] = [];
    for (let k = 0; k < 5; k++) {
      const { stdout } = await promisify(execFile)(process.execPath, [`${ROOT}scripts/lambda-probe.cjs`], {
        env: probeEnv,
      });
      colds.push(JSON.parse(stdout));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    line(
      'cold start: load the bundle',
      `${median(colds.map((c) => c.loadedMs)).toFixed(0)} ms`,
      'median of 5 fresh processes',
    );
    line(
      'cold start: load + first /tier answer (1,000 customers)',
      `${median(colds.map((c) => c.firstAnswerMs)).toFixed(0)} ms`,
      'target ≤ 300 ms',
    );

    Object.assign(process.env, {
      TABLE_NAME: table,
      DYNAMODB_ENDPOINT: endpoint,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb',
    });
    const { handler } = createRequire(import.meta.url)(`${ROOT}dist/lambda/index.js`);
    const latencies: number[] = [];
    for (let k = 0; k < 200; k++) {
      const body = slashCommandBody({ text: `customer ${k}`, teamId: 'TSMALL' });
      const event = functionUrlEvent(
        '/slack/events',
        'POST',
        signedHeaders(SECRET, body, FORM, Math.floor(Date.now() / 1000)),
        body,
      );
      const started = performance.now();
      const response = await handler(event, {});
      latencies.push(performance.now() - started);
      if (response.statusCode !== 200) throw new Error(`warm /tier failed: ${response.body}`);
    }
    const warm = latencies.slice(20).sort((a, b) => a - b);
    line(
      'warm /tier latency p50 / p95 (local dynalite)',
      `${percentile(warm, 0.5).toFixed(1)} / ${percentile(warm, 0.95).toFixed(1)} ms`,
      'target p95 ≤ 50 ms',
    );

    const big = customerRows(100_000);
    const started = performance.now();
    const { customers } = await seedOrg(services, {
      org: 'big',
      name: 'Big',
      manager: 'b@x',
      teamId: 'TBIG',
      rows: big,
      asOf: '2024-06-30',
    });
    line(
      `sync ${customers.toLocaleString('en-US')} customers (upload 50 chunks + commit)`,
      `${((performance.now() - started) / 1000).toFixed(2)} s`,
      'to local dynalite',
    );
  } finally {
    services.db.destroy();
    await db.close();
  }
}
