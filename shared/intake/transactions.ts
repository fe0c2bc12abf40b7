/**
 * The transaction-log reader: one row per transaction (customer, date, amount, optional name, owner,
 * margin or cost) into the columnar `TransactionLog` that `summarize` reads. Good rows go on; every
 * bad row comes back as a `RowProblem` with its row number, column, value and reason.
 */

import { type Day, parseDay, plainIsoDay } from '../dates';
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
  /**
   * One row: true when it became a transaction; a bad row goes to `rejected`, a blank one is skipped.
   * `idKey` may number the customer-id cell (equal numbers, equal cell text; -1 for none): a reader
   * that numbers ids as it scans them (the CLI's CSV reader) saves a string-map lookup per row.
   */
  add(cells: readonly unknown[], row: number, idKey?: number): boolean;
  /** The column of the customer ids. */
  readonly idColumn: number;
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
  /** Customer + 1 by id key (0: not seen yet). */
  let byKey = new Int32Array(1024);
  const customers: CustomerInfo[] = [];
  const customer = new GrowingColumn(Int32Array);
  const days = new GrowingColumn(Int32Array);
  const amounts = new GrowingColumn(Float64Array);
  const hasProfit = (at.margin ?? at.cost) !== undefined;
  const profits = new GrowingColumn(Float64Array);
  const dates = new Map<unknown, Day | null>();
  const readDay = (value: unknown): Day | null => {
    // The usual form is read faster than a map lookup finds it.
    const plain = typeof value === 'string' ? plainIsoDay(value) : undefined;
    if (plain !== undefined) return plain;
    let day = dates.get(value);
    if (day === undefined) {
      day = parseDay(value);
      if (dates.size < DATE_MEMO_LIMIT && typeof value === 'string') dates.set(value, day);
    }
    return day;
  };
  const read: TransactionRow = { id: '', day: 0, amount: 0, profit: Number.NaN };
  return {
    rejected,
    idColumn: at.customerId!,
    add(cells, row, idKey = -1) {
      // A key seen on an accepted row names a valid, non-blank id: the row is not blank either.
      let c = idKey >= 0 && idKey < byKey.length ? byKey[idKey] - 1 : -1;
      if (c < 0 && cells.every(isBlank)) return false;
      const problem = readTransactionRow(cells, at, readDay, c < 0, read);
      if (problem !== null) {
        rejected.push(problemAt(header, cells, row, problem));
        return false;
      }
      if (c < 0) {
        c = index.get(read.id) ?? -1;
        if (c < 0) {
          c = customers.length;
          index.set(read.id, c);
          customers.push({ id: read.id, name: null, owner: null });
        }
        if (idKey >= 0) {
          if (idKey >= byKey.length) byKey = grown(byKey, idKey + 1);
          byKey[idKey] = c + 1;
        }
      }
      if (at.name !== undefined || at.owner !== undefined) {
        const info = customers[c];
        if (at.name !== undefined) info.name = cellText(cells[at.name]) ?? info.name;
        if (at.owner !== undefined) info.owner = cellText(cells[at.owner]) ?? info.owner;
      }
      customer.push(c);
      days.push(read.day);
      amounts.push(read.amount);
      if (hasProfit) profits.push(read.profit);
      return true;
    },
    finish: () => ({
      log: {
        customers,
        customer: customer.values(),
        day: days.values(),
        amount: amounts.values(),
        profit: hasProfit ? profits.values() : null,
      },
      rejected,
    }),
  };
}

type Column = Int32Array | Float64Array;

/** A typed column appended to one value at a time (a million rows never become a million-element JS array). */
export class GrowingColumn<T extends Column> {
  private array: T;
  private size = 0;
  constructor(type: new (length: number) => T) {
    this.array = new type(1024);
  }
  push(value: number): void {
    if (this.size === this.array.length) this.array = grown(this.array, this.size + 1);
    this.array[this.size++] = value;
  }
  /** The values, copied to an array of their exact length (so the spare capacity is freed). */
  values(): T {
    return this.array.slice(0, this.size) as T;
  }
}

/** A copy of `array` with room for at least `size` elements (twice as many, to append in linear time). */
function grown<T extends Column>(array: T, size: number): T {
  const copy = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
  copy.set(array);
  return copy;
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
export function afterAsOf(log: TransactionLog | undefined, asOf: Day, rows: ArrayLike<number>): AfterAsOf {
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

interface TransactionRow {
  id: string;
  day: Day;
  amount: number;
  profit: number;
}

/** Reads a row's cells into `into` (one object for every row); the problem, or null. */
function readTransactionRow(
  cells: readonly unknown[],
  at: Partial<Record<TransactionField, number>>,
  readDay: (value: unknown) => Day | null,
  readId: boolean,
  into: TransactionRow,
): CellProblem | null {
  if (readId) {
    const id = cellText(cells[at.customerId!]);
    if (id === null) return { col: at.customerId!, reason: REASONS.customerId };
    into.id = id;
  }
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
  into.day = day;
  into.amount = amount;
  into.profit = profit;
  return null;
}
