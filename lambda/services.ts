/**
 * Everything the handlers need, built once per Lambda instance (or once per sandbox/test): the stores,
 * the token verifier, the clock and the way slow work is deferred.
 */

import type { JWTVerifyGetKey } from 'jose';
import { googleTokenVerifier, type TokenVerifier } from './auth';
import type { Env } from './env';
import type { DeferredJob } from './slack/deferred';
import { BookStore } from './store/book-store';
import { ConfigStore } from './store/config-store';
import { createDb, type Db } from './store/dynamo';
import { OrgStore } from './store/org-store';

export interface Services {
  env: Env;
  db: Db;
  configs: ConfigStore;
  orgs: OrgStore;
  books: BookStore;
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
  } = {},
): Services {
  const db = createDb({ region: env.region, endpoint: env.dynamoEndpoint });
  const now = overrides.now ?? (() => new Date());
  return {
    env,
    db,
    configs: new ConfigStore(db, env.tableName, now),
    orgs: new OrgStore(db, env.tableName, now),
    books: new BookStore(db, env.tableName),
    verifyToken: googleTokenVerifier(env.googleClientIds, overrides.keys),
    now,
    defer: overrides.defer ?? (async () => {}),
    deferAboveCustomers: overrides.deferAboveCustomers ?? DEFER_ABOVE_CUSTOMERS,
  };
}
