/**
 * The population view a manager reads: customers, revenue and share per tier, the Pareto curve, and
 * conversion between stages when the model is a funnel.
 */

import { type FunnelStep, funnelCounts } from './funnel';
import { messagesFor } from './messages';
import type { ScoredBook } from './score-book';

export interface TierTotals {
  tier: string | null;
  label: string;
  customers: number;
  revenue: number;
  customerShare: number;
  revenueShare: number;
}

export interface ParetoPoint {
  /** Share of customers, best first. */
  customerShare: number;
  /** Share of revenue those customers bring. */
  revenueShare: number;
}

export interface PopulationSummary {
  customers: number;
  revenue: number;
  /** Per tier, best first; a last row with `tier: null` counts customers no tier could take. */
  tiers: TierTotals[];
  paretoCurve: ParetoPoint[];
  /** Customers whose net spend is 0 or less (refunds equal or exceed purchases). */
  nonPositiveSpend: string[];
  /** With a funnel model: customers per stage, how many got that far and the conversion to the next. */
  funnel: FunnelStep[] | null;
}

/** Points on the Pareto curve, every 5 % of customers. */
export const PARETO_STEPS = 20;

/**
 * Customers and revenue per tier, the Pareto curve and the funnel of a scored book: the `/tier summary`
 * answer (through lambda/live-book.ts) and the summary `tierwise score` prints.
 *
 * @example
 * const population = summarizePopulation(book);
 * population.customers      // 20 (example data, rfm-segments, as of 2024-06-30)
 * population.tiers[0]       // { tier: 'champions', label: 'Champions', customers: 4, revenue: 36540.87, … }
 * population.paretoCurve[3] // { customerShare: 0.15, revenueShare: 0.62… }: the top 15 % bring 62 %
 */
export function summarizePopulation(book: ScoredBook): PopulationSummary {
  const { config, customers } = book;
  const counts = new Float64Array(config.tiers.length + 1);
  const revenue = new Float64Array(config.tiers.length + 1);
  let total = 0;
  const nonPositiveSpend: string[] = [];
  for (let i = 0; i < customers.length; i++) {
    const slot = book.tier[i] < 0 ? config.tiers.length : book.tier[i];
    const spend = customers[i].totalSpend;
    counts[slot]++;
    revenue[slot] += spend;
    total += spend;
    if (spend <= 0) nonPositiveSpend.push(customers[i].customerId);
  }
  const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
  const tiers: TierTotals[] = config.tiers.map((t, k) => ({
    tier: t.key,
    label: t.label,
    customers: counts[k],
    revenue: revenue[k],
    customerShare: share(counts[k], customers.length),
    revenueShare: share(revenue[k], total),
  }));
  const untiered = counts[config.tiers.length];
  if (untiered > 0) {
    const k = config.tiers.length;
    tiers.push({
      tier: null,
      label: messagesFor(config.locale).noTier,
      customers: untiered,
      revenue: revenue[k],
      customerShare: share(untiered, customers.length),
      revenueShare: share(revenue[k], total),
    });
  }
  return {
    customers: customers.length,
    revenue: total,
    tiers,
    paretoCurve: paretoCurve(book),
    nonPositiveSpend,
    funnel: funnelCounts(book),
  };
}

function paretoCurve(book: ScoredBook): ParetoPoint[] {
  const spend = book.metrics.column('totalSpend').slice().sort().reverse();
  const n = spend.length;
  const positiveTotal = spend.reduce((sum, v) => sum + Math.max(v, 0), 0);
  const points: ParetoPoint[] = [{ customerShare: 0, revenueShare: 0 }];
  let cumulative = 0;
  let taken = 0;
  for (let step = 1; step <= PARETO_STEPS; step++) {
    const upTo = Math.round((n * step) / PARETO_STEPS);
    for (; taken < upTo; taken++) cumulative += Math.max(spend[taken], 0);
    points.push({
      customerShare: step / PARETO_STEPS,
      revenueShare: positiveTotal === 0 ? 0 : cumulative / positiveTotal,
    });
  }
  return points;
}

export interface TierMovement {
  tier: string;
  label: string;
  before: number;
  after: number;
  /** Customers who came into this tier from a worse one, or went from it to a better one. */
  movedUp: number;
  movedDown: number;
}

/**
 * Customers per tier at the previous sync and now, and how many moved up or down, by tier key
 * (best first). Customers new since the last sync count only in `after`.
 */
export function tierMovement(
  tiers: readonly { key: string; label: string }[],
  before: readonly (string | null)[],
  after: readonly (string | null)[],
): TierMovement[] {
  const rank = new Map(tiers.map((t, i) => [t.key, i]));
  const rows = tiers.map((t) => ({
    tier: t.key,
    label: t.label,
    before: 0,
    after: 0,
    movedUp: 0,
    movedDown: 0,
  }));
  for (let i = 0; i < after.length; i++) {
    const was = before[i] == null ? undefined : rank.get(before[i]!);
    const now = after[i] == null ? undefined : rank.get(after[i]!);
    if (was !== undefined) rows[was].before++;
    if (now !== undefined) rows[now].after++;
    if (was !== undefined && now !== undefined && was !== now) {
      if (now < was) rows[now].movedUp++;
      else rows[now].movedDown++;
    }
  }
  return rows;
}
