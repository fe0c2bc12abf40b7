/**
 * The `weighted` kind: points per indicator (by thresholds on its metric), a weighted sum, and the
 * first grade (best first) whose minimum score the sum reaches.
 */

import { thresholdBands } from '../bands';
import { type Json, join, optional, type Reader, readElsewhere } from '../reader';
import { type MetricSource, oneCustomer, type TierModelKind, UNTIERED } from './model';

export interface WeightedModel {
  kind: 'weighted';
  indicators: {
    metric: string;
    weight: number;
    cuts: number[];
    points: number[];
    missingPoints?: number;
  }[];
  /** Best first: the first grade whose `minScore` the weighted score reaches. */
  grades: { tier: string; minScore: number }[];
}

export const weightedKind: TierModelKind<WeightedModel> = {
  kind: 'weighted',
  read(read, model, path, { tiers }) {
    read.fields<WeightedModel>(model, path, {
      kind: readElsewhere,
      indicators: (v, p) => readIndicators(read, v, p),
      grades: (v, p) => readGrades(read, v, p, tiers),
    });
  },
  metrics: (model) => model.indicators.map((i) => i.metric),
  assign(model, source, tierIndex) {
    const scores = weightedScores(model, source);
    const grades = model.grades.map((g) => ({ min: g.minScore, tier: tierIndex(g.tier) }));
    return Int16Array.from(scores, (s) => {
      if (Number.isNaN(s)) return UNTIERED;
      const grade = grades.find((g) => s >= g.min - 1e-9);
      return grade ? grade.tier : UNTIERED;
    });
  },
  reasons: (model, book, i, say) => [say.weighted(weightedScores(model, oneCustomer(book, i))[0])],
  tiers: (model) => model.grades.map((g) => g.tier),
  ranks: () => false,
  coverage(model, result) {
    const possible = (ind: { points: number[]; missingPoints?: number }): number[] =>
      ind.missingPoints === undefined ? ind.points : [...ind.points, ind.missingPoints];
    const lowest = model.indicators.reduce((sum, ind) => sum + ind.weight * Math.min(...possible(ind)), 0);
    const grades = model.grades;
    const last = grades[grades.length - 1];
    if (last.minScore > lowest + 1e-9) {
      result.uncovered.push(`score ${round(lowest)} to ${round(last.minScore)}`);
      result.errors.push({
        path: `model.grades[${grades.length - 1}].minScore`,
        message: `scores from ${round(lowest)} (the lowest possible) up to ${last.minScore} get no grade; set it to ${round(lowest)} or less`,
      });
    }
    const highest = model.indicators.reduce((sum, ind) => sum + ind.weight * Math.max(...possible(ind)), 0);
    grades.forEach((g, i) => {
      if (g.minScore > highest + 1e-9) {
        result.shadowed.push(`model.grades[${i}]`);
        result.errors.push({
          path: `model.grades[${i}].minScore`,
          message: `no customer can reach ${g.minScore}: the highest possible score is ${round(highest)}`,
        });
      }
    });
  },
};

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** The weighted score of every customer (NaN where an indicator is missing and has no missingPoints). */
export function weightedScores(model: WeightedModel, source: MetricSource): Float64Array {
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

type Indicator = WeightedModel['indicators'][number];

/** Each indicator on its own; then their weights, which must add up to 1. */
function readIndicators(read: Reader, value: Json, path: string): void {
  const indicators = read.array(value, path, 1) ?? [];
  let total = 0;
  indicators.forEach((entry, i) => {
    const indicator = read.object(entry, join(path, i));
    if (!indicator) return;
    let cuts: number[] | undefined;
    read.fields<Indicator>(indicator, join(path, i), {
      metric: (v, p) => read.metric(v, p),
      weight: (v, p) => {
        const weight = read.number(v, p, 0, 1);
        if (weight !== undefined && weight <= 0) read.fail(p, 'must be more than 0');
        total += weight ?? 0;
      },
      cuts: (v, p) => {
        cuts = read.numbers(v, p);
        if (cuts) read.ascending(cuts, p);
      },
      // One more than the cuts: points below the first cut, between each two, above the last.
      points: (v, p) => cuts && read.numbers(v, p, cuts.length + 1),
      missingPoints: optional((v, p) => read.number(v, p, 0)),
    });
  });
  if (indicators.length > 0 && Math.abs(total - 1) > 1e-9) {
    read.fail(path, `weights must add up to 1, they add up to ${Number(total.toFixed(6))}`);
  }
}

/** Grades go best first: each one's minimum score below the one before. */
function readGrades(read: Reader, value: Json, path: string, tiers: Set<string>): void {
  const grades = read.array(value, path, 1) ?? [];
  const mins = grades.map((entry, i) => {
    const grade = read.object(entry, `${path}[${i}]`);
    if (!grade) return 0;
    read.tier(grade.tier, `${path}[${i}].tier`, tiers);
    return read.number(grade.minScore, `${path}[${i}].minScore`) ?? 0;
  });
  for (let i = 1; i < mins.length; i++) {
    if (!(mins[i] < mins[i - 1])) {
      read.fail(
        `${path}[${i}].minScore`,
        `grades go best first: must be below ${mins[i - 1]}, got ${mins[i]}`,
      );
    }
  }
}
