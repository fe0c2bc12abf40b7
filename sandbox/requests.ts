/**
 * Correctly signed Slack requests, as Slack would send them: used by the sandbox's `tierwise slack`
 * command and by the tests. Nothing here runs in production.
 */

import { signSlackRequest } from '../lambda/slack/signature';

export interface SlashCommand {
  text: string;
  teamId: string;
  userId?: string;
  userName?: string;
  responseUrl?: string;
  command?: string;
}

export function slashCommandBody(c: SlashCommand): string {
  return new URLSearchParams({
    token: 'unused',
    team_id: c.teamId,
    team_domain: 'local',
    channel_id: 'C0LOCAL',
    channel_name: 'general',
    user_id: c.userId ?? 'U0LOCAL',
    user_name: c.userName ?? 'ana',
    command: c.command ?? '/tier',
    text: c.text,
    response_url: c.responseUrl ?? 'http://127.0.0.1:9/respond',
    trigger_id: '1.2.3',
    api_app_id: 'A0LOCAL',
  }).toString();
}

export function blockActionBody(a: {
  teamId: string;
  actionId: string;
  value: string;
  responseUrl: string;
  userName?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: a.teamId, domain: 'local' },
    user: { id: 'U0LOCAL', username: a.userName ?? 'ana', name: a.userName ?? 'ana', team_id: a.teamId },
    api_app_id: 'A0LOCAL',
    token: 'unused',
    container: { type: 'message', message_ts: '1.1', channel_id: 'C0LOCAL', is_ephemeral: true },
    trigger_id: '1.2.3',
    channel: { id: 'C0LOCAL', name: 'general' },
    response_url: a.responseUrl,
    actions: [{ type: 'button', action_id: a.actionId, block_id: 'b1', value: a.value, action_ts: '1.1' }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function eventBody(e: { teamId: string; eventId: string; event: Record<string, unknown> }): string {
  return JSON.stringify({
    token: 'unused',
    team_id: e.teamId,
    api_app_id: 'A0LOCAL',
    type: 'event_callback',
    event_id: e.eventId,
    event_time: 1,
    event: e.event,
  });
}

/** Headers Slack adds: the timestamp and the v0 signature of "v0:timestamp:body". */
export function signedHeaders(
  secret: string,
  body: string,
  contentType: string,
  timestamp: number,
): Record<string, string> {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(secret, timestamp, body),
  };
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

/** A Function URL event (payload v2) carrying the request. */
export function functionUrlEvent(
  path: string,
  method: string,
  headers: Record<string, string>,
  body: string,
) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: { http: { method, path, sourceIp: '127.0.0.1' } },
    body,
    isBase64Encoded: false,
  };
}
