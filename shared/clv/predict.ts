/**
 * CLV for a customer book: fit the repeat-purchase model (MBG/NBD by default, BG/NBD or Pareto/NBD)
 * and the Gamma-Gamma spend model, then predict per customer. Below the documented minimum of data,
 * or when the count model does not converge (or runs to the boundary), the result says so and why,
 * and every customer gets the simple CLV instead. When only the spend model fails (e.g. everyone
 * spends the same), the count model's figures are kept and spend falls back to each customer's own
 * average order value; the result says which.
 */

import type { Day } from '../dates';
import type { CustomerSummary } from '../summarize';
import { DAYS_PER_MONTH, daysToUnit, monthsToUnit, type TimeUnit, unitToDays } from '../units';
import { expectedSpend, fitGammaGamma, type SpendFit, spendHistoriesFrom } from './gammagamma';
import { groupHistories, type Histories, historiesFrom } from './histories';
import { BG_MODELS, type CountFit, type CountModel, type CountModelName, type CountModels } from './models';
import { DEFAULT_RETENTION_MONTHLY, simpleClv } from './simple';

/** Below these, the probabilistic fit is not attempted (its parameters would be noise). */
export const SMALL_DATA = {
  minCustomers: 200,
  minRepeatBuyers: 50,
  /** Days from the earliest first purchase to the as-of date. */
  minHistoryDays: 84,
} as const;

/** A next purchase predicted further out than this is reported as none (null), not as a date. */
export const MAX_NEXT_PURCHASE_DAYS = 36_525;

export interface ClvOptions {
  asOf: Day;
  /** The model's time unit: a weekly model counts t, t_x and T in weeks. */
  unit: TimeUnit;
  model: CountModelName;
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
  /** Expected spend per purchase; never negative. */
  expectedSpend: number;
  clv: number;
  /** CLV month by month, month 1 first, discounted. */
  monthly: number[];
  /** Which model gave P(alive) and the expected purchases. */
  method: 'probabilistic' | 'simple';
}

/** How spend per purchase is predicted: the Gamma-Gamma model, or the customer's own average. */
export type SpendModel = 'gamma-gamma' | 'average order value';

export interface ClvResult {
  /** The model behind P(alive), expected purchases and P(no purchase). */
  method: 'probabilistic' | 'simple';
  /** Which rule applied, in words (e.g. why one-time buyers are not certainly alive). */
  rule: string;
  /** Why the probabilistic count model was not used, when it was not. */
  fallbackReason: string | null;
  /** The model behind expected spend (and so the spend part of CLV). */
  spendModel: SpendModel;
  spendRule: string;
  /** Why the Gamma-Gamma model was not used, when it was not. */
  spendFallbackReason: string | null;
  repeatFit: CountFit | null;
  spendFit: SpendFit | null;
  /** Customers left out of the fit because their first purchase is on the as-of date; still predicted. */
  tenureZero: number;
  options: ClvOptions;
  customers: CustomerClv[];
}

const SPEND_RULES: Record<SpendModel, string> = {
  'gamma-gamma':
    'Gamma-Gamma: own mean repeat spend shrunk toward the population mean (refunds netting it below 0 count as 0)',
  'average order value': 'own average order value, net of refunds, never below 0',
};

/**
 * Predicts each customer's P(alive), expected purchases, next purchase and CLV. Falls back to the
 * simple model (own rate × retention) when the data is too small or the fit fails, and says why in
 * `fallbackReason`. The model counts time in `options.unit` (the summaries' days are converted).
 *
 * `models` are the count models on offer: the BG/NBD family by default; pass `ALL_COUNT_MODELS` for
 * the Pareto/NBD too (kept out of the default so the Sheets bundle stays small).
 *
 * @example
 * const { customers } = intakeBook(table, { asOf });
 * const clv = predictClv(customers, { ...DEFAULT_CLV_OPTIONS, asOf });
 * clv.method          // "simple" for the 20-customer example data
 * clv.fallbackReason  // "only 20 customers with a purchase history; the model needs 200"
 * clv.customers[0].clv
 */
export function predictClv(
  customers: readonly CustomerSummary[],
  options: ClvOptions,
  models: CountModels = BG_MODELS,
): ClvResult {
  const kind = models[options.model];
  if (!kind) return simpleResult(customers, options, `the ${options.model} model is not available here`);
  const { histories, included } = historiesFrom(customers, options.unit);
  const small = smallDataReason(customers, histories, options.asOf);
  if (small) return simpleResult(customers, options, small);
  const repeatFit = kind.fit(histories);
  if (!repeatFit.ok) return simpleResult(customers, options, repeatFit.reason, repeatFit);
  const counts = predictCounts(kind.predictor(repeatFit), histories, options);
  if (typeof counts === 'string') return simpleResult(customers, options, counts, repeatFit);
  const spend = spendModelFor(customers, included);
  const position = new Int32Array(customers.length).fill(-1);
  included.forEach((i, k) => {
    position[i] = k;
  });
  return {
    method: 'probabilistic',
    rule: kind.rule,
    fallbackReason: null,
    spendModel: spend.model,
    spendRule: SPEND_RULES[spend.model],
    spendFallbackReason: spend.reason,
    repeatFit,
    spendFit: spend.fit,
    tenureZero: repeatFit.tenureZero,
    options,
    customers: customers.map((c, i) =>
      // No first purchase date (a customer table without one): no history for the model.
      position[i] < 0
        ? simpleOne(c, options)
        : predictOne(counts, counts.groupOf[position[i]], spend.of(c), options),
    ),
  };
}

/** How much history a fit would have: customers with one (T > 0), repeat buyers, days of history. */
export interface DataSize {
  customers: number;
  repeatBuyers: number;
  historyDays: number;
}

export function dataSize(customers: readonly CustomerSummary[], h: Histories, asOf: Day): DataSize {
  let fitted = 0;
  let repeat = 0;
  for (let i = 0; i < h.x.length; i++) {
    if (h.T[i] > 0) fitted++;
    if (h.x[i] > 0) repeat++;
  }
  let earliest = Number.POSITIVE_INFINITY;
  for (const c of customers)
    if (c.firstPurchase !== null && c.firstPurchase < earliest) earliest = c.firstPurchase;
  return {
    customers: fitted,
    repeatBuyers: repeat,
    historyDays: Number.isFinite(earliest) ? asOf - earliest : 0,
  };
}

/** Why `h` is too small for a probabilistic fit (SMALL_DATA), or null when it is large enough. */
export function smallDataReason(
  customers: readonly CustomerSummary[],
  h: Histories,
  asOf: Day,
): string | null {
  const size = dataSize(customers, h, asOf);
  const { minCustomers, minRepeatBuyers, minHistoryDays } = SMALL_DATA;
  if (size.customers < minCustomers)
    return `only ${size.customers} customers with a purchase history; the model needs ${minCustomers}`;
  if (size.repeatBuyers < minRepeatBuyers)
    return `only ${size.repeatBuyers} customers bought more than once; the model needs ${minRepeatBuyers}`;
  if (size.historyDays < minHistoryDays)
    return `only ${size.historyDays} days of history; the model needs ${minHistoryDays}`;
  return null;
}

/** Count-model figures per distinct history (x, t_x, T): identical customers are predicted once. */
interface CountPredictions {
  groupOf: Int32Array;
  pAlive: Float64Array;
  expected: Float64Array;
  pNone: Float64Array;
  /** Median wait in days. */
  waitDays: Float64Array;
  /** Expected purchases in each CLV month, discounted, per group (months × groups). */
  discounted: Float64Array;
  months: number;
}

/** The count figures, or why they cannot be trusted (a non-finite value names the customer). */
function predictCounts(model: CountModel, h: Histories, options: ClvOptions): CountPredictions | string {
  const g = groupHistories(h);
  const months = Math.floor(options.clvMonths);
  const horizon = daysToUnit(options.horizonDays, options.unit);
  const out: CountPredictions = {
    groupOf: g.groupOf,
    pAlive: new Float64Array(g.groups),
    expected: new Float64Array(g.groups),
    pNone: new Float64Array(g.groups),
    waitDays: new Float64Array(g.groups),
    discounted: new Float64Array(g.groups * months),
    months,
  };
  const monthEnds = Array.from({ length: months }, (_, k) => monthsToUnit(k + 1, options.unit));
  const discount = monthEnds.map((_, k) => 1 / (1 + options.discountMonthly) ** (k + 1));
  for (let j = 0; j < g.groups; j++) {
    const x = g.x[j];
    const tx = g.distinctTx[g.txIndex[j]];
    const T = g.distinctT[g.TIndex[j]];
    out.pAlive[j] = model.pAlive(x, tx, T);
    out.expected[j] = model.expectedPurchases(horizon, x, tx, T);
    out.pNone[j] = model.pNoPurchase(horizon, x, tx, T);
    out.waitDays[j] = unitToDays(model.medianWait(x, T), options.unit);
    let before = 0;
    let finite =
      Number.isFinite(out.pAlive[j]) && Number.isFinite(out.expected[j]) && Number.isFinite(out.pNone[j]);
    for (let k = 0; k < months; k++) {
      const upTo = model.expectedPurchases(monthEnds[k], x, tx, T);
      finite &&= Number.isFinite(upTo);
      out.discounted[j * months + k] = Math.max(0, upTo - before) * discount[k];
      before = Math.max(before, upTo);
    }
    if (!finite) return `the fitted ${model.name} model cannot be evaluated at its parameters`;
  }
  return out;
}

/** Gamma-Gamma when it fits (with q > 1); otherwise each customer's own average, with the reason. */
function spendModelFor(customers: readonly CustomerSummary[], included: readonly number[]) {
  const fit = fitGammaGamma(spendHistoriesFrom(customers, included));
  const reason = !fit.ok
    ? fit.reason
    : fit.params.q <= 1
      ? 'the Gamma-Gamma fit has q ≤ 1: mean spend is unbounded'
      : null;
  if (reason !== null || !fit.ok)
    return { model: 'average order value' as SpendModel, fit, reason, of: averageOrderValue };
  const params = fit.params;
  return {
    model: 'gamma-gamma' as SpendModel,
    fit,
    reason: null,
    of: (c: CustomerSummary) => expectedSpend(params, c.repeatPurchases, c.repeatAverageSpend ?? 0),
  };
}

const averageOrderValue = (c: CustomerSummary): number => Math.max(0, c.averageOrderValue);

function predictOne(
  counts: CountPredictions,
  group: number,
  spend: number,
  options: ClvOptions,
): CustomerClv {
  const monthly = new Array<number>(counts.months);
  let clv = 0;
  for (let k = 0; k < counts.months; k++) {
    monthly[k] = options.margin * spend * counts.discounted[group * counts.months + k];
    clv += monthly[k];
  }
  const wait = counts.waitDays[group];
  return {
    pAlive: counts.pAlive[group],
    expectedPurchases: counts.expected[group],
    pNoPurchase: counts.pNone[group],
    nextPurchase:
      Number.isFinite(wait) && wait <= MAX_NEXT_PURCHASE_DAYS ? options.asOf + Math.round(wait) : null,
    expectedSpend: spend,
    clv,
    monthly,
    method: 'probabilistic',
  };
}

/** The simple model for one customer: their own order rate and average order value. */
function simpleOne(c: CustomerSummary, options: ClvOptions): CustomerClv {
  const months = Math.max(1, (c.tenure ?? DAYS_PER_MONTH) / DAYS_PER_MONTH);
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
    // A customer past their own cycle, if still active, is expected now: never a date before as-of.
    nextPurchase:
      c.averageCycle === null ? null : Math.max(options.asOf, c.lastPurchase + Math.round(c.averageCycle)),
    expectedSpend: averageOrderValue(c),
    clv: total,
    monthly,
    method: 'simple',
  };
}

function simpleResult(
  customers: readonly CustomerSummary[],
  options: ClvOptions,
  reason: string,
  repeatFit: CountFit | null = null,
): ClvResult {
  return {
    method: 'simple',
    rule: `simple CLV: average order value × orders a month × margin, kept with ${Math.round((options.retentionMonthly ?? DEFAULT_RETENTION_MONTHLY) * 100)} % retention a month, discounted`,
    fallbackReason: reason,
    spendModel: 'average order value',
    spendRule: SPEND_RULES['average order value'],
    spendFallbackReason: null,
    repeatFit,
    spendFit: null,
    tenureZero: repeatFit?.tenureZero ?? 0,
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
