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
  // Plain ASCII (most names) needs no Unicode decomposition: the same result, several times faster.
  if (/^[ -~]*$/.test(text))
    return text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
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
 * sheet ids can be longer): two 32-bit FNV-style hashes in base 36, at most 14 characters. The
 * same id gives the same key in every sync, so a button still works after the book is synced again.
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
  /** Normalised owner (and the part of an e-mail before "@") → the customers they own. */
  readonly byOwner: ReadonlyMap<string, readonly number[]>;
  /** "\n" + every name + "\n" …: one string to scan for prefixes and substrings. */
  readonly haystack: string;
  /** Where each name starts in `haystack`, and one past the last name. */
  readonly starts: Int32Array;
  /** The customers with exactly this normalised name, in book order. */
  named(name: string): readonly number[];
  /** The customers whose name has this letter pair (see `pairCode`), in book order; built on first use. */
  withPair(pair: number): Int32Array | undefined;
  /** The customer with this `customerKey`; the key index is built on the first call (a button press). */
  byKey(key: string): number | undefined;
}

const idKey = (id: string): string => id.trim().toLowerCase();

/** A letter pair (two UTF-16 units) as one number. */
const pairCode = (text: string, at: number): number => text.charCodeAt(at) * 65_536 + text.charCodeAt(at + 1);

/** The distinct letter pairs of a normalised name (a one-letter name is its own "pair"). */
function letterPairs(name: string): number[] {
  if (name.length === 1) return [pairCode(`${name} `, 0)];
  const codes = new Set<number>();
  for (let i = 0; i + 1 < name.length; i++) codes.add(pairCode(name, i));
  return [...codes];
}

/**
 * Letter pair → customers, as one flat array (postings of pair p at `from[p]…from[p+1]`): built in two
 * passes over the names, count then fill, so 100,000 names make two typed arrays rather than
 * thousands of growing lists for the garbage collector.
 */
function pairIndex(names: readonly string[]): (pair: number) => Int32Array | undefined {
  const ids = new Map<number, number>();
  let counts = new Int32Array(1_024);
  let last = new Int32Array(1_024);
  const each = (name: string, visit: (id: number) => void) => {
    if (name.length === 1) visit(ids.get(pairCode(`${name} `, 0))!);
    for (let k = 0; k + 1 < name.length; k++) visit(ids.get(pairCode(name, k))!);
  };
  const register = (code: number) => {
    if (ids.has(code)) return;
    ids.set(code, ids.size);
    if (ids.size > counts.length) {
      const grown = new Int32Array(counts.length * 2);
      grown.set(counts);
      counts = grown;
      const grownLast = new Int32Array(counts.length).fill(-1);
      grownLast.set(last);
      last = grownLast;
    }
  };
  last.fill(-1);
  names.forEach((name, i) => {
    if (name.length === 1) register(pairCode(`${name} `, 0));
    for (let k = 0; k + 1 < name.length; k++) register(pairCode(name, k));
    each(name, (id) => {
      if (last[id] !== i) {
        last[id] = i;
        counts[id]++;
      }
    });
  });
  const from = new Int32Array(ids.size + 1);
  for (let id = 0; id < ids.size; id++) from[id + 1] = from[id] + counts[id];
  const postings = new Int32Array(from[ids.size]);
  const fill = from.slice(0, ids.size);
  last.fill(-1);
  names.forEach((name, i) => {
    each(name, (id) => {
      if (last[id] !== i) {
        last[id] = i;
        postings[fill[id]++] = i;
      }
    });
  });
  return (pair) => {
    const id = ids.get(pair);
    return id === undefined ? undefined : postings.subarray(from[id], from[id + 1]);
  };
}

/**
 * The index of a book's customers, built once per book generation and kept with it: linear in the
 * total length of the names. Each lookup afterwards is a map hit or one scan of the joined names.
 */
export function buildDirectory(candidates: readonly Candidate[]): CustomerDirectory {
  const n = candidates.length;
  const names: string[] = new Array(n);
  const byId = new Map<string, number>();
  const firstNamed = new Map<string, number>();
  const moreNamed = new Map<string, number[]>();
  const byOwner = new Map<string, number[]>();
  const owners = new Map<string, string[]>();
  const starts = new Int32Array(n + 1);
  let offset = 1;
  for (let i = 0; i < n; i++) {
    const c = candidates[i];
    const name = c.name ? normalizeName(c.name) : '';
    names[i] = name;
    starts[i] = offset;
    offset += name.length + 1;
    const id = idKey(c.id);
    if (!byId.has(id)) byId.set(id, i);
    if (name) {
      const first = firstNamed.get(name);
      if (first === undefined) firstNamed.set(name, i);
      else {
        const more = moreNamed.get(name);
        if (more) more.push(i);
        else moreNamed.set(name, [first, i]);
      }
    }
    if (c.owner) {
      // Owners repeat (a sales team is a few dozen people): normalise each spelling once.
      let keys = owners.get(c.owner);
      if (!keys) {
        keys = ownerKeys(c.owner);
        owners.set(c.owner, keys);
      }
      for (const key of keys) {
        const list = byOwner.get(key);
        if (list) list.push(i);
        else byOwner.set(key, [i]);
      }
    }
  }
  starts[n] = offset;
  let keys: Map<string, number> | undefined;
  let pairs: ((pair: number) => Int32Array | undefined) | undefined;
  return {
    size: n,
    names,
    byId,
    byOwner,
    haystack: `\n${names.join('\n')}\n`,
    starts,
    named: (name) => {
      const first = firstNamed.get(name);
      return first === undefined ? [] : (moreNamed.get(name) ?? [first]);
    },
    // Only typos need the pair index: built on the first one, so a cold exact lookup skips it.
    withPair: (pair) => {
      pairs ??= pairIndex(names);
      return pairs(pair);
    },
    byKey(key) {
      if (!keys) {
        keys = new Map();
        for (let i = 0; i < n; i++) {
          const k = customerKey(candidates[i].id);
          if (!keys.has(k)) keys.set(k, i);
        }
      }
      return keys.get(key);
    },
  };
}

/** "Ana Silva", "ana@acme.com" and "ana" name the same owner when written so in the sheet. */
export function ownerKeys(owner: string): string[] {
  const whole = normalizeName(owner);
  const local = normalizeName(owner.split('@')[0]);
  return [whole, local].filter((key, i, all) => key !== '' && all.indexOf(key) === i);
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

/** The name holding `position` of the haystack, searching from name `from` on. */
function nameAt(starts: Int32Array, position: number, from: number): number {
  let lo = from;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Prefix, word-prefix and substring matches: the first few per level in book order, and how many
 * customers match in all. A one-letter query matches only at the start of a word.
 */
function strongMatches(d: CustomerDirectory, q: string): { levels: number[][]; total: number } {
  const levels: number[][] = [[], [], []];
  let total = 0;
  const settle = (index: number, level: number) => {
    total++;
    if (levels[level].length < MAX_LISTED) levels[level].push(index);
  };
  /** Each occurrence of `pattern` (the match starting `shift` later) in book order, as (name, at). */
  const scan = (pattern: string, shift: number, visit: (index: number, at: number) => void) => {
    let current = 0;
    for (let at = d.haystack.indexOf(pattern); at >= 0; at = d.haystack.indexOf(pattern, at + 1)) {
      const start = at + shift;
      // Most occurrences fall in the name found last or one soon after.
      if (start >= d.starts[current + 1]) current = nameAt(d.starts, start, current + 1);
      visit(current, start);
    }
  };
  if (q.length === 1) {
    // Two scans (name starts, word starts), each in book order; a name can appear in both.
    const best = new Map<number, number>();
    scan(`\n${q}`, 1, (index) => best.set(index, 0));
    scan(` ${q}`, 1, (index) => {
      if (!best.has(index)) best.set(index, 1);
    });
    for (const index of [...best.keys()].sort((a, b) => a - b)) settle(index, best.get(index)!);
    return { levels, total };
  }
  let current = -1;
  let level = 3;
  scan(q, 0, (index, at) => {
    if (index !== current) {
      if (current >= 0) settle(current, level);
      current = index;
      level = 3;
    }
    const found = at === d.starts[index] ? 0 : d.haystack[at - 1] === ' ' ? 1 : 2;
    if (found < level) level = found;
  });
  if (current >= 0) settle(current, level);
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

/**
 * The query's letter pairs worth counting: the rarer half. Pairs that most names have ("er", "e ")
 * cost the most to count and tell the least; one typo changes at most two pairs, so the true name
 * still shares nearly all of the rarer half and ranks first.
 */
function telling(d: CustomerDirectory, q: string): Int32Array[] {
  const lists = letterPairs(q)
    .map((pair) => d.withPair(pair))
    .filter((list): list is Int32Array => list !== undefined)
    .sort((a, b) => a.length - b.length);
  return lists.slice(0, Math.max(3, Math.ceil(lists.length / 2)));
}

/** The customers whose names share most letter pairs with `q`, best first, ties in book order. */
function typoCandidates(d: CustomerDirectory, q: string): number[] {
  const counts = new Uint16Array(d.size);
  const touched: number[] = [];
  let most = 0;
  for (const list of telling(d, q)) {
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
 * whose name holds the query counts (prefix matches listed first). Only when no name holds it are
 * typos tried, and then `total` counts the close names among the candidates checked.
 *
 * @example
 * const directory = buildDirectory(customers.map((c) => ({ id: c.customerId, name: c.name })));
 * findInDirectory(directory, 'c017')        // { kind: 'one', index: 0 }: an id, any case
 * findInDirectory(directory, 'acme')        // { kind: 'several', indices: [7, 10], total: 2 }
 * findInDirectory(directory, 'stork indus') // { kind: 'none', suggestions: [9] }: Stark Industries
 */
export function findInDirectory(d: CustomerDirectory, query: string): MatchResult {
  const byId = d.byId.get(idKey(query));
  if (byId !== undefined) return { kind: 'one', index: byId };
  const q = normalizeName(query);
  if (!q) return { kind: 'none', suggestions: [] };
  const byNormalisedId = d.byId.get(q);
  if (byNormalisedId !== undefined) return { kind: 'one', index: byNormalisedId };
  const exact = d.named(q);
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

/**
 * `findInDirectory` over a list built for this one query: for small books and tests. A book that is
 * searched more than once keeps its `buildDirectory` (the Lambda does, per book generation).
 *
 * @example
 * findCustomers('acme bakry', [{ id: 'C001', name: 'Acme Corp' }, { id: 'C016', name: 'Acme Bakery' }])
 * // { kind: 'one', index: 1 }: one typo-tolerant match
 */
export const findCustomers = (query: string, candidates: readonly Candidate[]): MatchResult =>
  findInDirectory(buildDirectory(candidates), query);
