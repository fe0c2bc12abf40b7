/**
 * Score bands: values become bands 1..n (the R, F and M scores, a matrix axis, a weighted indicator),
 * by population quantiles or by a manager's thresholds. Not to be confused with the `bands` tier-model
 * kind, which uses these bands to place customers by one metric.
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
 * Each value's tie group (-1 for NaN), numbered in ascending order of value but not consecutively,
 * and how many numbers there are. Values on a modest grid (days, order counts, amounts in cents) are
 * their grid cell, found in linear time; any others are sorted once and grouped by `TIE_TOLERANCE`,
 * each group anchored at its smallest value so that noise never chains distinct values together.
 */
function tieGroups(values: Float64Array): { cells: Int32Array; size: number } {
  for (const step of GRID_STEPS) {
    const grid = onGrid(values, step);
    if (grid) return grid;
  }
  const { order, sorted } = ascendingOrder(values);
  const cells = new Int32Array(values.length).fill(-1);
  // Walking up the sorted values, the anchor moves to a value beyond the tolerance of the current
  // one; equal values (a run, also of ±Infinity) all take the anchor of the run's first value.
  let anchor = 0;
  let group = 0;
  for (let k = 0; k < order.length; k++) {
    const v = sorted[k];
    if (!(v - sorted[anchor] <= TIE_TOLERANCE * Math.max(1, Math.abs(sorted[anchor])))) anchor = k;
    if (k === 0 || v !== sorted[k - 1]) group = anchor;
    cells[order[k]] = group;
  }
  return { cells, size: order.length + 1 };
}

/** Radix digits of the 64-bit keys below: [word (0 low, 1 high), shift, mask]. */
const RADIX_DIGITS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0x7ff],
  [0, 11, 0x7ff],
  [0, 22, 0x3ff],
  [1, 0, 0x7ff],
  [1, 11, 0x7ff],
  [1, 22, 0x3ff],
];

/**
 * The positions of the non-NaN values in ascending order of value, and those values sorted: a
 * least-significant-digit radix sort (six passes of 11 bits) of each double's bits, made to order as
 * unsigned integers (flip the sign bit of positives, every bit of negatives). Linear time; a pass
 * where every key has the same digit is skipped.
 */
function ascendingOrder(values: Float64Array): { order: Uint32Array; sorted: Float64Array } {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const high = new Uint32Array(new Float64Array([1]).buffer)[1] === 0x3ff00000 ? 1 : 0; // endianness
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  let keys = [new Uint32Array(n), new Uint32Array(n)];
  let order = new Uint32Array(n);
  for (let i = 0, k = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) continue;
    const h = bits[2 * i + high];
    const l = bits[2 * i + 1 - high];
    const negative = h >>> 31 === 1;
    keys[1][k] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    keys[0][k] = negative ? ~l >>> 0 : l;
    order[k++] = i;
  }
  const count = new Int32Array(0x800);
  let spare = [new Uint32Array(n), new Uint32Array(n)];
  let spareOrder = new Uint32Array(n);
  for (const [word, shift, mask] of RADIX_DIGITS) {
    const digits = keys[word];
    count.fill(0);
    for (let k = 0; k < n; k++) count[(digits[k] >>> shift) & mask]++;
    if (n === 0 || count[(digits[0] >>> shift) & mask] === n) continue;
    for (let d = 0, total = 0; d <= mask; d++) {
      const c = count[d];
      count[d] = total;
      total += c;
    }
    const [low, high, toLow, toHigh] = [keys[0], keys[1], spare[0], spare[1]];
    for (let k = 0; k < n; k++) {
      const at = count[(digits[k] >>> shift) & mask]++;
      toLow[at] = low[k];
      toHigh[at] = high[k];
      spareOrder[at] = order[k];
    }
    [keys, spare] = [spare, keys];
    [order, spareOrder] = [spareOrder, order];
  }
  const sorted = new Float64Array(n);
  const sortedBits = new Uint32Array(sorted.buffer);
  for (let k = 0; k < n; k++) {
    const positive = keys[1][k] >>> 31 === 1;
    sortedBits[2 * k + high] = positive ? (keys[1][k] ^ 0x80000000) >>> 0 : ~keys[1][k] >>> 0;
    sortedBits[2 * k + 1 - high] = positive ? keys[0][k] : ~keys[0][k] >>> 0;
  }
  return { order, sorted };
}

/** The values as grid cells 0..size-1 (-1 for NaN), or null when they are off the grid or span too much. */
function onGrid(values: Float64Array, step: number): { cells: Int32Array; size: number } | null {
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
  const lowest = count === 0 ? 0 : Math.round(min);
  const size = count === 0 ? 1 : Math.round(max) - lowest + 1;
  if (size > HISTOGRAM_LIMIT || size > HISTOGRAM_CELLS_PER_VALUE * count + 1024) return null;
  const cells = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    cells[i] = !Number.isNaN(v) ? Math.round(v * step) - lowest : -1;
  }
  return { cells, size };
}

/** Tie groups with `below[g]`: how many values lie in groups before g (below[size] counts them all). */
function tieCounts(values: Float64Array): { cells: Int32Array; below: Int32Array; count: number } {
  const { cells, size } = tieGroups(values);
  const below = new Int32Array(size + 1);
  for (let i = 0; i < cells.length; i++) if (cells[i] >= 0) below[cells[i] + 1]++;
  for (let k = 1; k <= size; k++) below[k] += below[k - 1];
  return { cells, below, count: below[size] };
}

/** For each value, the share of the (non-NaN) population that is strictly lower; NaN stays NaN. */
export function shareBelow(values: Float64Array): Float64Array {
  const { cells, below, count } = tieCounts(values);
  const shares = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) shares[i] = cells[i] >= 0 ? below[cells[i]] / count : Number.NaN;
  return shares;
}

/**
 * For every positive value, the share of the total held by values strictly greater: by value (the
 * revenue of better customers) or by head-count. Ties share a rank, so equal customers always land in
 * the same Pareto tier. NaN for values of 0 or less.
 */
export function shareAbove(values: Float64Array, basis: 'value' | 'customers'): Float64Array {
  const positive = Float64Array.from(values, (v) => (v > 0 ? v : Number.NaN));
  const { cells, size } = tieGroups(positive);
  const above = new Float64Array(size + 1);
  for (let i = 0; i < cells.length; i++)
    if (cells[i] >= 0) above[cells[i]] += basis === 'value' ? positive[i] : 1;
  for (let k = size - 1; k >= 0; k--) above[k] += above[k + 1];
  return Float64Array.from(cells, (g) => (g >= 0 ? above[g + 1] / above[0] : Number.NaN));
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
  const { cells, below, count } = tieCounts(values);
  const result = new Int8Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const g = cells[i];
    if (g < 0) {
      result[i] = -1;
      continue;
    }
    const worse = below[g];
    const others = worse + count - below[g + 1];
    result[i] = Math.min(bands - 1, Math.floor((others === 0 ? 0.5 : worse / others) * bands + 1e-9));
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
