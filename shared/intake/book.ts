/**
 * Intake is the edge where rows from a CSV file or a sheet range become trusted core data; this file
 * is its entry point. Book assembly: either shape of table (a transaction log or a customer table,
 * told apart by its header) becomes customer summaries as of a date, with every refused row reported.
 */

import type { Day } from '../dates';
import type { RowProblem } from '../errors';
import { type CustomerSummary, summarize } from '../summarize';
import { type CustomerField, detectColumns, type Table, type TransactionField } from './columns';
import { customerTableReader } from './customers';
import { type AfterAsOf, afterAsOf, GrowingColumn, transactionLogBuilder } from './transactions';

/** The shape of a table: a transaction log, a customer table, or the CLV literature's summary. */
export type BookShape = 'transactions' | 'customers' | 'clv-summary';

/** A table with a date per row (and no order count) is a transaction log; otherwise a customer table. */
export function detectShape(header: readonly string[], explicitDate?: string): 'transactions' | 'customers' {
  if (explicitDate) return 'transactions';
  const found = detectColumns(header, ['date', 'orders'], []);
  return found.date !== undefined && found.orders === undefined ? 'transactions' : 'customers';
}

export interface BookIntake {
  shape: BookShape;
  customers: CustomerSummary[];
  rejected: RowProblem[];
  /** Transactions after the as-of date (transaction logs only): not counted, reported. */
  afterAsOf: AfterAsOf;
  /** What the reader assumed, to tell the user (e.g. how a CLV summary was read). */
  notes: string[];
}

export interface BookOptions {
  asOf: Day;
  columns?: Partial<Record<TransactionField | CustomerField, string>>;
}

/** Reads a book row by row (`add`), then summarises it (`finish`): a file never has to be held whole. */
export interface BookReader {
  readonly shape: BookShape;
  /** The column `idKey` numbers: the customer ids of a transaction log; null for a customer table. */
  readonly idColumn: number | null;
  /** One row; `idKey` numbers its customer-id cell, as in `TransactionLogBuilder.add`. */
  add(cells: readonly unknown[], row: number, idKey?: number): void;
  /** A row the caller refused before reading its cells (a CSV line with the wrong number of fields). */
  reject(problem: RowProblem): void;
  finish(): BookIntake;
}

/**
 * A reader for either shape of table, chosen from its header: a transaction log is summarised as of
 * the date, a customer table read as it is.
 */
export function bookReader(header: readonly string[], options: BookOptions): BookReader {
  const shape = detectShape(header, options.columns?.date);
  const { asOf } = options;
  const log = shape === 'transactions' ? transactionLogBuilder(header, options.columns) : null;
  const table = log ? null : customerTableReader(header, asOf, options.columns);
  const rejected = log ? log.rejected : table!.rejected;
  const rows = new GrowingColumn(Int32Array); // of each transaction, to name the ones after the as-of date
  return {
    shape,
    idColumn: log ? log.idColumn : null,
    add(cells, row, idKey) {
      if (!log) table!.add(cells, row);
      else if (log.add(cells, row, idKey)) rows.push(row);
    },
    reject: (problem) => rejected.push(problem),
    finish() {
      const built = log?.finish().log;
      return {
        shape,
        customers: built ? summarize(built, { asOf }) : table!.customers,
        rejected,
        afterAsOf: afterAsOf(built, asOf, rows.values()),
        notes: [],
      };
    },
  };
}

/**
 * Either shape of table to customer summaries as of a date: a transaction log is summarised, a
 * customer table read as it is. The one entry point the CLI, the sheet sync and the sidebar share.
 */
export function intakeBook(table: Table, options: BookOptions): BookIntake {
  const reader = bookReader(table.header, options);
  const firstRow = table.firstRowNumber ?? 2;
  for (let i = 0; i < table.rows.length; i++) reader.add(table.rows[i], firstRow + i);
  return reader.finish();
}
