/**
 * Everything the handlers need, built once per Lambda instance (or once per sandbox/test): the stores,
 * the secrets, the logger, the token verifier, the clock and the way slow work is deferred.
 */

import type { Authorize } from '@slack/bolt';
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { GOOGLE_JWKS_URL, googleTokenVerifier, type TokenVerifier } from './auth';
import type { Env } from './env';
import { annotate, createLogger, type Logger } from './log';
import { cachedSecrets, environmentSecrets, type SecretSource, ssmSecrets } from './secrets';
import type { DeferredJob } from './slack/deferred';
import { BookStore } from './store/book-store';
import { ConfigStore } from './store/config-store';
import { ContactStore } from './store/contact-store';
import { createDb, type Db } from './store/dynamo';
import { SlackInstallationStore } from './store/installation-store';
import { NotifyStore } from './store/notify-store';
import { OrgStore } from './store/org-store';

export interface Services {
  env: Env;
  db: Db;
  configs: ConfigStore;
  orgs: OrgStore;
  books: BookStore;
  /** Slack installations (OAuth mode): each workspace's bot token. */
  installations: SlackInstallationStore;
  /** Read at run time and cached: SSM in AWS, the environment locally. */
  secrets: SecretSource;
  log: Logger;
  /** Bolt's authorize: the workspace's installation (OAuth mode) or the single bot token. */
  slackAuthorize: Authorize<boolean>;
  contacts: ContactStore;
  /** Weekly digest and alert settings per organisation. */
  notify: NotifyStore;
  verifyToken: TokenVerifier;
  now: () => Date;
  /** Runs a job after the current response: an asynchronous self-invocation in Lambda, in-process locally. */
  defer: (job: DeferredJob) => Promise<void>;
  /** Books larger than this are answered through response_url when not yet cached (cold Lambda). */
  deferAboveCustomers: number;
}

/** Loading and scoring a book this large on a cold start risks Slack's 3-second limit. */
export const DEFER_ABOVE_CUSTOMERS = 20_000;

export function createServices(
  env: Env,
  overrides: {
    keys?: JWTVerifyGetKey;
    now?: () => Date;
    defer?: Services['defer'];
    deferAboveCustomers?: number;
    log?: Logger;
  } = {},
): Services {
  const db = createDb({ region: env.region, endpoint: env.dynamoEndpoint });
  const now = overrides.now ?? (() => new Date());
  const log = overrides.log ?? createLogger({ level: env.logLevel ?? 'warn', stage: env.stage });
  const secrets = cachedSecrets(
    env.parameterPrefix
      ? ssmSecrets({ prefix: env.parameterPrefix, region: env.region, endpoint: env.ssmEndpoint })
      : async () => environmentSecrets(localSecretVariables(env)),
    log,
  );
  const installations = new SlackInstallationStore(db, env.tableName, now);
  const keys = overrides.keys ?? createRemoteJWKSet(new URL(GOOGLE_JWKS_URL));
  return {
    env,
    db,
    configs: new ConfigStore(db, env.tableName, now),
    orgs: annotatingOrgs(new OrgStore(db, env.tableName, now)),
    books: new BookStore(db, env.tableName),
    installations,
    secrets,
    log,
    slackAuthorize: async (source) => {
      const { slackOAuth, slackBotToken } = await secrets();
      if (!slackOAuth)
        return { botToken: slackBotToken, botId: env.slackBotId, botUserId: env.slackBotUserId };
      const installation = await installations.find(source as never);
      // Answers inside the acknowledgement need no token, so a workspace whose install record is
      // missing (installed before the OAuth mode) still gets them; Web API calls fail, and say so.
      if (!installation?.bot) {
        log.warn('no Slack installation for this workspace; answering without a bot token');
        return {};
      }
      return {
        botToken: installation.bot.token,
        botId: installation.bot.id,
        botUserId: installation.bot.userId,
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
      };
    },
    verifyToken: async (token) => googleTokenVerifier((await secrets()).googleClientIds, keys)(token),
    contacts: new ContactStore(db, env.tableName),
    notify: new NotifyStore(db, env.tableName),
    now,
    defer: overrides.defer ?? (async () => {}),
    deferAboveCustomers: overrides.deferAboveCustomers ?? DEFER_ABOVE_CUSTOMERS,
  };
}

/** Local runs keep their secrets in Env; named by the environment variables they come from. */
function localSecretVariables(env: Env): Record<string, string | undefined> {
  return {
    SLACK_SIGNING_SECRET: env.slackSigningSecret,
    SLACK_BOT_TOKEN: env.slackBotToken,
    SLACK_CLIENT_ID: env.slackClientId,
    SLACK_CLIENT_SECRET: env.slackClientSecret,
    GOOGLE_CLIENT_IDS: env.googleClientIds?.join(','),
  };
}

/**
 * Every request's log lines name its organisation: whichever store lookup resolved it (a Slack
 * workspace's link, an API caller's membership) records it in the request's log context.
 */
function annotatingOrgs(orgs: OrgStore): OrgStore {
  const linkedOrg = orgs.linkedOrg.bind(orgs);
  const membership = orgs.membership.bind(orgs);
  orgs.linkedOrg = async (teamId) => {
    const org = await linkedOrg(teamId);
    if (org) annotate({ org });
    return org;
  };
  orgs.membership = async (email) => {
    const found = await membership(email);
    if (found) annotate({ org: found.org });
    return found;
  };
  return orgs;
}
