/** HTTP pieces the sandbox, the scripts and the tests' local stand-ins (fake Slack, fake SSM) share. */

import type { IncomingMessage } from 'node:http';

/** A request's whole body. */
export function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A request's whole body as text (UTF-8, decoded once, so no character is split between chunks). */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

/**
 * Calls the config API at `url` as the person whose ID token `token` signs, as the Apps Script server
 * functions do with UrlFetchApp: the status and the JSON body.
 */
export function configApiClient(url: string, token: () => Promise<string>) {
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}
