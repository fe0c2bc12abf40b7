/**
 * Summarise: a transaction log becomes one summary per customer, as of an explicit date. Every
 * duration is in days; only the CLV models count in another unit (`shared/clv/histories.ts`).
 * Transactions after `asOf` are ignored, so a calibration/holdout split is just two calls with
 * different dates.
 */

import type { Day } from './dates';

/** A transaction log in columns; customer `i` of a row is `customers[customer[row]]`. */
export interface TransactionLog {
  customers: CustomerInfo[];
  customer: Int32Array;
  day: Int32Array;
  amount: Float64Array;
  /** Profit of each row (amount × margin, or amount − cost); `null` when no margin column was given. */
  profit: Float64Array | null;
}

export interface CustomerInfo {
  id: string;
  name: string | null;
  owner: string | null;
}

export interface CustomerSummary {
  customerId: string;
  name: string | null;
  owner: string | null;
  firstPurchase: Day | null;
  lastPurchase: Day;
  lastContact: Day | null;
  /** A salesperson postponed the next contact to this day (from the contact log; see contacts.ts). */
  snoozedUntil?: Day | null;
  /** Transactions with a non-negative amount (refunds are not orders). */
  orders: number;
  /** Distinct days with a purchase; same-day transactions are one purchase. */
  purchaseDays: number;
  /** Frequency in the CLV literature (x): purchase days after the first. */
  repeatPurchases: number;
  /** Recency in the RFM sense: days from the last purchase to the as-of date. */
  sinceLastPurchase: number;
  /** Recency in the CLV sense (t_x): days from the first to the last purchase. */
  firstToLastPurchase: number | null;
  /** Tenure (T): days from the first purchase to the as-of date. */
  tenure: number | null;
  /** Net of refunds. */
  totalSpend: number;
  averageOrderValue: number;
  /** Mean value of the repeat purchase days (the Gamma-Gamma model's z̄); `null` without repeats. */
  repeatAverageSpend: number | null;
  /** Mean days between purchase days; `null` with a single purchase day. */
  averageCycle: number | null;
  /** Profit contribution, when the log had a margin or cost column. */
  profit: number | null;
  /** Further numeric facts about the customer, by column name (potential, daysLate, …). */
  attributes: Record<string, number>;
}

export interface SummaryOptions {
  asOf: Day;
}

/** Shared by every summary that has no attributes: a million empty objects would cost the GC dearly. */
const NO_ATTRIBUTES: Record<string, number> = Object.freeze({}) as Record<string, number>;

/** Row columns regrouped so that each customer's rows are contiguous and in day order. */
interface Grouped {
  start: Int32Array;
  day: Int32Array;
  amount: Float64Array;
  profit: Float64Array | null;
}

/**
 * One summary per customer with at least one purchase on or before `asOf`. Runs in linear time: a
 * counting sort groups the rows by customer, copying day and amount side by side so each customer's
 * pass reads memory in sequence; a customer's rows are sorted by day only when they are out of order.
 *
 * @example
 * summarize(log, { asOf: dayFromParts(1997, 9, 30)! })
 */
export function summarize(log: TransactionLog, { asOf }: SummaryOptions): CustomerSummary[] {
  const grouped = groupByCustomer(log, asOf);
  const summaries: CustomerSummary[] = [];
  for (let c = 0; c < log.customers.length; c++) {
    const from = grouped.start[c];
    const to = grouped.start[c + 1];
    if (from === to) continue;
    sortGroupByDay(grouped, from, to);
    summaries.push(summarizeCustomer(log, c, grouped, asOf));
  }
  return summaries;
}

function groupByCustomer(log: TransactionLog, asOf: Day): Grouped {
  const { customer, day, amount, profit } = log;
  const count = log.customers.length;
  const start = new Int32Array(count + 1);
  for (let i = 0; i < customer.length; i++) if (day[i] <= asOf) start[customer[i] + 1]++;
  for (let c = 0; c < count; c++) start[c + 1] += start[c];
  const next = start.slice(0, count);
  const size = start[count];
  const grouped: Grouped = {
    start,
    day: new Int32Array(size),
    amount: new Float64Array(size),
    profit: profit ? new Float64Array(size) : null,
  };
  for (let i = 0; i < customer.length; i++) {
    if (day[i] > asOf) continue;
    const at = next[customer[i]]++;
    grouped.day[at] = day[i];
    grouped.amount[at] = amount[i];
    if (profit && grouped.profit) grouped.profit[at] = profit[i];
  }
  return grouped;
}

/** Groups larger than this are sorted through an index array instead of by insertion. */
const INSERTION_SORT_LIMIT = 32;

/** Stable sort of one customer's rows by day; a no-op for rows already in order (the usual case). */
function sortGroupByDay(g: Grouped, from: number, to: number): void {
  let ordered = true;
  for (let k = from + 1; k < to && ordered; k++) ordered = g.day[k] >= g.day[k - 1];
  if (ordered) return;
  if (to - from > INSERTION_SORT_LIMIT) {
    const order = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => g.day[a] - g.day[b]);
    const days = order.map((k) => g.day[k]);
    const amounts = order.map((k) => g.amount[k]);
    const profits = g.profit ? order.map((k) => g.profit![k]) : null;
    g.day.set(days, from);
    g.amount.set(amounts, from);
    if (profits && g.profit) g.profit.set(profits, from);
    return;
  }
  for (let k = from + 1; k < to; k++) {
    const d = g.day[k];
    const a = g.amount[k];
    const p = g.profit ? g.profit[k] : 0;
    let j = k - 1;
    for (; j >= from && g.day[j] > d; j--) {
      g.day[j + 1] = g.day[j];
      g.amount[j + 1] = g.amount[j];
      if (g.profit) g.profit[j + 1] = g.profit[j];
    }
    g.day[j + 1] = d;
    g.amount[j + 1] = a;
    if (g.profit) g.profit[j + 1] = p;
  }
}

function summarizeCustomer(log: TransactionLog, c: number, g: Grouped, asOf: Day): CustomerSummary {
  const from = g.start[c];
  const to = g.start[c + 1];
  let orders = 0;
  let total = 0;
  let profitTotal = 0;
  let profitKnown = false;
  let purchaseDays = 0;
  let first = -1;
  let last = -1;
  let firstDaySpend = 0;
  for (let k = from; k < to; k++) {
    const d = g.day[k];
    const value = g.amount[k];
    total += value;
    if (g.profit !== null && !Number.isNaN(g.profit[k])) {
      profitTotal += g.profit[k];
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
  if (first < 0) first = last = g.day[from]; // only refunds: keep the customer visible
  return {
    customerId: info.id,
    name: info.name,
    owner: info.owner,
    firstPurchase: first,
    lastPurchase: last,
    lastContact: null,
    orders,
    purchaseDays,
    repeatPurchases: repeats,
    sinceLastPurchase: asOf - last,
    firstToLastPurchase: last - first,
    tenure: asOf - first,
    totalSpend: total,
    averageOrderValue: orders > 0 ? total / orders : 0,
    repeatAverageSpend: repeats > 0 ? (total - firstDaySpend) / repeats : null,
    averageCycle: repeats > 0 ? (last - first) / repeats : null,
    profit: profitKnown ? profitTotal : null,
    attributes: NO_ATTRIBUTES,
  };
}

/**
 * The same customers seen from a later (or earlier) date: recency and tenure move, the calendar facts
 * stay. A stored book is rebased to today before it is scored.
 */
export function rebase(customers: readonly CustomerSummary[], asOf: Day): CustomerSummary[] {
  return customers.map((c) => ({
    ...c,
    sinceLastPurchase: asOf - c.lastPurchase,
    tenure: c.firstPurchase === null ? null : asOf - c.firstPurchase,
  }));
}
