/**
 * The organisation's book as of today, scored with its current configuration: one read of the
 * pointer and the configuration (cached briefly), the book itself cached per generation in a warm
 * Lambda together with its customer directory (the lookup index), and the scoring and the due list
 * cached per configuration version and day.
 */

import {
  applyContacts,
  buildDirectory,
  type CustomerDirectory,
  type Day,
  DEFAULT_PRESET,
  type DueEntry,
  type DuePlan,
  getPreset,
  type PopulationSummary,
  parseDay,
  planContacts,
  rebase,
  type ScoredBook,
  scoreBook,
  summarizePopulation,
  type TierMovement,
  type TierwiseConfig,
  tierMovement,
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
  /** Scored with the configuration, with the contact log laid over it (last contacts, snoozes). */
  scored: ScoredBook;
  /** Ids, names, owners and the fuzzy-match index of this generation's customers. */
  directory: CustomerDirectory;
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

/** A few books per warm instance: one organisation's today and yesterday, or several small ones. */
const KEPT = 8;

/** Insertion-ordered maps that forget their oldest entry beyond KEPT. */
function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= KEPT) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

const scoredCache = new Map<string, ScoredBook>();
/** The scored book with the contact log over it, per contact sequence: a click re-lays it, no rescoring. */
const contactedCache = new WeakMap<ScoredBook, { seq: number; book: ScoredBook }>();
const directoryCache = new Map<string, CustomerDirectory>();
/** Everyone due, per scored book: `/tier due` filters it instead of walking the book again. */
const dueCache = new WeakMap<ScoredBook, DuePlan>();
const summaryCache = new WeakMap<ScoredBook, BookSummary>();

export interface BookSummary {
  population: PopulationSummary;
  /** Movement between the tiers at the last two syncs; null when there was no earlier sync. */
  movement: readonly TierMovement[] | null;
}

/** The day of the last sync: contacts since then settle a tier drop it found. */
const syncDay = (meta: OrgMeta): Day | undefined =>
  meta.syncedAt ? (parseDay(meta.syncedAt.slice(0, 10)) ?? undefined) : undefined;

/** Today as a calendar day, read at the edge (the core never reads the clock). */
export const today = (services: Services): Day => parseDay(services.now().toISOString().slice(0, 10))!;

/** Today's calendar day in a time zone ("Pacific/Honolulu" is still yesterday at 09:00 UTC). */
export function todayIn(services: Services, timeZone: string): Day {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(services.now())
      .map((p) => [p.type, p.value]),
  );
  return parseDay(`${parts.year}-${parts.month}-${parts.day}`)!;
}

const scoredKey = (org: string, generation: string, version: number, asOf: Day) =>
  `${org}:${generation}:${version}:${asOf}`;

export async function loadLiveBook(
  services: Services,
  org: string,
): Promise<LiveBook | { missing: 'org' | 'book' }> {
  const [meta, stored, seq] = await Promise.all([
    services.orgs.meta(org),
    services.configs.cached(org),
    services.contacts.sequence(org),
  ]);
  if (!meta) return { missing: 'org' };
  if (!meta.generation) return { missing: 'book' };
  const current = stored ?? defaultStoredConfig();
  const records = await services.books.readBook(org, meta.generation);
  const asOf = today(services);
  const generationKey = `${org}:${meta.generation}`;
  const directory =
    directoryCache.get(generationKey) ??
    remember(
      directoryCache,
      generationKey,
      buildDirectory(
        records.map((r) => ({ id: r.summary.customerId, name: r.summary.name, owner: r.summary.owner })),
      ),
    );
  const key = scoredKey(org, meta.generation, current.version, asOf);
  const plain =
    scoredCache.get(key) ??
    remember(
      scoredCache,
      key,
      scoreBook(
        rebase(
          records.map((r) => r.summary),
          asOf,
        ),
        current.config,
        { asOf },
      ),
    );
  let contacted = contactedCache.get(plain);
  if (!contacted || contacted.seq !== seq) {
    contacted = { seq, book: applyContacts(plain, await services.contacts.states(org, seq)) };
    contactedCache.set(plain, contacted);
  }
  return {
    meta,
    config: current.config,
    configVersion: current.version,
    records,
    scored: contacted.book,
    directory,
    asOf,
  };
}

/**
 * The week's plan (see `planContacts`), only `owned` customers when given. The whole book is walked
 * once per scored book (the cheap part of each customer's explanation, no reasons), then filtered.
 */
export function duePlan(book: LiveBook, owned: ReadonlySet<number> | null): DuePlan {
  let all = dueCache.get(book.scored);
  if (!all) {
    all = planContacts(book.scored, {
      previousTiers: book.records.map((r) => r.previousTier),
      syncedOn: syncDay(book.meta),
    });
    dueCache.set(book.scored, all);
  }
  if (owned === null) return all;
  const mine = (e: DueEntry) => owned.has(e.index);
  let leftAlone = 0;
  const tiers = book.config.tiers;
  for (const i of owned)
    if (book.scored.tier[i] >= 0 && tiers[book.scored.tier[i]].cadenceDays <= 0) leftAlone++;
  return { entries: all.entries.filter(mine), longOverdue: all.longOverdue.filter(mine), leftAlone };
}

/** Customers and revenue per tier, and movement since the last sync: once per scored book. */
export function bookSummary(book: LiveBook): BookSummary {
  let summary = summaryCache.get(book.scored);
  if (!summary) {
    const hasPrevious = book.records.some((r) => r.previousTier !== null);
    summary = {
      population: summarizePopulation(book.scored),
      movement: hasPrevious
        ? tierMovement(
            book.config.tiers,
            book.records.map((r) => r.previousTier),
            book.records.map((r) => r.tier),
          )
        : null,
    };
    summaryCache.set(book.scored, summary);
  }
  return summary;
}

/** Who is due this week, most at stake first; only `owned` customers when given. */
export const dueEntries = (book: LiveBook, owned: ReadonlySet<number> | null): readonly DueEntry[] =>
  duePlan(book, owned).entries;

/**
 * A large book that this instance has not loaded, indexed and scored for today yet is answered after
 * the 3-second acknowledgement.
 */
export async function needsDeferral(services: Services, org: string): Promise<boolean> {
  const [meta, stored] = await Promise.all([services.orgs.meta(org), services.configs.cached(org)]);
  if (!meta?.generation || meta.customers <= services.deferAboveCustomers) return false;
  const version = (stored ?? defaultStoredConfig()).version;
  return (
    !services.books.isCached(org, meta.generation) ||
    !directoryCache.has(`${org}:${meta.generation}`) ||
    !scoredCache.has(scoredKey(org, meta.generation, version, today(services)))
  );
}
