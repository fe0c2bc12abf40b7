/**
 * Finding a customer by what a salesperson types: case-, accent- and spacing-insensitive, prefix and
 * substring matches (which also serve Chinese names, written without spaces), then typo-tolerant
 * similarity, and suggestions when nothing is close.
 *
 * A book of 100,000 customers is searched through a `CustomerDirectory`, built once per book and
 * kept with it: exact ids and names are map lookups, prefix and substring matches one `indexOf` scan
 * of all names joined in one string, and typos an edit-distance check of only the names that share
 * the most letter pairs with the query.
 */

import { distance } from 'fastest-levenshtein';

export interface Candidate {
  id: string;
  name: string | null;
  owner?: string | null;
}

export type MatchResult =
  | { kind: 'one'; index: number }
  /** `indices`: the closest few, best first; `total`: how many customers match at that level. */
  | { kind: 'several'; indices: number[]; total: number }
  | { kind: 'none'; suggestions: number[] };

/** "Café  Müller-GmbH" → "cafe muller gmbh". */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Similarity in [0, 1] from the Levenshtein distance. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - distance(a, b) / longest;
}

/** How many customers a chooser lists. */
export const MAX_LISTED = 8;
/** Longest query worth matching; longer ones are refused before any work (see `queryTooLong`). */
export const MAX_QUERY_LENGTH = 200;
/** Prefix and substring matches always rank above typo matches, which score similarity × 0.75. */
const TYPO_WEIGHT = 0.75;
/** A typo match needs 70 % similarity. */
const FUZZY = 0.7 * TYPO_WEIGHT;
/** A suggestion when nothing matches needs a weighted score above this. */
const SUGGESTION = 0.3;
/**
 * Typo candidates checked by edit distance: the names sharing most letter pairs with the query. A
 * name within 30 % edits of the query shares at least one pair with it (for queries of 4+ letters),
 * and one typo keeps most pairs, so the true match ranks among the first few.
 */
const TYPO_CANDIDATES = 300;

/** A query longer than this is refused with a polite message; counted in code points. */
export function queryTooLong(query: string): boolean {
  if (query.length <= MAX_QUERY_LENGTH) return false;
  let points = 0;
  for (const _ of query) if (++points > MAX_QUERY_LENGTH) return true;
  return false;
}

/**
 * A short, stable key for a customer id, for Slack button values (at most 2,000 characters, while
 * sheet ids can be longer): 64 bits of FNV-1a in base 36, at most 13 characters. The same id gives
 * the same key in every sync, so a button still works after the book is synced again.
 */
export function customerKey(id: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${h1.toString(36)}${h2.toString(36).padStart(7, '0')}`;
}

export interface CustomerDirectory {
  readonly size: number;
  /** Normalised names, in book order. */
  readonly names: readonly string[];
  readonly byId: ReadonlyMap<string, number>;
  readonly byName: ReadonlyMap<string, readonly number[]>;
  readonly byKey: ReadonlyMap<string, number>;
  /** Normalised owner (and the part of an e-mail before "@") → the customers they own. */
  readonly byOwner: ReadonlyMap<string, readonly number[]>;
  /** "\n" + every name + "\n" …: one string to scan for prefixes and substrings. */
  readonly haystack: string;
  /** Where each name starts in `haystack`. */
  readonly starts: Int32Array;
  /** Letter pair → the customers whose name contains it (each once), in book order. */
  readonly pairs: ReadonlyMap<string, Int32Array>;
}

const idKey = (id: string): string => id.trim().toLowerCase();

function push<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== index) list.push(index);
  } else map.set(key, [index]);
}

/** Distinct letter pairs of a normalised name (a one-letter name is its own "pair"). */
function letterPairs(name: string): Set<string> {
  const pairs = new Set<string>();
  if (name.length === 1) pairs.add(name);
  for (let i = 0; i + 1 < name.length; i++) {
    if (name[i] !== ' ' || name[i + 1] !== ' ') pairs.add(name.slice(i, i + 2));
  }
  return pairs;
}

/** The index of a book's customers; O(total name length) to build. */
export function buildDirectory(candidates: readonly Candidate[]): CustomerDirectory {
  const names: string[] = new Array(candidates.length);
  const byId = new Map<string, number>();
  const byName = new Map<string, number[]>();
  const byKey = new Map<string, number>();
  const byOwner = new Map<string, number[]>();
  const pairLists = new Map<string, number[]>();
  const starts = new Int32Array(candidates.length);
  let offset = 1;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    const name = c.name ? normalizeName(c.name) : '';
    names[i] = name;
    starts[i] = offset;
    offset += name.length + 1;
    if (!byId.has(idKey(c.id))) byId.set(idKey(c.id), i);
    if (!byKey.has(customerKey(c.id))) byKey.set(customerKey(c.id), i);
    if (name) push(byName, name, i);
    if (c.owner) for (const key of ownerKeys(c.owner)) push(byOwner, key, i);
    for (const pair of letterPairs(name)) push(pairLists, pair, i);
  }
  const pairs = new Map<string, Int32Array>();
  for (const [pair, list] of pairLists) pairs.set(pair, Int32Array.from(list));
  return {
    size: candidates.length,
    names,
    byId,
    byName,
    byKey,
    byOwner,
    haystack: `\n${names.join('\n')}\n`,
    starts,
    pairs,
  };
}

/** "Ana Silva", "ana@acme.com" and "ana" name the same owner when written so in the sheet. */
export function ownerKeys(owner: string): string[] {
  const whole = normalizeName(owner);
  const local = normalizeName(owner.split('@')[0]);
  return whole === local ? [whole] : [whole, local];
}

/** The customers owned by someone known by any of these names (handle, real name, e-mail). */
export function customersOwnedBy(directory: CustomerDirectory, names: readonly string[]): Set<number> {
  const owned = new Set<number>();
  for (const name of names) {
    if (!name) continue;
    for (const key of ownerKeys(name)) for (const i of directory.byOwner.get(key) ?? []) owned.add(i);
  }
  return owned;
}

/** The name index holding `position` of the haystack (binary search over the starts). */
function nameAt(starts: Int32Array, position: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Prefix, word-prefix and substring matches: the first few per level in book order, and a count. */
function strongMatches(d: CustomerDirectory, q: string): { levels: number[][]; total: number } {
  const levels: number[][] = [[], [], []];
  let total = 0;
  let current = -1;
  let level = 3;
  const settle = () => {
    if (current < 0 || level > 2) return;
    total++;
    if (levels[level].length < MAX_LISTED) levels[level].push(current);
  };
  for (let at = d.haystack.indexOf(q); at >= 0; at = d.haystack.indexOf(q, at + 1)) {
    const index = nameAt(d.starts, at);
    if (index !== current) {
      settle();
      current = index;
      level = 3;
    }
    const found = at === d.starts[index] ? 0 : d.haystack[at - 1] === ' ' ? 1 : q.length >= 2 ? 2 : 3;
    if (found < level) level = found;
  }
  settle();
  return { levels, total };
}

/** The best similarity of `q` to the whole name or to any run of as many words as `q` has. */
function typoScore(q: string, name: string): number {
  let best = similarity(q, name);
  const words = name.split(' ');
  const span = q.split(' ').length;
  for (let i = 0; i + span <= words.length; i++) {
    const window = span === 1 ? words[i] : words.slice(i, i + span).join(' ');
    if (Math.abs(window.length - q.length) <= q.length) best = Math.max(best, similarity(q, window));
  }
  return best * TYPO_WEIGHT;
}

/** The customers whose names share most letter pairs with `q`, best first, ties in book order. */
function typoCandidates(d: CustomerDirectory, q: string): number[] {
  const counts = new Uint16Array(d.size);
  const touched: number[] = [];
  let most = 0;
  for (const pair of letterPairs(q)) {
    const list = d.pairs.get(pair);
    if (!list) continue;
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      if (counts[i] === 0) touched.push(i);
      if (++counts[i] > most) most = counts[i];
    }
  }
  if (touched.length <= TYPO_CANDIDATES) return touched.sort((a, b) => counts[b] - counts[a] || a - b);
  // The count the 300th best has: everything above it, then ties in book order.
  const histogram = new Int32Array(most + 1);
  for (const i of touched) histogram[counts[i]]++;
  let floor = most;
  for (let seen = histogram[most]; seen < TYPO_CANDIDATES && floor > 1; ) seen += histogram[--floor];
  const chosen = touched.filter((i) => counts[i] > floor).sort((a, b) => counts[b] - counts[a] || a - b);
  for (let i = 0; i < d.size && chosen.length < TYPO_CANDIDATES; i++) if (counts[i] === floor) chosen.push(i);
  return chosen;
}

/**
 * One clear match, a short list to choose from (with how many match in all), or none with the
 * closest names. An exact id or name wins outright without any fuzzy work; otherwise every customer
 * at the best level of match counts, and the first few are listed.
 */
export function findInDirectory(d: CustomerDirectory, query: string): MatchResult {
  const byId = d.byId.get(idKey(query));
  if (byId !== undefined) return { kind: 'one', index: byId };
  const q = normalizeName(query);
  if (!q) return { kind: 'none', suggestions: [] };
  const byNormalisedId = d.byId.get(q);
  if (byNormalisedId !== undefined) return { kind: 'one', index: byNormalisedId };
  const exact = d.byName.get(q) ?? [];
  if (exact.length === 1) return { kind: 'one', index: exact[0] };

  const strong = strongMatches(d, q);
  if (strong.total > 0) {
    const ordered = [...new Set([...exact, ...strong.levels.flat()])].slice(0, MAX_LISTED);
    return ordered.length === 1
      ? { kind: 'one', index: ordered[0] }
      : { kind: 'several', indices: ordered, total: strong.total };
  }

  const scored = typoCandidates(d, q)
    .map((index) => ({ index, score: typoScore(q, d.names[index]) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const hits = scored.filter((s) => s.score >= FUZZY);
  if (hits.length === 0)
    return {
      kind: 'none',
      suggestions: scored
        .slice(0, 3)
        .filter((s) => s.score > SUGGESTION)
        .map((s) => s.index),
    };
  return hits.length === 1
    ? { kind: 'one', index: hits[0].index }
    : { kind: 'several', indices: hits.slice(0, MAX_LISTED).map((h) => h.index), total: hits.length };
}

/** `findInDirectory` over a list built for this one query: for small books and tests. */
export const findCustomers = (query: string, candidates: readonly Candidate[]): MatchResult =>
  findInDirectory(buildDirectory(candidates), query);
