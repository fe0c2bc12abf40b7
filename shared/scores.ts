/**
 * Scores: values become bands 1..n, by population quantiles or by a manager's thresholds.
 *
 * The tie rule for quantiles: a customer's score is 1 + ⌊n × (share of customers with a strictly
 * worse value)⌋. Equal values always get equal scores, the worst value always scores 1, and a better
 * value never scores lower. In a 50-customer shop where 30 customers (60 %) bought once, all 30 beat
 * nobody and get F = 1; a customer with two orders beats 60 % and gets F = 4. Scores 2 and 3 stay
 * empty rather than splitting identical customers arbitrarily (as `ntile`-style ranking does).
 */

import type { ScoreMethod } from './config';

/** Values on a grid spanning at most this many steps are counted in a histogram instead of sorted. */
const HISTOGRAM_LIMIT = 1 << 22;

/**
 * Grids tried for a linear-time histogram: whole numbers (days, orders), then cents (money). A sum of
 * cents carries float noise (29.33 + 29.73 = 59.059999…), so values within 1e-6 of a step count as on it.
 */
const GRID_STEPS = [1, 100];

/**
 * For each value, the share of the (non-NaN) population that is strictly lower; NaN stays NaN.
 * Values on a modest grid (days, order counts, amounts in cents) are counted in a histogram in linear
 * time; any others are sorted once and looked up by binary search.
 */
export function shareBelow(values: Float64Array): Float64Array {
  for (const step of GRID_STEPS) {
    const grid = onGrid(values, step);
    if (grid) return histogramShares(grid.cells, grid.size, grid.count);
  }
  return sortedShares(values);
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
    if (Math.abs(v - Math.round(v)) > 1e-6) return null;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { cells: new Int32Array(values.length).fill(-1), size: 1, count };
  const lowest = Math.round(min);
  const size = Math.round(max) - lowest + 1;
  if (size > HISTOGRAM_LIMIT) return null;
  const cells = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    cells[i] = !Number.isNaN(v) ? Math.round(v * step) - lowest : -1;
  }
  return { cells, size, count };
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
  const sorted = positive.filter((v) => !Number.isNaN(v)).sort();
  const suffix = new Float64Array(sorted.length + 1);
  for (let k = sorted.length - 1; k >= 0; k--) suffix[k] = suffix[k + 1] + weight(sorted[k]);
  for (let i = 0; i < positive.length; i++) {
    const v = positive[i];
    result[i] = !Number.isNaN(v) ? suffix[upperBound(sorted, v)] / suffix[0] : Number.NaN;
  }
  return result;
}

function histogramShares(cells: Int32Array, size: number, count: number): Float64Array {
  const below = new Int32Array(size + 1);
  for (let i = 0; i < cells.length; i++) if (cells[i] >= 0) below[cells[i] + 1]++;
  for (let k = 1; k <= size; k++) below[k] += below[k - 1];
  const result = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) result[i] = cells[i] >= 0 ? below[cells[i]] / count : Number.NaN;
  return result;
}

function sortedShares(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const sorted = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i])) sorted[k++] = values[i];
  sorted.sort();
  const result = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    result[i] = !Number.isNaN(v) ? lowerBound(sorted, v) / n : Number.NaN;
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
  const below = shareBelow(values);
  const result = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    result[i] = Number.isNaN(below[i]) ? -1 : Math.min(bands - 1, Math.floor(below[i] * bands + 1e-9));
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
