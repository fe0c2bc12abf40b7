import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  path: string;
  body: Record<string, unknown>;
}

/**
 * A local stand-in for Slack's Web API (`/api/<method>`) and for response_url posts (`/respond/<id>`):
 * records every call and answers like Slack does.
 */
export async function startFakeSlack(users: Record<string, { name: string; email?: string }> = {}) {
  const calls: SlackCall[] = [];
  const read = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve) => {
      let data = '';
      req.on('data', (chunk) => {
        data += chunk;
      });
      req.on('end', () => resolve(data));
    });
  const server = createServer(async (req, res) => {
    const text = await read(req);
    const type = req.headers['content-type'] ?? '';
    const body = type.includes('json')
      ? JSON.parse(text || '{}')
      : Object.fromEntries(new URLSearchParams(text));
    for (const key of ['view', 'blocks'])
      if (typeof body[key] === 'string') body[key] = JSON.parse(body[key]);
    calls.push({ path: req.url ?? '', body });
    res.setHeader('content-type', 'application/json');
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
