/**
 * The Lambda's settings, read from the environment once per instance, on its first request (`handler`
 * in lambda/handler.ts). In AWS the environment holds no secret: `parameterPrefix` names the SSM path
 * they are read from at run time (lambda/secrets.ts).
 * Local runs (sandbox, tests, benchmarks) have no prefix and pass the secrets here instead.
 */

import { isLevel, type Level } from './log';

export interface Env {
  tableName: string;
  region: string;
  /** `dev` or `prod` in AWS; unset locally. */
  stage?: string;
  /** AWS: the SSM path of the secrets (`/tierwise/prod/`). */
  parameterPrefix?: string;
  /** A local stand-in for SSM (tests); unset in AWS. */
  ssmEndpoint?: string;
  /** A local DynamoDB (dynalite in the sandbox and tests); unset in AWS. */
  dynamoEndpoint?: string;
  /** Local runs only (no parameterPrefix): the secrets themselves. */
  slackSigningSecret?: string;
  slackBotToken?: string;
  slackClientId?: string;
  slackClientSecret?: string;
  googleClientIds?: string[];
  slackBotId?: string;
  slackBotUserId?: string;
  /** A local fake of Slack's Web API in tests; unset in production. */
  slackApiUrl?: string;
  /** The function's own name, for deferring slow work to an asynchronous invocation. */
  functionName?: string;
  /** LOG_LEVEL, else `info` in Lambda and `warn` elsewhere (so the sandbox's terminal stays readable). */
  logLevel?: Level;
  /**
   * Local sandbox only: a JSON Web Key Set to accept ID tokens from instead of Google's. The CDK stack
   * never sets it.
   */
  sandboxJwks?: string;
  /** Local sandbox only: the business date to pretend it is (YYYY-MM-DD), so example data stays fresh. */
  sandboxToday?: string;
}

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const tableName = source.TABLE_NAME;
  if (!tableName) throw new Error('environment variable TABLE_NAME is not set');
  const parameterPrefix = source.TIERWISE_PARAMETER_PREFIX || undefined;
  const functionName = source.AWS_LAMBDA_FUNCTION_NAME || undefined;
  const logLevel = source.LOG_LEVEL?.toLowerCase();
  if (logLevel && !isLevel(logLevel))
    throw new Error(`LOG_LEVEL "${source.LOG_LEVEL}" is not one of debug, info, warn, error`);
  return {
    tableName,
    region: source.AWS_REGION ?? 'us-east-1',
    stage: source.TIERWISE_STAGE || undefined,
    parameterPrefix,
    ssmEndpoint: source.SSM_ENDPOINT || undefined,
    dynamoEndpoint: source.DYNAMODB_ENDPOINT || undefined,
    // With a parameter prefix the secrets come from SSM only, even if someone set these variables.
    ...(parameterPrefix
      ? {}
      : {
          slackSigningSecret: source.SLACK_SIGNING_SECRET || undefined,
          slackBotToken: source.SLACK_BOT_TOKEN || undefined,
          slackClientId: source.SLACK_CLIENT_ID || undefined,
          slackClientSecret: source.SLACK_CLIENT_SECRET || undefined,
          googleClientIds: (source.GOOGLE_CLIENT_IDS ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }),
    slackBotId: source.SLACK_BOT_ID || undefined,
    slackBotUserId: source.SLACK_BOT_USER_ID || undefined,
    slackApiUrl: source.SLACK_API_URL || undefined,
    functionName,
    logLevel: logLevel && isLevel(logLevel) ? logLevel : functionName ? 'info' : 'warn',
    sandboxJwks: source.TIERWISE_SANDBOX_JWKS || undefined,
    sandboxToday: source.TIERWISE_SANDBOX_TODAY || undefined,
  };
}
