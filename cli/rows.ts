/** Flat output rows: one object per customer, the same for JSON, CSV and the text table. */

import { type CustomerResult, type CustomerSummary, isoDate } from '../shared';
import type { Cell } from './io';

const round = (x: number | null, digits = 4): number | null =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

export function summaryRow(c: CustomerSummary): Record<string, Cell> {
  return {
    customer_id: c.customerId,
    name: c.name,
    owner: c.owner,
    firstPurchase: c.firstPurchase === null ? null : isoDate(c.firstPurchase),
    lastPurchase: isoDate(c.lastPurchase),
    orders: c.orders,
    purchaseDays: c.purchaseDays,
    repeatPurchases: c.repeatPurchases,
    sinceLastPurchase: round(c.sinceLastPurchase),
    firstToLastPurchase: round(c.firstToLastPurchase),
    tenure: round(c.tenure),
    unit: c.unit,
    totalSpend: round(c.totalSpend, 2),
    averageOrderValue: round(c.averageOrderValue, 2),
    repeatAverageSpend: round(c.repeatAverageSpend, 2),
    averageCycle: round(c.averageCycle),
    profit: round(c.profit, 2),
  };
}

export function resultRow(c: CustomerSummary, r: CustomerResult): Record<string, Cell> {
  return {
    ...summaryRow(c),
    r: r.r,
    f: r.f,
    m: r.m,
    segment: r.segment,
    tier: r.tier,
    tierLabel: r.tierLabel,
    reasons: r.reasons.join('; '),
    nextAction: r.nextAction,
    channel: r.channel,
    nextContactDue: r.nextContactDue,
    overdue: r.overdue,
  };
}
