/**
 * Loads the built Lambda bundle in a fresh process and answers one signed `/tier` command, printing how
 * long each step took as JSON. Used by `npm run bench` (cold start) and the bundle smoke test. Built to
 * dist/lambda-probe.cjs beside dist/lambda/ (scripts/build.mjs), so it runs without a TypeScript loader.
 * Environment: TABLE_NAME, DYNAMODB_ENDPOINT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, PROBE_TEAM, PROBE_TEXT.
 * With PROBE_DEFERRED=1 the probe also serves the command's response_url and waits for the deferred
 * answer (a large book on a cold start is answered there), reporting when it arrived (deferredMs).
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaHandler } from '../lambda/handler';
import { readBody } from '../sandbox/http';
import { FORM, functionUrlEvent, signedHeaders, slashCommandBody } from '../sandbox/requests';

const started = process.hrtime.bigint();
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

// Not bundled: the probe measures loading the bundle as the Lambda runtime does (a path esbuild leaves alone).
const { handler } = require(`${__dirname}/lambda/index.js`) as { handler: LambdaHandler };
const loadedMs = ms(started);

interface Later {
  deferredMs: number;
  deferred: unknown;
}

function responseUrl(): Promise<{ url: string; arrived?: Promise<Later> }> {
  if (process.env.PROBE_DEFERRED !== '1') return Promise.resolve({ url: 'http://127.0.0.1:9/unused' });
  return new Promise((resolve) => {
    let answered: (later: Later) => void;
    const arrived = new Promise<Later>((r) => {
      answered = r;
    });
    const server = createServer(async (req, res) => {
      const data = await readBody(req);
      res.end('ok');
      answered({ deferredMs: ms(started), deferred: JSON.parse(data) });
    });
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond`, arrived }),
    );
  });
}

async function main(): Promise<void> {
  const respond = await responseUrl();
  const body = slashCommandBody({
    teamId: process.env.PROBE_TEAM ?? '',
    userId: 'U0PROBE',
    text: process.env.PROBE_TEXT ?? '',
    responseUrl: respond.url,
  });
  const headers = signedHeaders(
    process.env.SLACK_SIGNING_SECRET ?? '',
    body,
    FORM,
    Math.floor(Date.now() / 1000),
  );
  const response = await handler(functionUrlEvent('/slack/events', 'POST', headers, body) as never, {});
  const firstAnswerMs = ms(started);
  const later = respond.arrived ? await respond.arrived : {};
  process.stdout.write(
    `${JSON.stringify({ loadedMs, firstAnswerMs, statusCode: response.statusCode, body: response.body, ...later })}\n`,
  );
  process.exit(0); // the SDK's keep-alive sockets would hold the process open
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
