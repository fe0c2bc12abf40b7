/**
 * `POST /slack/events` before Bolt sees it: the size limit (413, before anything is decoded or
 * parsed), Slack's unsigned `ssl_check` probes (200), the signature and replay checks (401), the
 * shape of the body (400 for a malformed but validly signed request, where Bolt would throw a 500),
 * and event deduplication that lets Slack's retry through when the first delivery failed. Bolt then
 * gets the body decoded as UTF-8 (it decodes base64 as ASCII, which breaks non-ASCII JSON) with a
 * plain content type (it compares the header exactly, so "; charset=utf-8" would break it).
 */

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type HttpResponse, problem } from '../http';
import { errorFields } from '../log';
import type { Services } from '../services';
import type { SlackApp } from './app';
import { verifySlackSignature } from './signature';

/** Slack's payloads are a few KB; a Home tab's block_actions carries its view (at most ~100 blocks). */
export const MAX_SLACK_BODY_BYTES = 1024 * 1024;
/** Replay markers outlive Slack's five-minute window. */
const SEEN_SECONDS = 600;
const FORM = 'application/x-www-form-urlencoded';

type Parsed =
  | { ok: true; kind: 'form' | 'json'; value: Record<string, unknown> }
  | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bytes of the body as sent, without decoding it. */
function bodyBytes(event: APIGatewayProxyEventV2): number {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw, 'utf8');
}

function parseBody(contentType: string, body: string): Parsed {
  try {
    if (contentType === FORM) {
      const form = new URLSearchParams(body);
      const payload = form.get('payload');
      if (payload === null) return { ok: true, kind: 'form', value: Object.fromEntries(form) };
      const value: unknown = JSON.parse(payload);
      return isObject(value)
        ? { ok: true, kind: 'form', value }
        : { ok: false, reason: 'the payload field is not a JSON object' };
    }
    const value: unknown = JSON.parse(body);
    return isObject(value)
      ? { ok: true, kind: 'json', value }
      : { ok: false, reason: 'the body is not a JSON object' };
  } catch (error) {
    return {
      ok: false,
      reason: `the body is not valid ${contentType === FORM ? 'form data' : 'JSON'}: ${(error as Error).message}`,
    };
  }
}

/** What Bolt can route: a slash command, an interaction payload, an Events API callback or challenge. */
function recognisable(parsed: Record<string, unknown>): boolean {
  // A payload or an event has a type: block_actions, event_callback, url_verification, view_submission…
  return typeof parsed.command === 'string' || typeof parsed.type === 'string';
}

export async function handleSlackEvents(
  services: Services,
  event: APIGatewayProxyEventV2,
  slack: () => SlackApp,
): Promise<APIGatewayProxyStructuredResultV2 | HttpResponse> {
  if (bodyBytes(event) > MAX_SLACK_BODY_BYTES)
    return problem(413, `request body over ${MAX_SLACK_BODY_BYTES} bytes`);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  const contentType = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

  // Slack checks the certificate of slash command URLs with unsigned form posts: answer, do nothing.
  if (contentType === FORM && new URLSearchParams(body).get('ssl_check') === '1')
    return { statusCode: 200, headers: {}, body: '' };

  // Freshness is judged by the real clock, as Slack does; services.now is the business date.
  const signed = verifySlackSignature(
    (await services.secrets()).slackSigningSecret,
    headers,
    body,
    Math.floor(Date.now() / 1000),
  );
  if (!signed.ok) return problem(401, signed.reason);
  if (!(await services.orgs.firstSighting(`sig:${signed.signature}`, SEEN_SECONDS)))
    return problem(401, 'replayed request');

  const parsed = parseBody(contentType, body);
  if (!parsed.ok) return problem(400, `malformed Slack request: ${parsed.reason}`);
  if (!recognisable(parsed.value))
    return problem(400, 'malformed Slack request: neither a command, a payload nor an event');

  const eventId =
    parsed.value.type === 'event_callback' && typeof parsed.value.event_id === 'string'
      ? `event:${parsed.value.event_id}`
      : null;
  // Slack retried an event this function is handling or has handled: say it arrived, do nothing twice.
  // Unless Slack saw the first delivery fail (an HTTP error: our 500, or a crash or timeout of the
  // function that left no chance to forget the event id): then the retry must run.
  const firstFailed = headers['x-slack-retry-reason'] === 'http_error';
  if (eventId && !(await services.orgs.firstSighting(eventId, SEEN_SECONDS)) && !firstFailed)
    return { statusCode: 200, headers: {}, body: '' };

  const forBolt: APIGatewayProxyEventV2 = {
    ...event,
    headers: { ...headers, 'content-type': parsed.kind === 'form' ? FORM : 'application/json' },
    body,
    isBase64Encoded: false,
  };
  let response: APIGatewayProxyStructuredResultV2;
  try {
    response = await slack().receiver.toHandler()(forBolt as never, {});
  } catch (error) {
    services.log.error('Bolt failed on a Slack request', errorFields(error));
    response = { statusCode: 500, body: '' };
  }
  // A failed event is forgotten, so Slack's retry runs instead of being taken for a duplicate.
  if (eventId && (response.statusCode ?? 200) >= 500)
    await services.orgs
      .forgetSighting(eventId)
      .catch((error) => services.log.error('could not forget a failed event', errorFields(error)));
  return response;
}
