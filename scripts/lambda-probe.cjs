// Loads the built Lambda bundle in a fresh process and answers one signed `/tier` command, printing
// how long each step took as JSON. Used by `npm run bench` (cold start) and the bundle smoke test.
// Environment: TABLE_NAME, DYNAMODB_ENDPOINT, SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, PROBE_TEAM, PROBE_TEXT.
// With PROBE_DEFERRED=1 the probe also serves the command's response_url and waits for the deferred
// answer (a large book on a cold start is answered there), reporting when it arrived (deferredMs).
const { createHmac } = require('node:crypto');
const { createServer } = require('node:http');
const started = process.hrtime.bigint();
const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;

const { handler } = require('../dist/lambda/index.js');
const loadedMs = ms(started);

function responseUrl() {
  if (process.env.PROBE_DEFERRED !== '1') return Promise.resolve({ url: 'http://127.0.0.1:9/unused' });
  return new Promise((resolve) => {
    let answered;
    const arrived = new Promise((r) => {
      answered = r;
    });
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => {
        data += chunk;
      });
      req.on('end', () => {
        res.end('ok');
        answered({ deferredMs: ms(started), deferred: JSON.parse(data) });
      });
    });
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}/respond`, arrived }),
    );
  });
}

async function main() {
  const respond = await responseUrl();
  const body = new URLSearchParams({
    team_id: process.env.PROBE_TEAM,
    user_id: 'U0PROBE',
    user_name: 'ana',
    command: '/tier',
    text: process.env.PROBE_TEXT,
    response_url: respond.url,
    trigger_id: '1',
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', process.env.SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const event = {
    version: '2.0',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    requestContext: { http: { method: 'POST', path: '/slack/events' } },
    body,
    isBase64Encoded: false,
  };
  const response = await handler(event, {});
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
