/**
 * The metrics tier models can name. Time metrics are in days, as the summaries keep them, so a
 * manager's "30 days" means 30 days in every model.
 */

import type { CustomerSummary } from './summarize';

type Getter = (c: CustomerSummary) => number | null;

/** Metrics read from one customer's summary. */
export const CUSTOMER_METRICS: Readonly<Record<string, { description: string; get: Getter }>> = {
  recency: {
    description: 'days since the last purchase',
    get: (c) => c.sinceLastPurchase,
  },
  frequency: { description: 'number of orders', get: (c) => c.orders },
  purchaseDays: { description: 'number of distinct purchase days', get: (c) => c.purchaseDays },
  repeatPurchases: { description: 'purchase days after the first', get: (c) => c.repeatPurchases },
  totalSpend: { description: 'total spend, net of refunds', get: (c) => c.totalSpend },
  averageOrderValue: { description: 'total spend / orders', get: (c) => c.averageOrderValue },
  averageCycle: {
    description: 'mean days between purchase days',
    get: (c) => c.averageCycle,
  },
  tenure: {
    description: 'days since the first purchase',
    get: (c) => c.tenure,
  },
  profit: { description: 'profit contribution', get: (c) => c.profit },
  cycleOverdue: {
    description: 'days since the last purchase / usual cycle (above 1: overdue)',
    get: (c) =>
      c.averageCycle === null || c.averageCycle === 0 ? null : c.sinceLastPurchase / c.averageCycle,
  },
};

/** Metrics that need the whole population or a prediction (computed in `score-book.ts`). */
export const POPULATION_METRICS: Readonly<Record<string, string>> = {
  r: 'recency score, 1 to scale',
  f: 'frequency score, 1 to scale',
  m: 'monetary score, 1 to scale',
  rfm: 'r + f + m',
  spendShareBelow: 'share of customers with a lower total spend (0 to 1)',
  clv: 'predicted customer lifetime value',
  pAlive: 'probability the customer is still active (0 to 1)',
  expectedPurchases: 'expected purchases in the prediction horizon',
};

/** Own keys only: a metric or attribute named "constructor" or "__proto__" is a name, not Object's. */
const own = (table: object, name: string): boolean =>
  Object.getOwnPropertyDescriptor(table, name) !== undefined;

export const isMetricName = (name: string): boolean =>
  own(CUSTOMER_METRICS, name) || own(POPULATION_METRICS, name);

/** A metric's value for every customer; `NaN` where a customer has none. Attributes fill in unknown names. */
export function customerColumn(customers: readonly CustomerSummary[], name: string): Float64Array {
  const column = new Float64Array(customers.length);
  const metric = own(CUSTOMER_METRICS, name) ? CUSTOMER_METRICS[name] : undefined;
  for (let i = 0; i < customers.length; i++) {
    const { attributes } = customers[i];
    const value = metric ? metric.get(customers[i]) : own(attributes, name) ? attributes[name] : undefined;
    column[i] = value === null || value === undefined ? Number.NaN : value;
  }
  return column;
}
