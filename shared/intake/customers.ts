/**
 * The customer-table reader: a table that is already summarised, one row per customer, into
 * `CustomerSummary` rows. Good rows go on; every bad row comes back as a `RowProblem`.
 */

import { type Day, parseDay } from '../dates';
import { REASONS, type RowProblem, TierwiseError } from '../errors';
import { STAGE_HEADERS, STAGE_METRIC, stageNumber } from '../funnel';
import type { CustomerSummary } from '../summarize';
import { CUSTOMER_FIELDS, type CustomerField, detectColumns, normalise, type Table } from './columns';
import {
  type CellProblem,
  cellText,
  isBlank,
  isProblem,
  parseAmount,
  parseCount,
  problemAt,
  required,
} from './values';

export interface CustomerTableIntake {
  customers: CustomerSummary[];
  rejected: RowProblem[];
}

/** One customer per row, read as the row arrives. */
export interface RowReader {
  readonly rejected: RowProblem[];
  add(cells: readonly unknown[], row: number): void;
  readonly customers: CustomerSummary[];
}

/** A RowReader that reads each row with `read`: blank rows are skipped, a problem rejects only its row. */
export function customerRowReader(
  header: readonly string[],
  read: (cells: readonly unknown[]) => CustomerSummary | CellProblem,
): RowReader {
  const reader: RowReader = {
    rejected: [],
    customers: [],
    add(cells, row) {
      if (cells.every(isBlank)) return;
      const result = read(cells);
      if (isProblem(result)) reader.rejected.push(problemAt(header, cells, row, result));
      else reader.customers.push(result);
    },
  };
  return reader;
}

/**
 * Reads a customer table that is already summarised: one row per customer with a last purchase date
 * (or a recency in days), the number of orders and the total spend; optionally the first purchase date,
 * name, owner, last contact date, and any further numeric columns, which become `attributes` that tier
 * models can use (potential, adoption, days late, money/authority/need scores, …). A funnel stage
 * column (`stage`, `阶段`) becomes the `stage` attribute, 1 (Suspect) … 7 (Advocate), from its names.
 */
export function parseCustomerTable(
  table: Table,
  options: { asOf: Day; columns?: Partial<Record<CustomerField, string>> },
): CustomerTableIntake {
  const reader = customerTableReader(table.header, options.asOf, options.columns);
  const firstRow = table.firstRowNumber ?? 2;
  for (let i = 0; i < table.rows.length; i++) reader.add(table.rows[i], firstRow + i);
  return { customers: reader.customers, rejected: reader.rejected };
}

/** The reader behind `parseCustomerTable`, for a table read row by row (`bookReader`). */
export function customerTableReader(
  header: readonly string[],
  asOf: Day,
  columns: Partial<Record<CustomerField, string>> = {},
): RowReader {
  const at = detectColumns(header, CUSTOMER_FIELDS, ['customerId', 'orders', 'totalSpend'], columns);
  if (at.lastPurchase === undefined && at.recencyDays === undefined) {
    throw new TierwiseError(
      `no column for lastPurchase or recencyDays: the header has ${header.map((h) => `"${h}"`).join(', ')}; ` +
        'add a last_purchase date column or a recency_days column',
    );
  }
  const known = new Set(Object.values(at) as number[]);
  const stageHeaders = STAGE_HEADERS.map(normalise);
  const extra = header
    .map((h, i) => {
      const name = String(h).trim();
      return stageHeaders.includes(normalise(name))
        ? { name: STAGE_METRIC, i, parse: stageNumber }
        : { name, i, parse: parseAmount };
    })
    .filter(({ i }) => !known.has(i));
  return customerRowReader(header, (cells) => readCustomerRow(cells, at, extra, asOf));
}

function readCustomerRow(
  cells: readonly unknown[],
  at: Partial<Record<CustomerField, number>>,
  extra: readonly { name: string; i: number; parse: (value: unknown) => number | null }[],
  asOf: Day,
): CustomerSummary | CellProblem {
  const id = cellText(cells[at.customerId!]);
  if (id === null) return { col: at.customerId!, reason: REASONS.customerId };
  const last = readLastPurchase(cells, at, asOf);
  if (isProblem(last)) return last;
  const orders = required(cells, at.orders!, parseCount, REASONS.count);
  if (isProblem(orders)) return orders;
  const total = required(cells, at.totalSpend!, parseAmount, REASONS.amount);
  if (isProblem(total)) return total;
  const first = optionalDay(cells, at.firstPurchase);
  if (isProblem(first)) return first;
  const lastContact = optionalDay(cells, at.lastContact);
  if (isProblem(lastContact)) return lastContact;
  const attributes: Record<string, number> = {};
  for (const { name, i: col, parse } of extra) {
    const value = isBlank(cells[col]) ? null : parse(cells[col]);
    if (value !== null) attributes[name] = value;
  }
  const span = first === null ? null : last - first;
  return {
    customerId: id,
    name: at.name === undefined ? null : cellText(cells[at.name]),
    owner: at.owner === undefined ? null : cellText(cells[at.owner]),
    firstPurchase: first,
    lastPurchase: last,
    lastContact,
    orders,
    purchaseDays: orders,
    repeatPurchases: Math.max(orders - 1, 0),
    sinceLastPurchase: asOf - last,
    firstToLastPurchase: span,
    tenure: first === null ? null : asOf - first,
    totalSpend: total,
    averageOrderValue: orders > 0 ? total / orders : 0,
    repeatAverageSpend: null,
    averageCycle: span !== null && orders > 1 ? span / (orders - 1) : null,
    profit: null,
    attributes,
  };
}

function optionalDay(cells: readonly unknown[], col: number | undefined): Day | null | CellProblem {
  if (col === undefined || isBlank(cells[col])) return null;
  return required(cells, col, parseDay, REASONS.date);
}

function readLastPurchase(
  cells: readonly unknown[],
  at: Partial<Record<CustomerField, number>>,
  asOf: Day,
): Day | CellProblem {
  if (at.lastPurchase !== undefined && !isBlank(cells[at.lastPurchase])) {
    const day = parseDay(cells[at.lastPurchase]);
    if (day === null) return { col: at.lastPurchase, reason: REASONS.date };
    if (day > asOf) return { col: at.lastPurchase, reason: REASONS.futureDate };
    return day;
  }
  if (at.recencyDays !== undefined && !isBlank(cells[at.recencyDays])) {
    const days = parseAmount(cells[at.recencyDays]);
    if (days === null || days < 0) return { col: at.recencyDays, reason: REASONS.nonNegative };
    return asOf - Math.round(days);
  }
  return { col: at.lastPurchase ?? at.recencyDays!, reason: REASONS.lastPurchaseOrRecency };
}
