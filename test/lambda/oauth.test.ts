import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../lambda/oauth';
import { functionUrlEvent } from '../../sandbox/requests';
import { ROOT } from '../helpers/cli';
import { startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

// Slack's OAuth v2 install flow through the real handler: /slack/install → Slack's consent page (not
// visited: Slack would redirect back with a code) → /slack/oauth_redirect → oauth.v2.access on the local
// fake Slack → the workspace's token in the table → Slack requests from that workspace use it.
type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
const OAUTH = {
  clientId: '1111.2222',
  clientSecret: 'test-client-secret',
  codes: {
    'code-T2': { teamId: 'T2', teamName: 'Beta <Traders> & Co' },
    'code-T3': { teamId: 'T3', teamName: 'Gamma' },
  },
};
const HOST = 'abc123.lambda-url.eu-west-1.on.aws';

function browserGet(path: string, query = '', cookies: string[] = []) {
  const event = {
    ...functionUrlEvent(path, 'GET', { host: HOST, 'user-agent': 'test-browser' }, ''),
    rawQueryString: query,
    ...(cookies.length ? { cookies } : {}),
  };
  return world.call(event as unknown as APIGatewayProxyEventV2);
}

/** Starts an install the way a browser does and returns the state and its cookie. */
async function startInstall() {
  const response = await browserGet('/slack/install');
  expect(response.statusCode).toBe(302);
  const location = new URL(String(response.headers?.location));
  const cookie = String(response.cookies?.[0]).split(';')[0];
  return { response, location, state: String(location.searchParams.get('state')), cookie };
}

async function install(code: string) {
  const { state, cookie } = await startInstall();
  return browserGet('/slack/oauth_redirect', `code=${code}&state=${state}`, [cookie]);
}

beforeAll(async () => {
  world = await startLambdaWorld({ now: () => new Date('2024-07-01T09:00:00Z'), slackOAuth: OAUTH });
  const { orgs } = world.services;
  await orgs.createOrg('acme', 'Acme Trading');
  await orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  const token = await world.issuer.token('boss@acme.test');
  await syncThroughApi(world.api, token, EXAMPLE_ROWS, { syncId: 'sync-oauth', asOf: '2024-06-30' });
});
afterAll(() => world.close());

describe('installing in a workspace', () => {
  it('/slack/install sends the browser to Slack with the app, scopes, redirect and a state in a cookie', async () => {
    const { location, state, cookie, response } = await startInstall();
    expect(`${location.origin}${location.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe(OAUTH.clientId);
    expect(location.searchParams.get('scope')).toBe(BOT_SCOPES.join(','));
    expect(location.searchParams.get('redirect_uri')).toBe(`https://${HOST}/slack/oauth_redirect`);
    expect(cookie).toBe(`slack-app-oauth-state=${state}`);
    expect(String(response.cookies?.[0])).toMatch(/; Secure; HttpOnly;/);
  });

  it('/slack/oauth_redirect exchanges the code for the workspace token and stores it', async () => {
    const response = await install('code-T2');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Tierwise is installed');
    expect(response.body).toContain('Beta &#60;Traders&#62; &#38; Co'); // the team name, escaped
    expect(response.body).toContain('/tier link CODE');
    const exchange = world.slack.calls.find((c) => c.path === '/api/oauth.v2.access')!;
    expect(exchange.body).toMatchObject({
      client_id: OAUTH.clientId,
      client_secret: OAUTH.clientSecret,
      code: 'code-T2',
      redirect_uri: `https://${HOST}/slack/oauth_redirect`,
    });
    const stored = await world.services.installations.find({
      teamId: 'T2',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(stored?.bot).toMatchObject({ token: 'xoxb-T2-fake', id: 'BT2', userId: 'UT2BOT' });
  });

  it('refuses a callback whose state is not this browser’s, and stores nothing', async () => {
    const { state } = await startInstall();
    const before = world.slack.calls.length;
    const forged = await browserGet('/slack/oauth_redirect', `code=code-T3&state=${state}`);
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('expired or was opened in another browser');
    expect(world.slack.calls.slice(before).some((c) => c.path === '/api/oauth.v2.access')).toBe(false);
    expect(
      await world.services.installations.find({
        teamId: 'T3',
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      }),
    ).toBeNull();
  });

  it('says so when the person cancelled in Slack', async () => {
    const { state, cookie } = await startInstall();
    const cancelled = await browserGet('/slack/oauth_redirect', `error=access_denied&state=${state}`, [
      cookie,
    ]);
    expect(cancelled.statusCode).toBe(400);
    expect(cancelled.body).toContain('cancelled');
  });
});

describe('many workspaces, one deployment', () => {
  it('each workspace links to its organisation with a code and is answered with its own token', async () => {
    expect((await install('code-T3')).statusCode).toBe(200);
    const token = await world.issuer.token('boss@acme.test');
    for (const team of ['T2', 'T3']) {
      const { body } = await world.api('POST', '/api/link-codes', {}, token);
      expect(JSON.stringify((await world.command(`link ${body.code}`, team)).body)).toContain('Linked');
      expect((await world.command('acme corp', team)).body).toMatchObject({
        text: expect.stringMatching(/^Acme Corp: /),
      });
    }
    // Web API calls carry the token of the workspace the event came from.
    for (const [team, eventId] of [
      ['T2', 'Ev-home-T2'],
      ['T3', 'Ev-home-T3'],
    ]) {
      const before = world.slack.calls.length;
      await world.event(team, eventId, { type: 'app_home_opened', user: 'U0ANA', tab: 'home' });
      const publish = world.slack.calls.slice(before).find((c) => c.path === '/api/views.publish');
      expect(publish?.token).toBe(`xoxb-${team}-fake`);
    }
  });

  it('a workspace without a stored installation still gets answers that need no token', async () => {
    const token = await world.issuer.token('boss@acme.test');
    const { body } = await world.api('POST', '/api/link-codes', {}, token);
    await world.command(`link ${body.code}`, 'T9');
    expect((await world.command('acme corp', 'T9')).status).toBe(200);
  });

  it('uninstalling the app deletes the workspace token', async () => {
    const query = { teamId: 'T3', enterpriseId: undefined, isEnterpriseInstall: false } as const;
    expect(await world.services.installations.find(query)).not.toBeNull();
    const response = await world.event('T3', 'Ev-uninstall-T3', { type: 'app_uninstalled' });
    expect(response.statusCode).toBe(200);
    expect(await world.services.installations.find(query)).toBeNull();
  });
});

describe('single-workspace mode', () => {
  it('has no install flow, and says why', async () => {
    const single = await startLambdaWorld();
    try {
      const event = { ...functionUrlEvent('/slack/install', 'GET', { host: HOST }, '') };
      const response = await single.call(event);
      expect(response.statusCode).toBe(404);
      expect(JSON.parse(String(response.body)).error).toContain('single-workspace mode');
    } finally {
      await single.close();
    }
  });
});

it('the manifest asks for the scopes the install flow requests, with the redirect and uninstall events', () => {
  const manifest = readFileSync(`${ROOT}lambda/slack-manifest.yaml`, 'utf8');
  const bot = manifest.split('    bot:\n')[1].split('\nsettings:')[0];
  expect(
    bot
      .trim()
      .split('\n')
      .map((l) => l.trim().replace(/^- /, '')),
  ).toEqual(BOT_SCOPES);
  expect(manifest).toContain('- https://YOUR-FUNCTION-URL/slack/oauth_redirect');
  for (const event of ['app_uninstalled', 'tokens_revoked']) expect(manifest).toContain(`- ${event}`);
});
