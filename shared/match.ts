/**
 * Finding a customer by what a salesperson types: case-, accent- and spacing-insensitive, prefix and
 * substring matches (which also serve Chinese names, written without spaces), then typo-tolerant
 * similarity, and suggestions when nothing is close.
 */

export interface Candidate {
  id: string;
  name: string | null;
}

export type MatchResult =
  | { kind: 'one'; index: number }
  | { kind: 'several'; indices: number[] }
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
  if (longest === 0) return 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return 1 - previous[b.length] / longest;
}

const MAX_LISTED = 8;
/** Prefix and substring matches score 0.8 and up; typo matches at most 0.75 (similarity × 0.75). */
const STRONG = 0.8;
const TYPO_WEIGHT = 0.75;
/** A typo match needs 70 % similarity. */
const FUZZY = 0.7 * TYPO_WEIGHT;

function score(query: string, c: Candidate): number {
  if (c.id.toLowerCase() === query) return 1;
  const name = normalizeName(c.name ?? '');
  if (name === query) return 1;
  if (name.startsWith(query)) return 0.9;
  if (name.split(' ').some((word) => word.startsWith(query))) return 0.85;
  if (query.length >= 2 && name.includes(query)) return 0.8;
  // Typos: the best similarity against the whole name or any run of as many words as the query has.
  const words = name.split(' ');
  const span = query.split(' ').length;
  let best = similarity(query, name);
  for (let i = 0; i + span <= words.length; i++)
    best = Math.max(best, similarity(query, words.slice(i, i + span).join(' ')));
  return best * TYPO_WEIGHT;
}

/**
 * One clear match, a short list to choose from, or none with the closest names. An exact id or name
 * wins outright; otherwise every candidate at the best level of match is listed.
 */
export function findCustomers(query: string, candidates: readonly Candidate[]): MatchResult {
  const q = normalizeName(query);
  if (!q) return { kind: 'none', suggestions: [] };
  const scored = candidates
    .map((c, index) => ({ index, score: score(q, c) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const exact = scored.filter((s) => s.score === 1);
  if (exact.length === 1) return { kind: 'one', index: exact[0].index };
  const top = scored[0]?.score ?? 0;
  if (top < FUZZY) {
    return {
      kind: 'none',
      suggestions: scored
        .slice(0, 3)
        .filter((s) => s.score > 0.3)
        .map((s) => s.index),
    };
  }
  const level = top >= STRONG ? STRONG : FUZZY;
  const hits = scored.filter((s) => s.score >= level).slice(0, MAX_LISTED);
  return hits.length === 1
    ? { kind: 'one', index: hits[0].index }
    : { kind: 'several', indices: hits.map((h) => h.index) };
}
