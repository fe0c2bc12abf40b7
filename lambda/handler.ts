/**
 * The Lambda entry point behind one Function URL: `/slack/events` goes to Bolt (after the signature,
 * replay and retry checks), `/api/*` to the config API, `/healthz` answers. Deferred Slack work
 * arrives as an asynchronous self-invocation. The sandbox runs this same handler.
 */

import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLocalJWKSet } from 'jose';
import { handleApi } from './api/config-api';
import { readEnv } from './env';
import { type HttpRequest, json, problem } from './http';
import { createServices, type DeferredJob, type Services } from './services';
import { answerCommand } from './slack/answers';
import { createSlackApp, type SlackApp } from './slack/app';
import { verifySlackSignature } from './slack/signature';

export type LambdaEvent = APIGatewayProxyEventV2 | { deferred: DeferredJob };
export type LambdaHandler = (
  event: LambdaEvent,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Replay markers outlive Slack's five-minute window. */
const SEEN_SECONDS = 600;

export function toHttpRequest(event: APIGatewayProxyEventV2): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const raw = event.body ?? '';
  return {
    method: event.requestContext?.http?.method ?? 'GET',
    path: event.rawPath ?? '/',
    headers,
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
  };
}

export function createHandler(services: Services): LambdaHandler {
  let slack: SlackApp | undefined;
  return async (event, context) => {
    if ('deferred' in event) {
      await runDeferred(services, event.deferred);
      return { statusCode: 200, body: '' };
    }
    const request = toHttpRequest(event);
    if (request.path === '/healthz') return json(200, { ok: true });
    if (request.path.startsWith('/api/')) return handleApi(services, request);
    if (request.path !== '/slack/events' || request.method !== 'POST')
      return problem(404, `no such endpoint: ${request.method} ${request.path}`);

    // Freshness is judged by the real clock, as Bolt does; services.now is the business date.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const signed = verifySlackSignature(
      services.env.slackSigningSecret,
      request.headers,
      request.body,
      nowSeconds,
    );
    if (!signed.ok) return problem(401, signed.reason);
    if (!(await services.orgs.firstSighting(`sig:${signed.signature}`, SEEN_SECONDS)))
      return problem(401, 'replayed request');
    const eventId = slackEventId(request.body);
    if (eventId && !(await services.orgs.firstSighting(`event:${eventId}`, SEEN_SECONDS))) {
      // Slack retried an event we already handled: say it arrived, do nothing twice.
      return { statusCode: 200, headers: {}, body: '' };
    }
    slack ??= createSlackApp(services);
    return slack.receiver.toHandler()(event as never, context);
  };
}

function slackEventId(body: string): string | null {
  if (!body.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(body) as { type?: string; event_id?: string };
    return parsed.type === 'event_callback' && typeof parsed.event_id === 'string' ? parsed.event_id : null;
  } catch {
    return null;
  }
}

/** Finishes a slow slash command through its response_url. */
export async function runDeferred(services: Services, job: DeferredJob): Promise<void> {
  const reply = await answerCommand(services, {
    team_id: job.teamId,
    user_name: job.userName,
    text: job.text,
  });
  const response = await fetch(job.responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...reply, replace_original: true }),
  });
  if (!response.ok) throw new Error(`Slack refused the deferred answer: HTTP ${response.status}`);
}

/** In Lambda, an asynchronous invocation of this same function; elsewhere, after the current response. */
export function deferrer(
  functionName: string | undefined,
  region: string,
  local: () => Services,
): Services['defer'] {
  if (!functionName) {
    return async (job) => {
      setImmediate(() =>
        runDeferred(local(), job).catch((error) => console.error('deferred Slack answer failed:', error)),
      );
    };
  }
  const lambda = new LambdaClient({ region });
  return async (job) => {
    await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify({ deferred: job })),
      }),
    );
  };
}

let instance: LambdaHandler | undefined;

/** Lambda's entry: services are built on the first request and reused while the instance is warm. */
export const handler: LambdaHandler = (event, context) => {
  if (!instance) {
    const env = readEnv();
    let services: Services | undefined;
    const keys = env.sandboxJwks ? createLocalJWKSet(JSON.parse(env.sandboxJwks)) : undefined;
    const now = env.sandboxToday ? () => new Date(`${env.sandboxToday}T12:00:00Z`) : undefined;
    services = createServices(env, {
      keys,
      now,
      defer: deferrer(env.functionName, env.region, () => services!),
    });
    instance = createHandler(services);
  }
  return instance(event, context);
};
