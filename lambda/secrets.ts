/**
 * The Lambda's secrets, read at run time: in AWS from SSM Parameter Store (SecureString, one GetParameters
 * call for all of them), never from the template, cdk.out or the function's environment; locally from the
 * environment. A warm instance keeps them for SECRETS_CACHE_MS, so a rotated secret is picked up within
 * minutes without a redeploy, and a failed refresh keeps serving the previous values.
 */

import type { SSMClient } from '@aws-sdk/client-ssm';
import { errorFields, type Logger } from './log';
import { SECRET_PARAMETERS, type SecretName } from './parameters';

export interface Secrets {
  slackSigningSecret: string;
  /** Single-workspace mode. */
  slackBotToken?: string;
  /** Many-workspace mode: both set means Slack's OAuth install flow is on. */
  slackOAuth?: { clientId: string; clientSecret: string };
  googleClientIds: string[];
}

export type SecretSource = () => Promise<Secrets>;

/** Long enough that a busy instance reads SSM a few times an hour, short enough for a rotation. */
export const SECRETS_CACHE_MS = 5 * 60_000;

export class SecretsError extends Error {}

/**
 * Checks the raw values and says, without ever quoting one, which is missing or malformed and where.
 * `where(name)` names the place a person would fix it (the SSM parameter or the environment variable).
 */
export function parseSecrets(
  get: (name: SecretName) => string | undefined,
  where: (name: SecretName) => string,
): Secrets {
  const value = (name: SecretName) => get(name)?.trim() || undefined;
  const signingSecret = value('slackSigningSecret');
  if (!signingSecret) throw new SecretsError(`${where('slackSigningSecret')} is not set`);
  const botToken = value('slackBotToken');
  if (botToken && !botToken.startsWith('xoxb-'))
    throw new SecretsError(`${where('slackBotToken')} is not a bot token (it should start with xoxb-)`);
  const clientId = value('slackClientId');
  const clientSecret = value('slackClientSecret');
  if (!clientId !== !clientSecret) {
    const missing = clientId ? 'slackClientSecret' : 'slackClientId';
    throw new SecretsError(
      `${where(missing)} is not set: Slack's install flow needs both the client id and the client secret`,
    );
  }
  if (!botToken && !clientId) {
    throw new SecretsError(
      `neither ${where('slackBotToken')} (one workspace) nor ${where('slackClientId')} and ` +
        `${where('slackClientSecret')} (install in many workspaces) is set`,
    );
  }
  return {
    slackSigningSecret: signingSecret,
    slackBotToken: botToken,
    slackOAuth: clientId && clientSecret ? { clientId, clientSecret } : undefined,
    googleClientIds: (value('googleClientIds') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** Secrets from environment variables: the sandbox and tests. */
export function environmentSecrets(source: Record<string, string | undefined>): Secrets {
  return parseSecrets(
    (name) => source[SECRET_PARAMETERS[name].envVar],
    (name) => `environment variable ${SECRET_PARAMETERS[name].envVar}`,
  );
}

/**
 * Secrets from the SSM parameters under `prefix`, all in one call. The SSM client is loaded on the
 * first read (the Lambda runtime ships it): local runs, which never read SSM, do not pay for it.
 */
export function ssmSecrets(options: { prefix: string; region: string; endpoint?: string }): SecretSource {
  let client: Promise<{
    ssm: SSMClient;
    GetParameters: typeof import('@aws-sdk/client-ssm').GetParametersCommand;
  }>;
  const connect = async () => {
    const sdk = await import('@aws-sdk/client-ssm');
    const ssm = new sdk.SSMClient({
      region: options.region,
      ...(options.endpoint
        ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
        : {}),
    });
    return { ssm, GetParameters: sdk.GetParametersCommand };
  };
  const names = Object.keys(SECRET_PARAMETERS) as SecretName[];
  const path = (name: SecretName) => `${options.prefix}${SECRET_PARAMETERS[name].parameter}`;
  return async () => {
    client ??= connect();
    const { ssm, GetParameters } = await client;
    const { Parameters = [] } = await ssm.send(
      new GetParameters({ Names: names.map(path), WithDecryption: true }),
    );
    const values = new Map(Parameters.map((p) => [p.Name, p.Value]));
    return parseSecrets(
      (name) => values.get(path(name)),
      (name) => `SSM parameter ${path(name)}`,
    );
  };
}

/**
 * Reuses what `load` returned for `maxAgeMs`; concurrent callers share one read. When a refresh fails
 * the previous secrets stay in use (logged), so an SSM hiccup does not take the bot down.
 */
export function cachedSecrets(
  load: SecretSource,
  log: Logger,
  options: { maxAgeMs?: number; now?: () => number } = {},
): SecretSource {
  const maxAge = options.maxAgeMs ?? SECRETS_CACHE_MS;
  const now = options.now ?? Date.now;
  let held: { at: number; secrets: Secrets } | undefined;
  let pending: Promise<Secrets> | undefined;
  return () => {
    if (held && now() - held.at < maxAge) return Promise.resolve(held.secrets);
    pending ??= load()
      .then(
        (secrets) => {
          held = { at: now(), secrets };
          return secrets;
        },
        (error: unknown) => {
          if (!held) throw error;
          log.warn('secrets refresh failed; using the previous values', errorFields(error));
          // Try again in half a minute rather than on every request while SSM is failing.
          held = { at: now() - maxAge + 30_000, secrets: held.secrets };
          return held.secrets;
        },
      )
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
