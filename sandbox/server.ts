/**
 * The local sandbox: dynalite (on disk under .sandbox/ or in memory), the built Lambda bundle behind a
 * local HTTP server, and a demo organisation seeded from examples/. No Google, Slack or AWS account.
 */

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { LambdaHandler } from '../lambda/handler';
import { createServices } from '../lambda/services';
import { exampleRows } from './examples';
import { readBody } from './http';
import { damaged, startLocalDynamo } from './local-dynamo';
import { functionUrlEvent } from './requests';
import { seedOrg } from './seed';
import { RUN_TOKEN_HEADER, sidebarFunctions, sidebarPage } from './sidebar';

/** The project folder: the nearest folder up from this module with a package.json (works bundled or not). */
function projectRoot(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  while (!existsSync(`${dir}package.json`)) dir = fileURLToPath(new URL('..', `file://${dir}`));
  return dir;
}

export const ROOT = projectRoot();
/** `.sandbox/` in the project; TIERWISE_SANDBOX_DIR moves it (tests use a temporary folder). */
export const SANDBOX_DIR = process.env.TIERWISE_SANDBOX_DIR ?? `${ROOT}.sandbox`;
export const SANDBOX_FILE = `${SANDBOX_DIR}/sandbox.json`;
export const SANDBOX_CLIENT_ID = 'tierwise-sandbox';
export const DEMO = {
  org: 'demo',
  name: 'Demo Trading Co.',
  manager: 'manager@example.com',
  teamId: 'TSANDBOX',
  today: '2024-07-01',
};
const TABLE = 'tierwise';

/** Secrets and keys the sandbox made for itself; `tierwise slack` and `tierwise token` read them. */
export interface SandboxSecrets {
  signingSecret: string;
  privateJwk: JWK;
  publicJwk: JWK;
  url?: string;
  /** When the on-disk database was first made: from then on it must be found intact. */
  dbCreatedAt?: string;
}

async function loadSecrets(): Promise<SandboxSecrets> {
  if (existsSync(SANDBOX_FILE)) return JSON.parse(readFileSync(SANDBOX_FILE, 'utf8')) as SandboxSecrets;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const secrets = {
    signingSecret: randomBytes(16).toString('hex'),
    privateJwk: { ...(await exportJWK(privateKey)), kid: 'sandbox', alg: 'RS256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid: 'sandbox', alg: 'RS256', use: 'sig' },
  };
  mkdirSync(SANDBOX_DIR, { recursive: true });
  writeFileSync(SANDBOX_FILE, JSON.stringify(secrets, null, 2));
  return secrets;
}

/** Why a request to the sidebar is not the sandbox's own page calling, or null when it is. */
function foreign(req: IncomingMessage, url: string, token: string): string | null {
  const own = new URL(url);
  const hosts = [own.host, `localhost:${own.port}`];
  // DNS rebinding: another site's name pointed at 127.0.0.1 arrives with its own Host.
  if (!hosts.includes(req.headers.host ?? '')) return `refused: the sidebar answers only at ${url}`;
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`))
    return `refused: requests from ${origin} may not use the sandbox sidebar`;
  if (req.url === '/sidebar') return null;
  const sent = Buffer.from(String(req.headers[RUN_TOKEN_HEADER] ?? ''));
  const expected = Buffer.from(token);
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected))
    return 'refused: sidebar server functions need the token of the page this sandbox served; reload /sidebar';
  return null;
}

export interface Sandbox {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

export async function startSandbox(options: {
  port: number;
  memory: boolean;
  log?: (line: string) => void;
}): Promise<Sandbox> {
  const log = options.log ?? (() => {});
  const secrets = await loadSecrets();
  const dbPath = `${SANDBOX_DIR}/db`;
  const existing = !options.memory && !!secrets.dbCreatedAt;
  const db = await startLocalDynamo(TABLE, options.memory ? {} : { path: dbPath, existing });
  if (!options.memory && !existing) {
    secrets.dbCreatedAt = new Date().toISOString();
    writeFileSync(SANDBOX_FILE, JSON.stringify(secrets, null, 2));
  }
  const endpoint = db.endpoint;

  // The same environment the Lambda gets in AWS, pointed at local stand-ins.
  const env = {
    TABLE_NAME: TABLE,
    DYNAMODB_ENDPOINT: endpoint,
    SLACK_SIGNING_SECRET: process.env.SLACK_SIGNING_SECRET ?? secrets.signingSecret,
    SLACK_BOT_TOKEN: process.env.SLACK_BOT_TOKEN ?? 'xoxb-sandbox',
    GOOGLE_CLIENT_IDS: SANDBOX_CLIENT_ID,
    TIERWISE_SANDBOX_JWKS: JSON.stringify({ keys: [secrets.publicJwk] }),
    TIERWISE_SANDBOX_TODAY: process.env.TIERWISE_SANDBOX_TODAY ?? DEMO.today,
  };
  Object.assign(process.env, env);
  const { handler } = createRequire(import.meta.url)(`${ROOT}dist/lambda/index.js`) as {
    handler: LambdaHandler;
  };

  const services = createServices({
    tableName: TABLE,
    region: 'local',
    dynamoEndpoint: endpoint,
    slackSigningSecret: env.SLACK_SIGNING_SECRET,
    slackBotToken: env.SLACK_BOT_TOKEN,
    googleClientIds: [SANDBOX_CLIENT_ID],
  });
  const rows = exampleRows(ROOT);
  const found = existing ? await services.orgs.meta(DEMO.org) : null;
  if (existing && !found?.generation) {
    services.db.destroy();
    await db.close();
    throw damaged(dbPath, `the demo organisation "${DEMO.org}" or its customers are gone`);
  }
  const seeded = await seedOrg(services, { ...DEMO, rows, asOf: '2024-06-30' });
  services.db.destroy();
  log(
    `demo organisation "${DEMO.org}" (${DEMO.name}): ${seeded.customers} customers, manager ${DEMO.manager}`,
  );

  let functions: ReturnType<typeof sidebarFunctions> | undefined;
  // The sidebar's server functions act as the demo manager: only the page this sandbox served may call
  // them. It carries this token (other sites cannot read the page), and browsers name its origin.
  const runToken = randomBytes(24).toString('hex');
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (req.url === '/sidebar' || req.url?.startsWith('/sidebar/')) {
        const refused = foreign(req, url, runToken);
        if (refused) {
          res.writeHead(403, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: refused }));
          return;
        }
      }
      if (req.url === '/sidebar' && req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(sidebarPage(ROOT, runToken));
        return;
      }
      const run = /^\/sidebar\/run\/(\w+)$/.exec(req.url ?? '');
      if (run && req.method === 'POST') {
        functions ??= sidebarFunctions({
          url,
          root: ROOT,
          email: DEMO.manager,
          privateJwk: secrets.privateJwk,
          audience: SANDBOX_CLIENT_ID,
        });
        const fn = functions[run[1]];
        res.writeHead(200, { 'content-type': 'application/json' });
        try {
          if (!fn) throw new Error(`no server function ${run[1]}`);
          res.end(JSON.stringify({ ok: true, value: await fn(...(JSON.parse(body || '[]') as unknown[])) }));
        } catch (error) {
          res.end(JSON.stringify({ ok: false, error: (error as Error).message }));
        }
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      const path = (req.url ?? '/').split('?')[0];
      const response = await handler(functionUrlEvent(path, req.method ?? 'GET', headers, body) as never, {});
      res.writeHead(response.statusCode ?? 200, (response.headers ?? {}) as Record<string, string>);
      res.end(response.body ?? '');
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`sandbox error: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(SANDBOX_FILE, JSON.stringify({ ...secrets, url }, null, 2));
  return {
    url,
    server,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
