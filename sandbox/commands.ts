/**
 * The sandbox's commands (`tierwise sandbox`, `slack`, `token`): the local system, a signed slash
 * command to it, an ID token for its config API. cli/main.ts loads this module only when one runs.
 */

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CliIo } from '../cli/io';
import type { Flags } from '../cli/options';
import { TierwiseError } from '../shared';
import { readBody } from './http';
import { idTokenSigner } from './id-token';
import { FORM, signedHeaders, slashCommandBody } from './requests';
import { DEMO, SANDBOX_CLIENT_ID, SANDBOX_FILE, type SandboxSecrets, startSandbox } from './server';
import { blocksToText } from './slack-text';

/** tierwise sandbox [--memory] [--port 8787]: everything on this machine, until Ctrl-C. */
export async function sandbox(flags: Flags, io: CliIo): Promise<number> {
  const port = Number(flags.port ?? io.env.PORT ?? 8787);
  const box = await startSandbox({
    port,
    memory: !!flags.memory,
    log: (line) => io.stdout(`${line}\n`),
  });
  io.stdout(
    [
      '',
      `Tierwise sandbox running at ${box.url}`,
      `  DynamoDB:    dynalite, ${flags.memory ? 'in memory' : 'data kept in .sandbox/db (survives restarts; --memory for a throwaway)'}`,
      `  Slack:       POST ${box.url}/slack/events (the Lambda handler, signed requests only)`,
      `  Config API:  ${box.url}/api/config  (Authorization: Bearer $(npx tierwise token))`,
      `  Health:      ${box.url}/healthz`,
      `  Sidebar:     ${box.url}/sidebar`,
      '',
      'Try it from another terminal:',
      '  npx tierwise slack "/tier acme"',
      '  npx tierwise slack "/tier due all"',
      '  npx tierwise slack "/tier summary"',
      `  curl -H "Authorization: Bearer $(npx tierwise token)" ${box.url}/api/config`,
      '',
      `A real Slack app: expose the port through a tunnel (e.g. \`cloudflared tunnel --url ${box.url}\`),`,
      'paste lambda/slack-manifest.yaml into api.slack.com/apps with the tunnel URL, and restart with',
      'SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN set from the app.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await box.close();
  return 0;
}

function secrets(): SandboxSecrets {
  try {
    return JSON.parse(readFileSync(SANDBOX_FILE, 'utf8')) as SandboxSecrets;
  } catch {
    throw new TierwiseError('no sandbox found: start one with `npm start` first');
  }
}

/** tierwise slack "/tier acme" [--url URL]: a correctly signed slash command, the reply as text. */
export async function slack([text]: string[], flags: Flags, io: CliIo): Promise<number> {
  if (!text) throw new TierwiseError('give the command, e.g. tierwise slack "/tier acme"');
  const { signingSecret, url: savedUrl } = secrets();
  const url = flags.url ?? savedUrl;
  if (!url) throw new TierwiseError('no sandbox URL known; start one with `npm start` or pass --url');
  const [command, ...rest] = text.trim().split(/\s+/);
  // Deferred answers come back to response_url: listen for them here.
  const followUps: string[] = [];
  const listener = createServer(async (req, res) => {
    followUps.push(blocksToText(JSON.parse(await readBody(req))));
    res.end('ok');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const responseUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/respond`;
  try {
    const body = slashCommandBody({
      text: rest.join(' '),
      teamId: DEMO.teamId,
      command,
      userName: io.env.USER_NAME ?? 'ana',
      responseUrl,
    });
    const response = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: signedHeaders(
        io.env.SLACK_SIGNING_SECRET ?? signingSecret,
        body,
        FORM,
        Math.floor(Date.now() / 1000),
      ),
      body,
    });
    const reply = await response.text();
    if (!response.ok) throw new TierwiseError(`the sandbox answered HTTP ${response.status}: ${reply}`);
    const message = reply ? JSON.parse(reply) : {};
    io.stdout(`${blocksToText(message)}\n`);
    if (/Working on it/.test(message.text ?? '')) {
      for (let waited = 0; followUps.length === 0 && waited < 10_000; waited += 50)
        await new Promise((r) => setTimeout(r, 50));
      for (const followUp of followUps) io.stdout(`${followUp}\n`);
    }
    return 0;
  } finally {
    listener.close();
  }
}

/** tierwise token [EMAIL]: an ID token the sandbox accepts, for calling its config API by hand. */
export async function token([email]: string[], io: CliIo): Promise<number> {
  const sign = idTokenSigner(secrets().privateJwk, { kid: 'sandbox', audience: SANDBOX_CLIENT_ID });
  io.stdout(`${await sign(email ?? DEMO.manager)}\n`);
  return 0;
}
