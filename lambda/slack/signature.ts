/**
 * Slack's request signature, checked before anything else: v0=HMAC-SHA256(secret, "v0:ts:body"),
 * with requests older than five minutes refused. Bolt checks it again; checking here first lets the
 * router refuse replays (the same signed request twice) before Bolt runs any listener.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_AGE_SECONDS = 300;

export function signSlackRequest(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function verifySlackSignature(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowSeconds: number,
): { ok: true; signature: string } | { ok: false; reason: string } {
  const signature = headers['x-slack-signature'];
  const timestamp = Number(headers['x-slack-request-timestamp']);
  if (!signature || !Number.isFinite(timestamp))
    return { ok: false, reason: 'missing Slack signature headers' };
  if (Math.abs(nowSeconds - timestamp) > MAX_AGE_SECONDS)
    return { ok: false, reason: 'stale request timestamp' };
  const expected = Buffer.from(signSlackRequest(secret, timestamp, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'bad signature' };
  return { ok: true, signature };
}
