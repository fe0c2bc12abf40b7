/**
 * Purchase histories as the probabilistic models see them: x (repeat purchases), t_x (first to last
 * purchase) and T (first purchase to the end of calibration), all in one named time unit. This is the
 * one place where the summaries' days become the model's unit.
 */

import type { CustomerSummary } from '../summarize';
import { daysToUnit, type TimeUnit } from '../units';

export interface Histories {
  unit: TimeUnit;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Customer ids, position for position, so that a problem names the customer. */
  ids?: readonly string[];
}

/** Identical histories, counted once: the likelihood is evaluated per group, not per customer. */
export interface GroupedHistories {
  groups: number;
  count: Float64Array;
  /** The group of each customer, position for position with the histories. */
  groupOf: Int32Array;
  x: Float64Array;
  /** Index of each group's x, T and t_x among the distinct values, so per-value work is done once. */
  xIndex: Int32Array;
  TIndex: Int32Array;
  txIndex: Int32Array;
  distinctX: Float64Array;
  distinctT: Float64Array;
  distinctTx: Float64Array;
}

/**
 * Histories of the customers whose first purchase is known; `skipped` lists those left out (a
 * customer table without first purchase dates has no t_x or T).
 */
export function historiesFrom(
  customers: readonly CustomerSummary[],
  unit: TimeUnit,
): { histories: Histories; included: number[]; skipped: string[] } {
  const included: number[] = [];
  const skipped: string[] = [];
  customers.forEach((c, i) => {
    if (c.tenure === null || c.firstToLastPurchase === null || c.purchaseDays === 0)
      skipped.push(c.customerId);
    else included.push(i);
  });
  return {
    histories: {
      unit,
      x: Float64Array.from(included, (i) => customers[i].repeatPurchases),
      tx: Float64Array.from(included, (i) => daysToUnit(customers[i].firstToLastPurchase!, unit)),
      T: Float64Array.from(included, (i) => daysToUnit(customers[i].tenure!, unit)),
      ids: included.map((i) => customers[i].customerId),
    },
    included,
    skipped,
  };
}

/** How a problem names customer i: by id when the histories carry ids, else by position. */
export const customerLabel = (h: Histories, i: number): string =>
  h.ids ? `customer "${h.ids[i]}"` : `customer #${i + 1}`;

/**
 * The first problem in a set of histories, or null: x a whole number ≥ 0, 0 ≤ t_x ≤ T, T ≥ 0.
 * T = 0 (first purchase on the as-of date) is allowed: such a customer adds nothing to the likelihood.
 */
export function checkHistories(h: Histories): string | null {
  for (let i = 0; i < h.x.length; i++) {
    const [x, tx, T] = [h.x[i], h.tx[i], h.T[i]];
    const who = (): string => customerLabel(h, i);
    if (!(Number.isInteger(x) && x >= 0)) return `${who()}: frequency ${x} must be a whole number, 0 or more`;
    if (!(T >= 0 && Number.isFinite(T))) return `${who()}: T ${T} must be 0 or more`;
    if (!(tx >= 0 && tx <= T + 1e-9)) return `${who()}: recency ${tx} must lie between 0 and T (${T})`;
    if (x === 0 && tx !== 0) return `${who()}: recency must be 0 without repeat purchases, got ${tx}`;
  }
  return null;
}

/**
 * Customers whose first purchase is on the as-of date (T = 0, so x = 0). Their likelihood is 1 under
 * every model here: they add nothing to a fit (so are not counted in it) and are still predicted.
 */
export function tenureZero(h: Histories): number {
  let n = 0;
  for (let i = 0; i < h.T.length; i++) if (h.T[i] === 0) n++;
  return n;
}

/** Groups identical (x, t_x, T) with numeric keys: linear time, no string building. */
export function groupHistories(h: Histories): GroupedHistories {
  const xs = distinct(h.x);
  const Ts = distinct(h.T);
  const txs = distinct(h.tx);
  const groupByKey = new Map<number, number>();
  const groupOf = new Int32Array(h.x.length);
  const count: number[] = [];
  const xIndex: number[] = [];
  const TIndex: number[] = [];
  const txIndex: number[] = [];
  for (let i = 0; i < h.x.length; i++) {
    const xi = xs.index.get(h.x[i])!;
    const Ti = Ts.index.get(h.T[i])!;
    const ti = txs.index.get(h.tx[i])!;
    const key = (xi * Ts.values.length + Ti) * txs.values.length + ti;
    const g = groupByKey.get(key);
    if (g !== undefined) {
      count[g]++;
      groupOf[i] = g;
      continue;
    }
    groupByKey.set(key, count.length);
    groupOf[i] = count.length;
    count.push(1);
    xIndex.push(xi);
    TIndex.push(Ti);
    txIndex.push(ti);
  }
  return {
    groups: count.length,
    count: Float64Array.from(count),
    groupOf,
    x: Float64Array.from(xIndex, (k) => xs.values[k]),
    xIndex: Int32Array.from(xIndex),
    TIndex: Int32Array.from(TIndex),
    txIndex: Int32Array.from(txIndex),
    distinctX: xs.values,
    distinctT: Ts.values,
    distinctTx: txs.values,
  };
}

function distinct(values: Float64Array): { values: Float64Array; index: Map<number, number> } {
  const index = new Map<number, number>();
  const list: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (!index.has(values[i])) {
      index.set(values[i], list.length);
      list.push(values[i]);
    }
  }
  return { values: Float64Array.from(list), index };
}
