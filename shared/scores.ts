/**
 * Scores: values become bands 1..n, by population quantiles or by a manager's thresholds.
 *
 * The tie rule for quantiles: a customer's position is the share of the customers with a *different*
 * value who are worse, p = worse / (worse + better), and the score is 1 + ⌊n × p⌋ (n when p = 1).
 * Equal values always get equal scores, a better value never scores lower, the worst value scores 1
 * and the best value scores n, however many customers share it. In a 50-customer shop where 30
 * customers (60 %) bought once, all 30 are better than nobody and get F = 1; a customer with two
 * orders is better than 30 of the 40 customers with another count (p = 0.75) and gets F = 4. When 6 of 10
 * customers bought on the as-of date, those 6 are better than all 4 others and get R = 5, where R's
 * `rfm` package (0.3.0) also gives a value on a quantile boundary the better recency band. (A rule
 * that only counts the worse customers would give them R = 3, "About to Sleep".) When every customer
 * has the same value nobody is better or worse: all get the middle score. Scores between stay empty
 * rather than splitting identical customers arbitrarily (as `ntile`-style ranking does).
 *
 * Equal means equal after float arithmetic: sums of cents carry noise (0.1 + 0.2 = 0.30000000000000004),
 * so values within `TIE_TOLERANCE` (relative, at least 1e-12 absolute) of the smallest value of their
 * group are one value. Money on a cent grid is compared in whole cents.
 */

import type { ScoreMethod } from './config';

/** Values on a grid spanning at most this many steps are counted in a histogram instead of sorted. */
const HISTOGRAM_LIMIT = 1 << 22;

/** …and only when the grid is not much wider than the population: 20 customers never count 4M cells. */
const HISTOGRAM_CELLS_PER_VALUE = 8;

/**
 * Grids tried for a linear-time histogram: whole numbers (days, orders), then cents (money). A sum of
 * cents carries float noise (29.33 + 29.73 = 59.059999…), so values within 1e-6 of a step count as on it.
 */
const GRID_STEPS = [1, 100];

/** Relative difference below which two values are the same value (≈ 4,500 ulps: float noise, not data). */
export const TIE_TOLERANCE = 1e-12;

/**
 * For each value, how many values are strictly lower (`below`) and how many are lower or equal
 * (`atOrBelow`), counting only non-NaN values (`count`). NaN rows get -1 in both.
 */
interface TieCounts {
  below: Int32Array;
  atOrBelow: Int32Array;
  count: number;
}

/**
 * Values on a modest grid (days, order counts, amounts in cents) are counted in a histogram in linear
 * time; any others are sorted once, grouped by `TIE_TOLERANCE` and looked up by binary search.
 */
function tieCounts(values: Float64Array): TieCounts {
  for (const step of GRID_STEPS) {
    const grid = onGrid(values, step);
    if (grid) return histogramCounts(grid.cells, grid.size, grid.count);
  }
  return sortedCounts(values);
}

/** The values as grid cells 0..size-1 (-1 for NaN), or null when they are off the grid or span too much. */
function onGrid(
  values: Float64Array,
  step: number,
): { cells: Int32Array; size: number; count: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] * step;
    if (Number.isNaN(v)) continue;
    if (!(Math.abs(v - Math.round(v)) <= 1e-6)) return null; // also refuses ±Infinity
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { cells: new Int32Array(values.length).fill(-1), size: 1, count };
  const lowest = Math.round(min);
  const size = Math.round(max) - lowest + 1;
  if (size > HISTOGRAM_LIMIT || size > HISTOGRAM_CELLS_PER_VALUE * count + 1024) return null;
  const cells = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    cells[i] = !Number.isNaN(v) ? Math.round(v * step) - lowest : -1;
  }
  return { cells, size, count };
}

function histogramCounts(cells: Int32Array, size: number, count: number): TieCounts {
  const cumulative = new Int32Array(size + 1);
  for (let i = 0; i < cells.length; i++) if (cells[i] >= 0) cumulative[cells[i] + 1]++;
  for (let k = 1; k <= size; k++) cumulative[k] += cumulative[k - 1];
  const below = new Int32Array(cells.length);
  const atOrBelow = new Int32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    below[i] = cells[i] >= 0 ? cumulative[cells[i]] : -1;
    atOrBelow[i] = cells[i] >= 0 ? cumulative[cells[i] + 1] : -1;
  }
  return { below, atOrBelow, count };
}

/** The non-NaN values in ascending order, with the [start, end) of each one's tie group. */
interface SortedGroups {
  sorted: Float64Array;
  start: Int32Array;
  end: Int32Array;
}

function sortedGroups(values: Float64Array): SortedGroups {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const sorted = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i])) sorted[k++] = values[i];
  sorted.sort();
  // A group is anchored at its smallest value, so noise never chains distinct values together.
  const start = new Int32Array(n);
  for (let k = 1, anchor = 0; k < n; k++) {
    const a = sorted[anchor];
    if (!(sorted[k] - a <= TIE_TOLERANCE * Math.max(1, Math.abs(a)))) anchor = k;
    start[k] = anchor;
  }
  const end = new Int32Array(n);
  for (let k = n - 1; k >= 0; k--) end[k] = k + 1 < n && start[k + 1] === start[k] ? end[k + 1] : k + 1;
  return { sorted, start, end };
}

function sortedCounts(values: Float64Array): TieCounts {
  const { sorted, start, end } = sortedGroups(values);
  const below = new Int32Array(values.length);
  const atOrBelow = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) {
      below[i] = atOrBelow[i] = -1;
      continue;
    }
    const k = lowerBound(sorted, values[i]);
    below[i] = start[k];
    atOrBelow[i] = end[k];
  }
  return { below, atOrBelow, count: sorted.length };
}

/** For each value, the share of the (non-NaN) population that is strictly lower; NaN stays NaN. */
export function shareBelow(values: Float64Array): Float64Array {
  const { below, count } = tieCounts(values);
  const result = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) result[i] = below[i] >= 0 ? below[i] / count : Number.NaN;
  return result;
}

/**
 * For every positive value, the share of the total held by values strictly greater: by value (the
 * revenue of better customers) or by head-count. Ties share a rank, so equal customers always land in
 * the same Pareto tier. NaN for values of 0 or less.
 */
export function shareAbove(values: Float64Array, basis: 'value' | 'customers'): Float64Array {
  const positive = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) positive[i] = values[i] > 0 ? values[i] : Number.NaN;
  const weight = (v: number): number => (basis === 'value' ? v : 1);
  const result = new Float64Array(values.length);
  for (const step of GRID_STEPS) {
    const grid = onGrid(positive, step);
    if (!grid) continue;
    const above = new Float64Array(grid.size + 1);
    for (let i = 0; i < positive.length; i++)
      if (grid.cells[i] >= 0) above[grid.cells[i]] += weight(positive[i]);
    for (let k = grid.size - 1; k >= 0; k--) above[k] += above[k + 1];
    const total = above[0];
    for (let i = 0; i < positive.length; i++) {
      result[i] = grid.cells[i] >= 0 ? above[grid.cells[i] + 1] / total : Number.NaN;
    }
    return result;
  }
  const { sorted, end } = sortedGroups(positive);
  const suffix = new Float64Array(sorted.length + 1);
  for (let k = sorted.length - 1; k >= 0; k--) suffix[k] = suffix[k + 1] + weight(sorted[k]);
  for (let i = 0; i < positive.length; i++) {
    const v = positive[i];
    result[i] = !Number.isNaN(v) ? suffix[end[lowerBound(sorted, v)]] / suffix[0] : Number.NaN;
  }
  return result;
}

/** Index of the first element ≥ value in an ascending array. */
export function lowerBound(sorted: Float64Array | readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > value in an ascending array. */
export function upperBound(sorted: Float64Array | readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Quantile bands 0..bands-1 with the tie rule above; -1 where the value is NaN. */
export function quantileBands(values: Float64Array, bands: number): Int8Array {
  const { below, atOrBelow, count } = tieCounts(values);
  const result = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (below[i] < 0) {
      result[i] = -1;
      continue;
    }
    const others = below[i] + (count - atOrBelow[i]);
    const position = others === 0 ? 0.5 : below[i] / others;
    result[i] = Math.min(bands - 1, Math.floor(position * bands + 1e-9));
  }
  return result;
}

/** Threshold bands 0..cuts.length: band k holds values in [cuts[k-1], cuts[k]); -1 where NaN. */
export function thresholdBands(values: Float64Array, cuts: readonly number[]): Int8Array {
  const result = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    result[i] = Number.isNaN(values[i]) ? -1 : upperBound(cuts, values[i]);
  }
  return result;
}

/**
 * RFM-style scores 1..scale (0 where the value is missing). For recency, lower is better: with
 * thresholds `[30, 60, 120, 240]`, up to 30 days scores 5 and more than 240 days scores 1.
 * For frequency and spend, thresholds `[2, 3, 5, 10]` give 1 order → 1, 10 or more → 5.
 */
export function scoreValues(
  values: Float64Array,
  method: ScoreMethod,
  scale: number,
  lowerIsBetter: boolean,
): Uint8Array {
  const scores = new Uint8Array(values.length);
  if (method.method === 'quantile') {
    const oriented = lowerIsBetter ? negated(values) : values;
    const bands = quantileBands(oriented, scale);
    for (let i = 0; i < values.length; i++) scores[i] = bands[i] + 1;
    return scores;
  }
  const { cuts } = method;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    scores[i] = lowerIsBetter ? scale - lowerBound(cuts, v) : 1 + upperBound(cuts, v);
  }
  return scores;
}

function negated(values: Float64Array): Float64Array {
  const result = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) result[i] = -values[i];
  return result;
}
