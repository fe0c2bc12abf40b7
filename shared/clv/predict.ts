/**
 * CLV for a customer book: fit the repeat-purchase model (MBG/NBD by default, or BG/NBD) and the
 * Gamma-Gamma spend model, then predict per customer. Below the documented minimum of data, or when a
 * fit does not converge, the result says so and why, and every customer gets the simple CLV instead.
 */

import type { Day } from '../dates';
import type { CustomerSummary } from '../summarize';
import { DAYS_PER_MONTH, daysToUnit, monthsToUnit, type TimeUnit, unitToDays } from '../units';
import {
  type BgParams,
  expectedPurchases,
  fitRepeatModel,
  medianTimeToNextPurchase,
  probabilityAlive,
  probabilityNoPurchase,
  type RepeatFit,
  type RepeatModelName,
} from './bgnbd';
import { expectedSpend, fitGammaGamma, type GammaGammaParams, type SpendFit } from './gammagamma';
import { historiesFrom } from './histories';
import { DEFAULT_RETENTION_MONTHLY, simpleClv } from './simple';

/** Below these, the probabilistic fit is not attempted (its parameters would be noise). */
export const SMALL_DATA = {
  minCustomers: 200,
  minRepeatBuyers: 50,
  /** Days from the earliest first purchase to the as-of date. */
  minHistoryDays: 84,
} as const;

export interface ClvOptions {
  asOf: Day;
  /** The model's time unit: a weekly model counts t, t_x and T in weeks. */
  unit: TimeUnit;
  model: RepeatModelName;
  /** Horizon for expected purchases and P(no purchase), in days. */
  horizonDays: number;
  /** CLV horizon in months (of 30.4375 days). */
  clvMonths: number;
  /** Discount rate per month, e.g. 0.01. */
  discountMonthly: number;
  /** Share of revenue that is profit; 1 for a revenue CLV. */
  margin: number;
  /** For the simple model only. */
  retentionMonthly?: number;
}

export const DEFAULT_CLV_OPTIONS = {
  unit: 'week',
  model: 'mbgnbd',
  horizonDays: 91,
  clvMonths: 12,
  discountMonthly: 0.01,
  margin: 1,
} as const satisfies Partial<ClvOptions>;

export interface CustomerClv {
  /** Probability the customer is still active; null under the simple model. */
  pAlive: number | null;
  /** Expected purchases within the horizon; under the simple model, the customer's own rate. */
  expectedPurchases: number;
  /** Probability of no purchase within the horizon; null under the simple model. */
  pNoPurchase: number | null;
  /** Median date of the next purchase if the customer is still active (ISO day number). */
  nextPurchase: Day | null;
  expectedSpend: number;
  clv: number;
  /** CLV month by month, month 1 first, discounted. */
  monthly: number[];
  method: 'probabilistic' | 'simple';
}

export interface ClvResult {
  method: 'probabilistic' | 'simple';
  /** Which rule applied, in words (e.g. why one-time buyers are not certainly alive). */
  rule: string;
  /** Why the probabilistic model was not used, when it was not. */
  fallbackReason: string | null;
  repeatFit: RepeatFit | null;
  spendFit: SpendFit | null;
  options: ClvOptions;
  customers: CustomerClv[];
}

const RULES: Record<RepeatModelName, string> = {
  mbgnbd:
    'MBG/NBD: a customer may drop out right after any purchase, the first included, so P(alive) falls for one-time buyers as time passes',
  bgnbd:
    'BG/NBD: customers drop out only after a repeat purchase, so one-time buyers count as certainly alive (P(alive) = 1)',
};

export function predictClv(customers: readonly CustomerSummary[], options: ClvOptions): ClvResult {
  const { histories, included } = historiesFrom(customers, options.unit);
  const small = smallDataReason(customers, histories.x, options.asOf);
  if (small) return simpleResult(customers, options, small);
  const repeatFit = fitRepeatModel(histories, options.model);
  if (!repeatFit.ok) return simpleResult(customers, options, repeatFit.reason, repeatFit);
  const repeaters = included.filter(
    (i) => customers[i].repeatPurchases > 0 && (customers[i].repeatAverageSpend ?? 0) > 0,
  );
  const spendFit = fitGammaGamma({
    x: Float64Array.from(repeaters, (i) => customers[i].repeatPurchases),
    meanSpend: Float64Array.from(repeaters, (i) => customers[i].repeatAverageSpend!),
  });
  if (!spendFit.ok) return simpleResult(customers, options, spendFit.reason, repeatFit, spendFit);
  if (spendFit.params.q <= 1) {
    return simpleResult(
      customers,
      options,
      'the Gamma-Gamma fit has q ≤ 1: mean spend is unbounded, so no CLV',
      repeatFit,
      spendFit,
    );
  }
  const position = new Map(included.map((i, k) => [i, k]));
  return {
    method: 'probabilistic',
    rule: RULES[options.model],
    fallbackReason: null,
    repeatFit,
    spendFit,
    options,
    customers: customers.map(
      (c, i) =>
        position.has(i) ? predictOne(c, repeatFit.params, spendFit.params, options) : simpleOne(c, options), // no first purchase date: no history for the model
    ),
  };
}

function smallDataReason(customers: readonly CustomerSummary[], x: Float64Array, asOf: Day): string | null {
  const repeat = x.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  // A loop, not Math.min(...firsts): a spread of 125,000 or more values overflows the call stack.
  let first = Number.POSITIVE_INFINITY;
  for (const c of customers) if (c.firstPurchase !== null && c.firstPurchase < first) first = c.firstPurchase;
  const history = first === Number.POSITIVE_INFINITY ? 0 : asOf - first;
  const { minCustomers, minRepeatBuyers, minHistoryDays } = SMALL_DATA;
  if (x.length < minCustomers)
    return `only ${x.length} customers with a purchase history; the model needs ${minCustomers}`;
  if (repeat < minRepeatBuyers)
    return `only ${repeat} customers bought more than once; the model needs ${minRepeatBuyers}`;
  if (history < minHistoryDays) return `only ${history} days of history; the model needs ${minHistoryDays}`;
  return null;
}

/** Per-month CLV from the expected purchases at each month end. */
function monthlyValues(purchasesUpTo: (t: number) => number, spend: number, options: ClvOptions): number[] {
  const monthly: number[] = [];
  let before = 0;
  for (let k = 1; k <= Math.floor(options.clvMonths); k++) {
    const upTo = purchasesUpTo(monthsToUnit(k, options.unit));
    const purchases = Math.max(0, upTo - before);
    before = Math.max(before, upTo);
    monthly.push((options.margin * spend * purchases) / (1 + options.discountMonthly) ** k);
  }
  return monthly;
}

function predictOne(
  c: CustomerSummary,
  bg: BgParams,
  gg: GammaGammaParams,
  options: ClvOptions,
): CustomerClv {
  const unit = options.unit;
  const inUnit = (value: number): number => daysToUnit(unitToDays(value, c.unit), unit);
  const x = c.repeatPurchases;
  const tx = inUnit(c.firstToLastPurchase!);
  const T = inUnit(c.tenure!);
  const horizon = daysToUnit(options.horizonDays, unit);
  const spend = expectedSpend(gg, x, c.repeatAverageSpend ?? 0);
  const monthly = monthlyValues((t) => expectedPurchases(options.model, bg, t, x, tx, T), spend, options);
  return {
    pAlive: probabilityAlive(options.model, bg, x, tx, T),
    expectedPurchases: expectedPurchases(options.model, bg, horizon, x, tx, T),
    pNoPurchase: probabilityNoPurchase(options.model, bg, horizon, x, tx, T),
    nextPurchase: options.asOf + Math.round(unitToDays(medianTimeToNextPurchase(bg, x, T), unit)),
    expectedSpend: spend,
    clv: monthly.reduce((s, v) => s + v, 0),
    monthly,
    method: 'probabilistic',
  };
}

/** The simple model for one customer: their own order rate and average order value. */
function simpleOne(c: CustomerSummary, options: ClvOptions): CustomerClv {
  const tenureDays = c.tenure === null ? null : unitToDays(c.tenure, c.unit);
  const months = Math.max(1, (tenureDays ?? DAYS_PER_MONTH) / DAYS_PER_MONTH);
  const perMonth = c.purchaseDays / months;
  const { total, monthly } = simpleClv({
    averageOrderValue: Math.max(0, c.averageOrderValue),
    purchasesPerMonth: perMonth,
    margin: options.margin,
    retentionMonthly: options.retentionMonthly ?? DEFAULT_RETENTION_MONTHLY,
    discountMonthly: options.discountMonthly,
    months: options.clvMonths,
  });
  return {
    pAlive: null,
    expectedPurchases: (perMonth * options.horizonDays) / DAYS_PER_MONTH,
    pNoPurchase: null,
    nextPurchase:
      c.averageCycle === null ? null : c.lastPurchase + Math.round(unitToDays(c.averageCycle, c.unit)),
    expectedSpend: Math.max(0, c.averageOrderValue),
    clv: total,
    monthly,
    method: 'simple',
  };
}

function simpleResult(
  customers: readonly CustomerSummary[],
  options: ClvOptions,
  reason: string,
  repeatFit: RepeatFit | null = null,
  spendFit: SpendFit | null = null,
): ClvResult {
  return {
    method: 'simple',
    rule: `simple CLV: average order value × orders a month × margin, kept with ${Math.round((options.retentionMonthly ?? DEFAULT_RETENTION_MONTHLY) * 100)} % retention a month, discounted`,
    fallbackReason: reason,
    repeatFit,
    spendFit,
    options,
    customers: customers.map((c) => simpleOne(c, options)),
  };
}

/** The columns the tier models read (`clv`, `pAlive`, `expectedPurchases`). */
export function clvPredictions(result: ClvResult) {
  return {
    clv: Float64Array.from(result.customers, (c) => c.clv),
    pAlive: Float64Array.from(result.customers, (c) => c.pAlive ?? Number.NaN),
    expectedPurchases: Float64Array.from(result.customers, (c) => c.expectedPurchases),
    horizonDays: result.options.horizonDays,
  };
}
