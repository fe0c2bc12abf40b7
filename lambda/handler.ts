/**
 * The Lambda entry point behind one Function URL: `/slack/events` goes to Bolt (after the signature,
 * replay and retry checks), `/slack/install` and `/slack/oauth_redirect` to Slack's install flow,
 * `/api/*` to the config API, `/healthz` answers. Deferred Slack work arrives as an asynchronous
 * self-invocation. Every request ends with one JSON log line (route, organisation, outcome, latency).
 * The sandbox runs this same handler.
 */

import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLocalJWKSet } from 'jose';
import { handleApi } from './api/config-api';
import { readEnv } from './env';
import { type HttpRequest, json, problem } from './http';
import { errorFields, inRequest, type LogFields, logRequest, type RequestKind } from './log';
import { handleSlackOAuth, isSlackOAuthPath, withInstallEvents } from './oauth';
import { createServices, type Services } from './services';
import { createSlackApp, type SlackApp } from './slack/app';
import { type DeferredJob, runDeferred } from './slack/deferred';
import { runDigests } from './slack/digest';
import { handleSlackEvents } from './slack/route';

/** A Function URL request, a deferred Slack job, or the hourly digest run (EventBridge Scheduler). */
export type LambdaEvent = APIGatewayProxyEventV2 | { deferred: DeferredJob } | { digest: true };
export type LambdaHandler = (
  event: LambdaEvent,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

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
  const route = async (event: LambdaEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    if ('digest' in event) {
      const reports = await runDigests(services);
      return { statusCode: 200, body: JSON.stringify({ digests: reports }) };
    }
    if ('deferred' in event) {
      // A job that failed has apologised to the user already; its 500 is for the logs and alarms.
      const outcome = await runDeferred(services, event.deferred);
      return { statusCode: outcome === 'failed' ? 500 : outcome === 'dropped' ? 410 : 200, body: '' };
    }
    // Slack requests are checked and sized before anything decodes them (slack/route.ts).
    if (event.rawPath === '/slack/events' && event.requestContext?.http?.method === 'POST')
      return handleSlackEvents(
        services,
        event,
        () => (slack ??= withInstallEvents(createSlackApp(services), services)),
      );
    const request = toHttpRequest(event);
    if (request.path === '/healthz') return json(200, { ok: true });
    if (request.path.startsWith('/api/')) return handleApi(services, request);
    if (isSlackOAuthPath(request.path)) return handleSlackOAuth(services, event);
    return problem(404, `no such endpoint: ${request.method} ${request.path}`);
  };

  let coldStart = true;
  return async (event, context) => {
    const started = performance.now();
    const kind = requestKind(event);
    const cold = coldStart;
    coldStart = false;
    const requestId = (context as { awsRequestId?: string } | undefined)?.awsRequestId;
    return inRequest({ requestId, kind, ...describeRequest(event) }, async () => {
      let response: APIGatewayProxyStructuredResultV2;
      try {
        response = await route(event);
      } catch (error) {
        services.log.error('request failed', errorFields(error));
        response = problem(500, 'Tierwise failed to answer; the error is logged', { requestId });
      }
      const status = response.statusCode ?? 200;
      logRequest(services.log, { kind, status, latencyMs: performance.now() - started, coldStart: cold });
      return response;
    });
  };
}

function requestKind(event: LambdaEvent): RequestKind {
  if ('deferred' in event || 'digest' in event) return 'deferred';
  const path = event.rawPath ?? '/';
  if (path === '/slack/events') return 'slack';
  if (isSlackOAuthPath(path)) return 'oauth';
  if (path.startsWith('/api/')) return 'api';
  if (path === '/healthz') return 'health';
  return 'other';
}

/**
 * What a person searching the logs needs to tell requests apart, and nothing a user typed: the route
 * (method and path, or Slack's command name, payload type or event type) and the Slack workspace.
 */
function describeRequest(event: LambdaEvent): LogFields {
  if ('digest' in event) return { route: 'weekly digest' };
  if ('deferred' in event) {
    const job = event.deferred;
    return { route: `deferred ${job.kind}`, team: job.kind === 'slack-command' ? job.team_id : job.teamId };
  }
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = (event.rawPath ?? '/').slice(0, 100);
  const raw = event.body ?? '';
  // Only Slack's small bodies are read (this runs before slack/route.ts's size limit).
  if (path !== '/slack/events' || !raw || raw.length > DESCRIBED_BODY_CHARS)
    return { route: `${method} ${path}` };
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  try {
    if (text.startsWith('{')) {
      const body = JSON.parse(text) as { type?: string; team_id?: string; event?: { type?: string } };
      return { route: `slack ${short(body.event?.type ?? body.type)}`, team: short(body.team_id) };
    }
    const form = new URLSearchParams(text);
    const command = form.get('command');
    if (command) return { route: `slack ${short(command)}`, team: short(form.get('team_id')) };
    const payload = JSON.parse(form.get('payload') ?? '{}') as { type?: string; team?: { id?: string } };
    return { route: `slack ${short(payload.type)}`, team: short(payload.team?.id) };
  } catch {
    return { route: 'slack unreadable' };
  }
}

const DESCRIBED_BODY_CHARS = 64 * 1024;

/** Slack's own identifiers are short; anything longer is not one and is cut. */
const short = (value: string | null | undefined): string | undefined =>
  typeof value === 'string' ? value.slice(0, 40) : undefined;

/** In Lambda, an asynchronous invocation of this same function; elsewhere, after the current response. */
export function deferrer(
  functionName: string | undefined,
  region: string,
  local: () => Services,
): Services['defer'] {
  if (!functionName) {
    return async (job) => {
      setImmediate(() => void runDeferred(local(), job));
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
