/**
 * Where each secret lives: an SSM parameter under the stage's path (`/tierwise/dev/slack/signing-secret`)
 * in AWS, an environment variable in the sandbox and tests. The stack grants read access to exactly these
 * names and the README's "put the secrets" commands list them; keep the three in step through this table.
 * No imports, so infra/ can use it without loading the SDK.
 */

export const SECRET_PARAMETERS = {
  slackSigningSecret: { parameter: 'slack/signing-secret', envVar: 'SLACK_SIGNING_SECRET' },
  /** Single-workspace mode: the bot token of the one workspace the app is installed in. */
  slackBotToken: { parameter: 'slack/bot-token', envVar: 'SLACK_BOT_TOKEN' },
  /** Many-workspace mode (OAuth v2 install): the app's client id and secret. */
  slackClientId: { parameter: 'slack/client-id', envVar: 'SLACK_CLIENT_ID' },
  slackClientSecret: { parameter: 'slack/client-secret', envVar: 'SLACK_CLIENT_SECRET' },
  /** OAuth client id(s) of the Apps Script project, comma-separated. */
  googleClientIds: { parameter: 'google/client-ids', envVar: 'GOOGLE_CLIENT_IDS' },
} as const;

export type SecretName = keyof typeof SECRET_PARAMETERS;

/** The stage's parameter path, with the trailing slash: `/tierwise/prod/`. */
export const parameterPrefix = (stage: string): string => `/tierwise/${stage}/`;
