import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createHandler, type LambdaHandler } from '../../lambda/handler';
import { createLogger, type Logger } from '../../lambda/log';
import { createServices, type Services } from '../../lambda/services';
import { runDeferred } from '../../lambda/slack/deferred';
import { startLocalDynamo } from '../../sandbox/local-dynamo';
import {
  blockActionBody,
  eventBody,
  FORM,
  functionUrlEvent,
  JSON_TYPE,
  signedHeaders,
  slashCommandBody,
} from '../../sandbox/requests';
import { startDynalite } from './dynalite';
import { type FakeSlackOAuth, startFakeSlack } from './fake-slack';
import { startFaultyDynamo } from './faulty-dynamo';
import { testIssuer } from './tokens';

// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON bodies they expect.
export type Json = any;
export type ApiCall = (
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) => Promise<{ status: number; body: Json }>;

export const SIGNING_SECRET = 'test-signing-secret';
export const CLIENT_ID = 'test-client.apps.googleusercontent.com';
export const BOT_TOKEN = 'xoxb-test';

/** The real handler over dynalite, a fake Slack and a test key pair for ID tokens. */
export async function startLambdaWorld(
  options: {
    now?: () => Date;
    users?: Record<string, { name: string; email?: string }>;
    deferAboveCustomers?: number;
    log?: Logger;
    /** The many-workspace mode (Slack's OAuth install flow) instead of the single bot token. */
    slackOAuth?: FakeSlackOAuth;
    /** Keep the table on disk here (as the sandbox does), so a second world can reopen it: a restart. */
    dbPath?: string;
    /** Put a fault-injecting proxy between the services and dynalite (world.faults steers it). */
    faulty?: boolean;
  } = {},
) {
  const db = options.dbPath
    ? await startLocalDynamo('tierwise-test', { path: options.dbPath })
    : await startDynalite();
  const faults = options.faulty ? await startFaultyDynamo(db.endpoint) : undefined;
  const slack = await startFakeSlack(options.users, options.slackOAuth);
  const issuer = await testIssuer(CLIENT_ID);
  const logs: string[] = [];
  let services: Services | undefined;
  services = createServices(
    {
      tableName: db.table,
      region: 'local',
      dynamoEndpoint: faults?.endpoint ?? db.endpoint,
      slackSigningSecret: SIGNING_SECRET,
      ...(options.slackOAuth
        ? { slackClientId: options.slackOAuth.clientId, slackClientSecret: options.slackOAuth.clientSecret }
        : { slackBotToken: BOT_TOKEN }),
      slackApiUrl: slack.apiUrl,
      googleClientIds: [CLIENT_ID],
    },
    {
      keys: issuer.keys,
      now: options.now,
      deferAboveCustomers: options.deferAboveCustomers,
      // Captured rather than printed; tests that check the logs pass their own.
      log: options.log ?? createLogger({ level: 'warn', write: (line) => logs.push(line) }),
      defer: async (job) => {
        setImmediate(() => void runDeferred(services!, job));
      },
    },
  );
  const handler: LambdaHandler = createHandler(services);
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  let requests = 0;
  const call = (event: ReturnType<typeof functionUrlEvent> | APIGatewayProxyEventV2) =>
    handler(event as unknown as APIGatewayProxyEventV2, { awsRequestId: `test-request-${++requests}` });
  let counter = 0;
  let retries = 0;

  return {
    services,
    logs,
    faults,
    slack,
    issuer,
    handler,
    call,
    async api(method: string, path: string, body?: unknown, token?: string): ReturnType<ApiCall> {
      const headers: Record<string, string> = { 'content-type': JSON_TYPE };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await call(
        functionUrlEvent(path, method, headers, body === undefined ? '' : JSON.stringify(body)),
      );
      return { status: response.statusCode ?? 0, body: response.body ? JSON.parse(response.body) : null };
    },
    /** A signed `/tier …` command; returns the HTTP response and its JSON body. */
    async command(
      text: string,
      teamId: string,
      extra: { userName?: string; userId?: string; timestamp?: number; secret?: string } = {},
    ) {
      const body = slashCommandBody({
        text,
        teamId,
        userName: extra.userName,
        userId: extra.userId,
        responseUrl: slack.responseUrl(`cmd${++counter}`),
      });
      const headers = signedHeaders(
        extra.secret ?? SIGNING_SECRET,
        body,
        FORM,
        extra.timestamp ?? nowSeconds(),
      );
      const event = functionUrlEvent('/slack/events', 'POST', headers, body);
      const response = await call(event);
      return {
        status: response.statusCode,
        body: response.body ? safeJson(response.body) : null,
        event,
        responseUrlPath: `/respond/cmd${counter}`,
      };
    },
    async action(actionId: string, value: string, teamId: string) {
      const path = `act${++counter}`;
      const body = blockActionBody({ teamId, actionId, value, responseUrl: slack.responseUrl(path) });
      const response = await call(
        functionUrlEvent(
          '/slack/events',
          'POST',
          signedHeaders(SIGNING_SECRET, body, FORM, nowSeconds()),
          body,
        ),
      );
      return { status: response.statusCode, responsePath: `/respond/${path}` };
    },
    /** An Events API callback; a retry carries Slack's retry headers (reason: why Slack retried). */
    async event(
      teamId: string,
      eventId: string,
      event: Record<string, unknown>,
      retry: boolean | 'http_timeout' | 'http_error' = false,
      secret = SIGNING_SECRET,
    ) {
      const body = eventBody({ teamId, eventId, event });
      // Slack signs a retry anew, with a later timestamp.
      const timestamp = nowSeconds() + (retry ? ++retries : 0);
      const headers = {
        ...signedHeaders(secret, body, JSON_TYPE, timestamp),
        ...(retry ? { 'x-slack-retry-num': '1' } : {}),
        ...(typeof retry === 'string' ? { 'x-slack-retry-reason': retry } : {}),
      };
      return call(functionUrlEvent('/slack/events', 'POST', headers, body));
    },
    async close() {
      await faults?.close();
      await Promise.all([db.close(), slack.close()]);
      services!.db.destroy();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
