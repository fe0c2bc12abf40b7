/**
 * Tier models: metric columns in, one tier per customer out. Each model kind is one small function;
 * the configuration decides which runs. A customer a model cannot place (a metric it needs is missing)
 * gets tier -1 and a reason, never a silent default.
 */

import { quantileBands, shareAbove, thresholdBands, upperBound } from './bands';
import type { Axis, Range, Rule, TierModel } from './config';

/** Where models read metric values: one column per metric, NaN where unknown. */
export interface MetricSource {
  readonly size: number;
  column(name: string): Float64Array;
  /** Caches a population-wide result (e.g. the same rules used for segments and tiers). */
  memo?<T>(key: string, compute: () => T): T;
}

export const UNTIERED = -1;

/** The tier of every customer as an index into `tierKeys` (-1: could not be placed). */
export function assignTiers(model: TierModel, source: MetricSource, tierKeys: readonly string[]): Int16Array {
  const index = (key: string): number => tierKeys.indexOf(key);
  switch (model.kind) {
    case 'rules':
      return matchRules(model.rules, source, index);
    case 'bands': {
      const bands = axisBands(model.axis, source);
      const tiers = model.tiers.map(index);
      return Int16Array.from(bands, (b) => (b < 0 ? UNTIERED : tiers[b]));
    }
    case 'matrix': {
      const rows = axisBands(model.rows, source);
      const columns = axisBands(model.columns, source);
      const cells = model.cells.map((row) => row.map(index));
      return Int16Array.from(rows, (r, i) => (r < 0 || columns[i] < 0 ? UNTIERED : cells[r][columns[i]]));
    }
    case 'pareto':
      return paretoTiers(model, source, index);
    case 'weighted': {
      const scores = weightedScores(model, source);
      const grades = model.grades.map((g) => ({ min: g.minScore, tier: index(g.tier) }));
      return Int16Array.from(scores, (s) => {
        if (Number.isNaN(s)) return UNTIERED;
        const grade = grades.find((g) => s >= g.min - 1e-9);
        return grade ? grade.tier : UNTIERED;
      });
    }
  }
}

export const inRange = (value: number, [min, max]: Range): boolean =>
  !Number.isNaN(value) && (min === null || value >= min) && (max === null || value <= max);

/**
 * First matching rule wins; returns the rule index per customer (-1: none matched). The conditions
 * are flattened into parallel arrays so the loop over customers runs without closures.
 */
export function firstMatchingRule(rules: readonly Rule[], source: MetricSource): Int16Array {
  const run = (): Int16Array => matchEach(rules, source);
  return source.memo ? source.memo(`rules:${JSON.stringify(rules)}`, run) : run();
}

function matchEach(rules: readonly Rule[], source: MetricSource): Int16Array {
  const conditions = rules.map((rule) => Object.entries(rule.when));
  const columns = conditions.map((list) => list.map(([metric]) => source.column(metric)));
  const mins = conditions.map((list) =>
    Float64Array.from(list, ([, [min]]) => min ?? Number.NEGATIVE_INFINITY),
  );
  const maxs = conditions.map((list) =>
    Float64Array.from(list, ([, [, max]]) => max ?? Number.POSITIVE_INFINITY),
  );
  const matched = new Int16Array(source.size).fill(-1);
  for (let i = 0; i < source.size; i++) {
    for (let k = 0; k < rules.length; k++) {
      const cols = columns[k];
      let holds = true;
      for (let j = 0; j < cols.length && holds; j++) {
        const v = cols[j][i];
        holds = v >= mins[k][j] && v <= maxs[k][j]; // false for NaN
      }
      if (holds) {
        matched[i] = k;
        break;
      }
    }
  }
  return matched;
}

function matchRules(
  rules: readonly Rule[],
  source: MetricSource,
  index: (key: string) => number,
): Int16Array {
  const targets = rules.map((r) => index(r.is));
  return firstMatchingRule(rules, source).map((k) => (k < 0 ? UNTIERED : targets[k]));
}

/** Bands 0..n-1 of an axis; a missing value takes `missingBand`, or -1. */
export function axisBands(axis: Axis, source: MetricSource): Int8Array {
  const values = source.column(axis.metric);
  const bands = axis.cuts ? thresholdBands(values, axis.cuts) : quantileBands(values, axis.quantiles ?? 3);
  if (axis.missingBand !== undefined) {
    for (let i = 0; i < bands.length; i++) if (bands[i] < 0) bands[i] = axis.missingBand;
  }
  return bands;
}

function paretoTiers(
  model: Extract<TierModel, { kind: 'pareto' }>,
  source: MetricSource,
  index: (key: string) => number,
): Int16Array {
  const values = source.column(model.metric);
  const above = shareAbove(values, model.basis);
  const limits = model.cuts.map((c) => c.upTo);
  const tiers = model.cuts.map((c) => index(c.tier));
  const poor = model.nonPositiveTier === undefined ? UNTIERED : index(model.nonPositiveTier);
  return Int16Array.from(values, (v, i) => {
    if (Number.isNaN(v)) return UNTIERED;
    if (v <= 0) return poor;
    // The first cut whose limit lies beyond the share held by better customers.
    return tiers[Math.min(upperBound(limits, above[i] + 1e-12), tiers.length - 1)];
  });
}

/** The weighted score of every customer (NaN where an indicator is missing and has no missingPoints). */
export function weightedScores(
  model: Extract<TierModel, { kind: 'weighted' }>,
  source: MetricSource,
): Float64Array {
  const scores = new Float64Array(source.size);
  for (const indicator of model.indicators) {
    const bands = thresholdBands(source.column(indicator.metric), indicator.cuts);
    for (let i = 0; i < scores.length; i++) {
      const points = bands[i] < 0 ? (indicator.missingPoints ?? Number.NaN) : indicator.points[bands[i]];
      scores[i] += indicator.weight * points;
    }
  }
  return scores;
}

/** Metric names a model reads, for checks and for explaining a tier. */
export function modelMetrics(model: TierModel): string[] {
  switch (model.kind) {
    case 'rules':
      return [...new Set(model.rules.flatMap((r) => Object.keys(r.when)))];
    case 'bands':
      return [model.axis.metric];
    case 'matrix':
      return [model.rows.metric, model.columns.metric];
    case 'pareto':
      return [model.metric];
    case 'weighted':
      return model.indicators.map((i) => i.metric);
  }
}
