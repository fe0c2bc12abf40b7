/** The Lambda's settings, read once at module scope from the environment. */

export interface Env {
  tableName: string;
  region: string;
  /** A local DynamoDB (dynalite in the sandbox and tests); unset in AWS. */
  dynamoEndpoint?: string;
  slackSigningSecret: string;
  slackBotToken: string;
  slackBotId?: string;
  slackBotUserId?: string;
  /** A local fake of Slack's Web API in tests; unset in production. */
  slackApiUrl?: string;
  /** OAuth client ids of the Apps Script project(s) whose ID tokens the config API accepts. */
  googleClientIds: string[];
  /** The function's own name, for deferring slow work to an asynchronous invocation. */
  functionName?: string;
  /**
   * Local sandbox only: a JSON Web Key Set to accept ID tokens from instead of Google's. The CDK stack
   * never sets it.
   */
  sandboxJwks?: string;
  /** Local sandbox only: the business date to pretend it is (YYYY-MM-DD), so example data stays fresh. */
  sandboxToday?: string;
}

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const required = (name: string): string => {
    const value = source[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  return {
    tableName: required('TABLE_NAME'),
    region: source.AWS_REGION ?? 'us-east-1',
    dynamoEndpoint: source.DYNAMODB_ENDPOINT || undefined,
    slackSigningSecret: required('SLACK_SIGNING_SECRET'),
    slackBotToken: required('SLACK_BOT_TOKEN'),
    slackBotId: source.SLACK_BOT_ID || undefined,
    slackBotUserId: source.SLACK_BOT_USER_ID || undefined,
    slackApiUrl: source.SLACK_API_URL || undefined,
    googleClientIds: (source.GOOGLE_CLIENT_IDS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    functionName: source.AWS_LAMBDA_FUNCTION_NAME || undefined,
    sandboxJwks: source.TIERWISE_SANDBOX_JWKS || undefined,
    sandboxToday: source.TIERWISE_SANDBOX_TODAY || undefined,
  };
}
