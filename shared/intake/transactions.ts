/**
 * The transaction-log reader: one row per transaction (customer, date, amount, optional name, owner,
 * margin or cost) into the columnar `TransactionLog` that `summarize` reads. Good rows go on; every
 * bad row comes back as a `RowProblem` with its row number, column, value and reason.
 */

import { type Day, parseDay } from '../dates';
import { REASONS, type RowProblem } from '../errors';
import type { CustomerInfo, TransactionLog } from '../summarize';
import { detectColumns, type Table, type TransactionField } from './columns';
import {
  type CellProblem,
  cellText,
  isBlank,
  isProblem,
  parseAmount,
  parseMargin,
  problemAt,
  required,
} from './values';

export interface TransactionIntake {
  log: TransactionLog;
  rejected: RowProblem[];
}

/** Transactions dated after the as-of date: outside the analysis, so not counted, but reported. */
export interface AfterAsOf {
  rows: number;
  /** The first few of their row numbers, for the message. */
  rowNumbers: number[];
  /** Customers whose every transaction is after the as-of date: they are left out (first few ids). */
  customersLeftOut: number;
  customerIds: string[];
}

/** How many row numbers and ids a report lists before it only counts. */
const LISTED = 10;

/** Dates repeat (a log spans a few hundred days): each distinct text is parsed once, up to this many. */
const DATE_MEMO_LIMIT = 100_000;

/** A transaction log built one row at a time (`transactionLogBuilder`). */
export interface TransactionLogBuilder {
  readonly rejected: RowProblem[];
  /** One row: true when it became a transaction; a bad row goes to `rejected`, a blank one is skipped. */
  add(cells: readonly unknown[], row: number): boolean;
  finish(): TransactionIntake;
}

/**
 * Builds a transaction log one row at a time, so a file can be streamed into it without its rows ever
 * being held. Columns are found from the header (`detectColumns`); `customer_id`, `date` and `amount`
 * are required, `name`, `owner`, `margin` or `cost` are optional. Negative amounts are refunds and
 * are kept (they are netted when summarising).
 */
export function transactionLogBuilder(
  header: readonly string[],
  columns: Partial<Record<TransactionField, string>> = {},
): TransactionLogBuilder {
  const fields: TransactionField[] = ['customerId', 'date', 'amount', 'name', 'owner', 'margin', 'cost'];
  const at = detectColumns(header, fields, ['customerId', 'date', 'amount'], columns);
  const rejected: RowProblem[] = [];
  const index = new Map<string, number>();
  const customers: CustomerInfo[] = [];
  const customer: number[] = [];
  const days: number[] = [];
  const amounts: number[] = [];
  const profits: number[] = [];
  const dates = new Map<unknown, Day | null>();
  const readDay = (value: unknown): Day | null => {
    let day = dates.get(value);
    if (day === undefined) {
      day = parseDay(value);
      if (dates.size < DATE_MEMO_LIMIT && typeof value === 'string') dates.set(value, day);
    }
    return day;
  };
  return {
    rejected,
    add(cells, row) {
      if (cells.every(isBlank)) return false;
      const read = readTransactionRow(cells, at, readDay);
      if ('reason' in read) {
        rejected.push(problemAt(header, cells, row, read));
        return false;
      }
      let c = index.get(read.id);
      if (c === undefined) {
        c = customers.length;
        index.set(read.id, c);
        customers.push({ id: read.id, name: null, owner: null });
      }
      const info = customers[c];
      if (at.name !== undefined) info.name = cellText(cells[at.name]) ?? info.name;
      if (at.owner !== undefined) info.owner = cellText(cells[at.owner]) ?? info.owner;
      customer.push(c);
      days.push(read.day);
      amounts.push(read.amount);
      profits.push(read.profit);
      return true;
    },
    finish: () => ({
      log: {
        customers,
        customer: Int32Array.from(customer),
        day: Int32Array.from(days),
        amount: Float64Array.from(amounts),
        profit: (at.margin ?? at.cost) === undefined ? null : Float64Array.from(profits),
      },
      rejected,
    }),
  };
}

/**
 * Reads a transaction log (see `transactionLogBuilder`).
 *
 * @example
 * const { log, rejected } = parseTransactions({ header: ['customer_id', 'date', 'amount'],
 *   rows: [['acme', '2024-03-05', '$1,200.00']] });
 */
export function parseTransactions(
  table: Table,
  columns: Partial<Record<TransactionField, string>> = {},
): TransactionIntake {
  const builder = transactionLogBuilder(table.header, columns);
  const firstRow = table.firstRowNumber ?? 2;
  for (let i = 0; i < table.rows.length; i++) builder.add(table.rows[i], firstRow + i);
  return builder.finish();
}

/** Transactions after `asOf` (`rows[k]` is the row number of transaction k), and customers with no others. */
export function afterAsOf(log: TransactionLog | undefined, asOf: Day, rows: number[]): AfterAsOf {
  const report: AfterAsOf = { rows: 0, rowNumbers: [], customersLeftOut: 0, customerIds: [] };
  const counted = new Uint8Array(log ? log.customers.length : 0);
  for (let k = 0; log && k < log.day.length; k++) {
    if (log.day[k] <= asOf) counted[log.customer[k]] = 1;
    else if (report.rows++ < LISTED) report.rowNumbers.push(rows[k]);
  }
  for (let c = 0; report.rows > 0 && c < counted.length; c++)
    if (!counted[c] && report.customersLeftOut++ < LISTED) report.customerIds.push(log!.customers[c].id);
  return report;
}

function readTransactionRow(
  cells: readonly unknown[],
  at: Partial<Record<TransactionField, number>>,
  readDay: (value: unknown) => Day | null,
): { id: string; day: Day; amount: number; profit: number } | CellProblem {
  const id = cellText(cells[at.customerId!]);
  if (id === null) return { col: at.customerId!, reason: REASONS.customerId };
  const day = required(cells, at.date!, readDay, REASONS.date);
  if (isProblem(day)) return day;
  const amount = required(cells, at.amount!, parseAmount, REASONS.amount);
  if (isProblem(amount)) return amount;
  let profit = Number.NaN;
  if (at.margin !== undefined && !isBlank(cells[at.margin])) {
    const margin = required(cells, at.margin, parseMargin, REASONS.margin);
    if (isProblem(margin)) return margin;
    profit = amount * margin;
  } else if (at.cost !== undefined && !isBlank(cells[at.cost])) {
    const cost = required(cells, at.cost, parseAmount, REASONS.amount);
    if (isProblem(cost)) return cost;
    profit = amount - cost;
  }
  return { id, day, amount, profit };
}
