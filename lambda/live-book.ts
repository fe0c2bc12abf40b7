/**
 * The organisation's book as of today, scored with its current configuration: one read of the
 * pointer and the configuration (cached briefly), the book itself cached per generation in a warm
 * Lambda, and the scoring cached per configuration version and day.
 */

import {
  type Day,
  DEFAULT_PRESET,
  getPreset,
  parseDay,
  rebase,
  type ScoredBook,
  scoreBook,
  type TierwiseConfig,
} from '../shared';
import type { Services } from './services';
import type { BookRecord } from './store/book-store';
import type { StoredConfig } from './store/config-store';
import type { OrgMeta } from './store/org-store';

export interface LiveBook {
  meta: OrgMeta;
  config: TierwiseConfig;
  configVersion: number;
  records: BookRecord[];
  scored: ScoredBook;
  asOf: Day;
}

/** The configuration an organisation uses before any manager saved one. */
export const defaultStoredConfig = (): StoredConfig => ({
  version: 0,
  config: getPreset(DEFAULT_PRESET)!,
  savedBy: 'Tierwise',
  savedAt: '1970-01-01T00:00:00.000Z',
  note: 'default preset',
  basedOn: null,
});

const scoredCache = new Map<string, ScoredBook>();

/** Today as a calendar day, read at the edge (the core never reads the clock). */
export const today = (services: Services): Day => parseDay(services.now().toISOString().slice(0, 10))!;

export async function loadLiveBook(
  services: Services,
  org: string,
): Promise<LiveBook | { missing: 'org' | 'book' }> {
  const [meta, stored] = await Promise.all([services.orgs.meta(org), services.configs.cached(org)]);
  if (!meta) return { missing: 'org' };
  if (!meta.generation) return { missing: 'book' };
  const current = stored ?? defaultStoredConfig();
  const records = await services.books.readBook(org, meta.generation);
  const asOf = today(services);
  const key = `${org}:${meta.generation}:${current.version}:${asOf}`;
  let scored = scoredCache.get(key);
  if (!scored) {
    scored = scoreBook(
      rebase(
        records.map((r) => r.summary),
        asOf,
      ),
      current.config,
      { asOf },
    );
    if (scoredCache.size >= 8) scoredCache.delete(scoredCache.keys().next().value!);
    scoredCache.set(key, scored);
  }
  return { meta, config: current.config, configVersion: current.version, records, scored, asOf };
}

/** A large book that this instance has not loaded yet is answered after the 3-second acknowledgement. */
export async function needsDeferral(services: Services, org: string): Promise<boolean> {
  const meta = await services.orgs.meta(org);
  return (
    !!meta?.generation &&
    meta.customers > services.deferAboveCustomers &&
    !services.books.isCached(org, meta.generation)
  );
}
