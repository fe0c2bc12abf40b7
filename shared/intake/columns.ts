/**
 * Column recognition: which column of a table holds which field, from an explicit mapping or the
 * header's names (English and Chinese synonyms, compared case-, space- and underscore-insensitively).
 */

import { TierwiseError } from '../errors';

/** Rows as they come from a CSV file or a sheet: a header row and cells of any type. */
export interface Table {
  header: readonly string[];
  rows: readonly (readonly unknown[])[];
  /** The row number the user sees for `rows[0]` (2 when a header sits in row 1, the default). */
  firstRowNumber?: number;
}

export type TransactionField = 'customerId' | 'date' | 'amount' | 'name' | 'owner' | 'margin' | 'cost';
export type CustomerField =
  | 'customerId'
  | 'name'
  | 'owner'
  | 'lastPurchase'
  | 'firstPurchase'
  | 'recencyDays'
  | 'orders'
  | 'totalSpend'
  | 'lastContact';

/** Header names each field is recognised by (compared case-, space- and underscore-insensitively). */
const SYNONYMS: Record<TransactionField | CustomerField, readonly string[]> = {
  customerId: [
    'customer_id',
    'customer',
    'customerid',
    'client',
    'client_id',
    'id',
    'account',
    '客户',
    '客户编号',
    '客户id',
  ],
  date: ['date', 'order_date', 'purchase_date', 'transaction_date', 'day', '日期', '下单日期'],
  amount: [
    'amount',
    'revenue',
    'value',
    'spend',
    'total',
    'sales',
    'dollar_value',
    'price',
    '金额',
    '消费金额',
  ],
  name: ['name', 'customer_name', 'company', 'client_name', '名称', '客户名称'],
  owner: ['owner', 'salesperson', 'rep', 'account_owner', 'sales_rep', '负责人'],
  margin: ['margin', 'profit_margin', 'margin_rate', '毛利率'],
  cost: ['cost', 'cogs', '成本'],
  lastPurchase: [
    'last_purchase',
    'last_purchase_date',
    'most_recent_visit',
    'last_order',
    'last_order_date',
    '最近购买',
    '最近购买日期',
  ],
  firstPurchase: [
    'first_purchase',
    'first_purchase_date',
    'first_order',
    'first_order_date',
    '首次购买',
    '首次购买日期',
  ],
  // Bare "recency" and "frequency" are not here: they mean other things in lifetimes' summary format.
  recencyDays: ['recency_days', 'days_since_last_purchase'],
  orders: ['orders', '# orders', 'number_of_orders', 'order_count', 'purchases', '订单数', '购买次数'],
  totalSpend: [
    'total_spend',
    'total_spend_($)',
    'revenue',
    'total',
    'spend',
    'monetary',
    'total_revenue',
    '总金额',
    '累计消费',
    '消费总额',
  ],
  lastContact: ['last_contact', 'last_contacted', '最近联系'],
};

export const normalise = (header: string): string =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');

/**
 * Finds the column of each field: an explicit mapping (`{ amount: 'Net value' }`) wins, otherwise the
 * header is matched against known names. Throws, naming the headers it saw, when a required field has
 * no column.
 */
export function detectColumns<F extends TransactionField | CustomerField>(
  header: readonly string[],
  fields: readonly F[],
  required: readonly F[],
  explicit: Partial<Record<F, string>> = {},
): Partial<Record<F, number>> {
  const normalised = header.map((h) => normalise(String(h)));
  const found: Partial<Record<F, number>> = {};
  const taken = new Set<number>();
  for (const field of fields) {
    const wanted = explicit[field];
    if (wanted !== undefined) {
      const index = normalised.indexOf(normalise(wanted));
      if (index < 0) {
        throw new TierwiseError(
          `column "${wanted}" given for ${field} is not in the header (columns: ${header.join(', ')})`,
        );
      }
      found[field] = index;
      taken.add(index);
    }
  }
  for (const field of fields) {
    if (found[field] !== undefined) continue;
    const index = SYNONYMS[field].map(normalise).reduce<number>((hit, name) => {
      if (hit >= 0) return hit;
      const at = normalised.indexOf(name);
      return at >= 0 && !taken.has(at) ? at : -1;
    }, -1);
    if (index >= 0) {
      found[field] = index;
      taken.add(index);
    }
  }
  const missing = required.filter((field) => found[field] === undefined);
  if (missing.length > 0) {
    throw new TierwiseError(
      `no column for ${missing.join(', ')}: the header has ${header.map((h) => `"${h}"`).join(', ')}; ` +
        `name the column (for example ${missing[0]}=${SYNONYMS[missing[0]][0]}) or rename it to ${SYNONYMS[missing[0]][0]}`,
    );
  }
  return found;
}

export const CUSTOMER_FIELDS: readonly CustomerField[] = [
  'customerId',
  'name',
  'owner',
  'lastPurchase',
  'firstPurchase',
  'recencyDays',
  'orders',
  'totalSpend',
  'lastContact',
];
