/**
 * Summarise: a transaction log becomes one summary per customer, as of an explicit date and in an
 * explicit time unit. Transactions after `asOf` are ignored, so a calibration/holdout split is just two
 * calls with different dates.
 */

import type { Day } from './dates';
import type { TransactionLog } from './intake';
import { daysToUnit, type TimeUnit } from './units';

export interface CustomerSummary {
  customerId: string;
  name: string | null;
  owner: string | null;
  /** The unit of every duration below except the calendar days. */
  unit: TimeUnit;
  firstPurchase: Day | null;
  lastPurchase: Day;
  lastContact: Day | null;
  /** Transactions with a non-negative amount (refunds are not orders). */
  orders: number;
  /** Distinct days with a purchase; same-day transactions are one purchase. */
  purchaseDays: number;
  /** Frequency in the CLV literature (x): purchase days after the first. */
  repeatPurchases: number;
  /** Recency in the RFM sense: time from the last purchase to the as-of date. */
  sinceLastPurchase: number;
  /** Recency in the CLV sense (t_x): time from the first to the last purchase. */
  firstToLastPurchase: number | null;
  /** Tenure (T): time from the first purchase to the as-of date. */
  tenure: number | null;
  /** Net of refunds. */
  totalSpend: number;
  averageOrderValue: number;
  /** Mean value of the repeat purchase days (the Gamma-Gamma model's z̄); `null` without repeats. */
  repeatAverageSpend: number | null;
  /** Mean time between purchase days; `null` with a single purchase day. */
  averageCycle: number | null;
  /** Profit contribution, when the log had a margin or cost column. */
  profit: number | null;
  /** Further numeric facts about the customer, by column name (potential, daysLate, …). */
  attributes: Record<string, number>;
}

export interface SummaryOptions {
  asOf: Day;
  unit: TimeUnit;
}

/**
 * One summary per customer with at least one purchase on or before `asOf`. Runs in linear time: rows
 * are grouped by a counting sort on the customer, and a customer's rows are sorted by day only when
 * they are not already in order.
 *
 * @example
 * summarize(log, { asOf: dayFromParts(1997, 9, 30)!, unit: 'week' })
 */
export function summarize(log: TransactionLog, { asOf, unit }: SummaryOptions): CustomerSummary[] {
  const { customer, day, profit } = log;
  const customerCount = log.customers.length;
  const start = new Int32Array(customerCount + 1);
  for (let i = 0; i < customer.length; i++) if (day[i] <= asOf) start[customer[i] + 1]++;
  for (let c = 0; c < customerCount; c++) start[c + 1] += start[c];
  const next = start.slice(0, customerCount);
  const rows = new Int32Array(start[customerCount]);
  for (let i = 0; i < customer.length; i++) if (day[i] <= asOf) rows[next[customer[i]]++] = i;

  const byDay = (a: number, b: number): number => day[a] - day[b];
  const summaries: CustomerSummary[] = [];
  for (let c = 0; c < customerCount; c++) {
    const from = start[c];
    const to = start[c + 1];
    if (from === to) continue;
    if (!isSortedByDay(rows, from, to, day)) rows.subarray(from, to).sort(byDay);
    summaries.push(summarizeCustomer(log, c, rows, from, to, asOf, unit, profit));
  }
  return summaries;
}

function isSortedByDay(rows: Int32Array, from: number, to: number, day: Int32Array): boolean {
  for (let k = from + 1; k < to; k++) if (day[rows[k]] < day[rows[k - 1]]) return false;
  return true;
}

function summarizeCustomer(
  log: TransactionLog,
  c: number,
  rows: Int32Array,
  from: number,
  to: number,
  asOf: Day,
  unit: TimeUnit,
  profit: Float64Array | null,
): CustomerSummary {
  const { day, amount } = log;
  let orders = 0;
  let total = 0;
  let profitTotal = 0;
  let profitKnown = false;
  let purchaseDays = 0;
  let first = -1;
  let last = -1;
  let firstDaySpend = 0;
  for (let k = from; k < to; k++) {
    const i = rows[k];
    const d = day[i];
    const value = amount[i];
    total += value;
    if (profit !== null && !Number.isNaN(profit[i])) {
      profitTotal += profit[i];
      profitKnown = true;
    }
    // Refund-only days net into spend but are not purchases.
    if (value >= 0) {
      orders++;
      if (d !== last) {
        purchaseDays++;
        if (first < 0) first = d;
        last = d;
      }
    }
    if (d === first) firstDaySpend += value;
  }
  const info = log.customers[c];
  const repeats = Math.max(purchaseDays - 1, 0);
  if (first < 0) first = last = day[rows[from]]; // only refunds: keep the customer visible
  return {
    customerId: info.id,
    name: info.name,
    owner: info.owner,
    unit,
    firstPurchase: first,
    lastPurchase: last,
    lastContact: null,
    orders,
    purchaseDays,
    repeatPurchases: repeats,
    sinceLastPurchase: daysToUnit(asOf - last, unit),
    firstToLastPurchase: daysToUnit(last - first, unit),
    tenure: daysToUnit(asOf - first, unit),
    totalSpend: total,
    averageOrderValue: orders > 0 ? total / orders : 0,
    repeatAverageSpend: repeats > 0 ? (total - firstDaySpend) / repeats : null,
    averageCycle: repeats > 0 ? daysToUnit((last - first) / repeats, unit) : null,
    profit: profitKnown ? profitTotal : null,
    attributes: {},
  };
}
