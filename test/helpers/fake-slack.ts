import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../sandbox/http';

export interface SlackCall {
  path: string;
  body: Record<string, unknown>;
  /** The token the call was made with (Authorization: Bearer …), if any. */
  token?: string;
}

/** What the fake's OAuth endpoint accepts: the app's credentials and, per grant code, the workspace. */
export interface FakeSlackOAuth {
  clientId: string;
  clientSecret: string;
  codes: Record<string, { teamId: string; teamName: string }>;
}

/**
 * A local stand-in for Slack's Web API (`/api/<method>`) and for response_url posts (`/respond/<id>`):
 * records every call and answers like Slack does.
 */
export async function startFakeSlack(
  users: Record<string, { name: string; email?: string }> = {},
  oauth?: FakeSlackOAuth,
) {
  const calls: SlackCall[] = [];
  /** Channels chat.postMessage refuses, with Slack's error (e.g. the bot was never invited). */
  const refused = new Map<string, string>();
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const type = req.headers['content-type'] ?? '';
    const body = type.includes('json')
      ? JSON.parse(text || '{}')
      : Object.fromEntries(new URLSearchParams(text));
    for (const key of ['view', 'blocks'])
      if (typeof body[key] === 'string') body[key] = JSON.parse(body[key]);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    calls.push({ path: req.url ?? '', body, ...(token ? { token } : {}) });
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/oauth.v2.access') {
      res.end(JSON.stringify(oauthAccess(oauth, body)));
      return;
    }
    if (req.url === '/api/auth.test') {
      // A bot token minted by oauthAccess below: xoxb-<team>-fake.
      const team = /^xoxb-(\w+)-fake$/.exec(token ?? '')?.[1];
      res.end(
        JSON.stringify(
          team
            ? {
                ok: true,
                team_id: team,
                user_id: `U${team}BOT`,
                bot_id: `B${team}`,
                url: 'https://x.slack.com/',
              }
            : { ok: false, error: 'invalid_auth' },
        ),
      );
      return;
    }
    if (req.url === '/api/chat.postMessage' && refused.has(String(body.channel))) {
      res.end(JSON.stringify({ ok: false, error: refused.get(String(body.channel)) }));
      return;
    }
    if (req.url === '/api/users.lookupByEmail') {
      const id = Object.keys(users).find((u) => users[u].email === String(body.email));
      res.end(JSON.stringify(id ? { ok: true, user: { id } } : { ok: false, error: 'users_not_found' }));
      return;
    }
    if (req.url === '/api/users.info') {
      const user = users[String(body.user)];
      res.end(
        JSON.stringify(
          user
            ? { ok: true, user: { id: body.user, name: user.name, profile: { email: user.email } } }
            : { ok: false, error: 'user_not_found' },
        ),
      );
      return;
    }
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id: string) => `${base}/respond/${id}`,
    calls,
    refused,
    /** Waits until a call to `path` arrived (deferred work posts after the response). */
    async waitFor(path: string, timeoutMs = 5_000): Promise<SlackCall> {
      const started = Date.now();
      for (;;) {
        const call = calls.find((c) => c.path === path);
        if (call) return call;
        if (Date.now() - started > timeoutMs) throw new Error(`no call to ${path} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Slack's answer to oauth.v2.access: a bot token for the workspace the grant code was issued in. */
function oauthAccess(oauth: FakeSlackOAuth | undefined, body: Record<string, unknown>) {
  if (!oauth || body.client_id !== oauth.clientId || body.client_secret !== oauth.clientSecret)
    return { ok: false, error: 'invalid_client_id' };
  const grant = oauth.codes[String(body.code)];
  if (!grant) return { ok: false, error: 'invalid_code' };
  return {
    ok: true,
    app_id: 'A0TIERWISE',
    authed_user: { id: 'U0INSTALLER' },
    scope: 'commands,users:read,users:read.email',
    token_type: 'bot',
    access_token: `xoxb-${grant.teamId}-fake`,
    bot_user_id: `U${grant.teamId}BOT`,
    team: { id: grant.teamId, name: grant.teamName },
    enterprise: null,
    is_enterprise_install: false,
  };
}
