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

/** For each value, the share of the (non-NaN) population that is strictly lower. NaN stays NaN. */
export function shareBelow(values: Float64Array): Float64Array {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const result = new Float64Array(values.length);
  const n = sorted.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    result[i] = Number.isNaN(v) ? Number.NaN : lowerBound(sorted, v) / n;
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
    const oriented = lowerIsBetter ? values.map((v) => -v) : values;
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
