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
import { createServices, type Services } from './services';
import { createSlackApp, type SlackApp } from './slack/app';
import { type DeferredJob, runDeferred } from './slack/deferred';
import { handleSlackEvents } from './slack/route';

export type LambdaEvent = APIGatewayProxyEventV2 | { deferred: DeferredJob };
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
  return async (event) => {
    if ('deferred' in event) {
      await runDeferred(services, event.deferred);
      return { statusCode: 200, body: '' };
    }
    // Slack requests are checked and sized before anything decodes them (slack/route.ts).
    if (event.rawPath === '/slack/events' && event.requestContext?.http?.method === 'POST')
      return handleSlackEvents(services, event, () => (slack ??= createSlackApp(services)));
    const request = toHttpRequest(event);
    if (request.path === '/healthz') return json(200, { ok: true });
    if (request.path.startsWith('/api/')) return handleApi(services, request);
    return problem(404, `no such endpoint: ${request.method} ${request.path}`);
  };
}

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
