/**
 * The `weighted` kind: points per indicator (by thresholds on its metric), a weighted sum, and the
 * first grade (best first) whose minimum score the sum reaches.
 */

import { thresholdBands } from '../bands';
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
    read.known(model, path, ['kind', 'indicators', 'grades']);
    const indicators = read.array(model.indicators, `${path}.indicators`, 1) ?? [];
    let total = 0;
    indicators.forEach((entry, i) => {
      const p = `${path}.indicators[${i}]`;
      const indicator = read.object(entry, p);
      if (!indicator) return;
      read.known(indicator, p, ['metric', 'weight', 'cuts', 'points', 'missingPoints']);
      read.metric(indicator.metric, `${p}.metric`);
      const weight = read.number(indicator.weight, `${p}.weight`, 0, 1);
      if (weight !== undefined && weight <= 0) read.fail(`${p}.weight`, 'must be more than 0');
      total += weight ?? 0;
      const cuts = read.numbers(indicator.cuts, `${p}.cuts`);
      if (cuts) {
        read.ascending(cuts, `${p}.cuts`);
        read.numbers(indicator.points, `${p}.points`, cuts.length + 1);
      }
      if (indicator.missingPoints !== undefined)
        read.number(indicator.missingPoints, `${p}.missingPoints`, 0);
    });
    if (indicators.length > 0 && Math.abs(total - 1) > 1e-9) {
      read.fail(`${path}.indicators`, `weights must add up to 1, they add up to ${Number(total.toFixed(6))}`);
    }
    const grades = read.array(model.grades, `${path}.grades`, 1) ?? [];
    const mins = grades.map((entry, i) => {
      const grade = read.object(entry, `${path}.grades[${i}]`);
      if (!grade) return 0;
      read.tier(grade.tier, `${path}.grades[${i}].tier`, tiers);
      return read.number(grade.minScore, `${path}.grades[${i}].minScore`) ?? 0;
    });
    for (let i = 1; i < mins.length; i++) {
      if (!(mins[i] < mins[i - 1])) {
        read.fail(
          `${path}.grades[${i}].minScore`,
          `grades go best first: must be below ${mins[i - 1]}, got ${mins[i]}`,
        );
      }
    }
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
