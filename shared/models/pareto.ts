/**
 * The `pareto` kind: customers ranked by a metric (revenue), best first, and cut where the better
 * customers' cumulative share of the total (or of the customers) reaches each tier's `upTo`.
 */

import { shareAbove, upperBound } from '../bands';
import { type Json, optional, type Reader, readElsewhere } from '../reader';
import { type TierModelKind, UNTIERED } from './model';

export interface ParetoModel {
  kind: 'pareto';
  metric: string;
  /** Cut on cumulative share of the metric (revenue), or of the customers. */
  basis: 'value' | 'customers';
  /** Best first: a customer whose better-ranked peers hold less than `upTo` of the total is in the tier. */
  cuts: { tier: string; upTo: number }[];
  /** Tier for customers whose metric is 0 or less (they cost more than they bring). */
  nonPositiveTier?: string;
}

export const paretoKind: TierModelKind<ParetoModel> = {
  kind: 'pareto',
  read(read, model, path, { tiers }) {
    read.fields<ParetoModel>(model, path, {
      kind: readElsewhere,
      metric: (v, p) => read.metric(v, p),
      basis: (v, p) => read.oneOf(v, p, ['value', 'customers']),
      cuts: (v, p) => readCuts(read, v, p, tiers),
      nonPositiveTier: optional((v, p) => read.tier(v, p, tiers)),
    });
  },
  metrics: (model) => [model.metric],
  assign(model, source, tierIndex) {
    const values = source.column(model.metric);
    const above = shareAbove(values, model.basis);
    const limits = model.cuts.map((c) => c.upTo);
    const tiers = model.cuts.map((c) => tierIndex(c.tier));
    const poor = model.nonPositiveTier === undefined ? UNTIERED : tierIndex(model.nonPositiveTier);
    return Int16Array.from(values, (v, i) => {
      if (Number.isNaN(v)) return UNTIERED;
      if (v <= 0) return poor;
      // The first cut whose limit lies beyond the share held by better customers.
      return tiers[Math.min(upperBound(limits, above[i] + 1e-12), tiers.length - 1)];
    });
  },
  reasons(model, book, i, say) {
    const value = book.metrics.column(model.metric)[i];
    if (value <= 0) return [say.nonPositive];
    const above = book.metrics.memo(`shareAbove:${model.metric}:${model.basis}`, () =>
      shareAbove(book.metrics.column(model.metric), model.basis),
    )[i];
    return [say.paretoTop(Math.round(above * 100))];
  },
  tiers: (model) => [
    ...model.cuts.map((c) => c.tier),
    ...(model.nonPositiveTier ? [model.nonPositiveTier] : []),
  ],
  ranks: () => true,
};

/** Each cut names a tier and its share; shares rise, and the last reaches 1 so everyone is placed. */
function readCuts(read: Reader, value: Json, path: string, tiers: Set<string>): void {
  const cuts = read.array(value, path, 1) ?? [];
  const upTo = cuts.map((entry, i) => {
    const cut = read.object(entry, `${path}[${i}]`);
    if (!cut) return 0;
    read.tier(cut.tier, `${path}[${i}].tier`, tiers);
    return read.number(cut.upTo, `${path}[${i}].upTo`, 0, 1) ?? 0;
  });
  for (let i = 1; i < upTo.length; i++) {
    if (!(upTo[i] > upTo[i - 1])) {
      read.fail(
        `${path}[${i}].upTo`,
        `must be greater than the tier before (${upTo[i - 1]}), got ${upTo[i]}`,
      );
    }
  }
  if (upTo.length > 0 && upTo[upTo.length - 1] !== 1) {
    read.fail(
      `${path}[${upTo.length - 1}].upTo`,
      'the last cut must reach 1 (100 %) so every customer has a tier',
    );
  }
}
