/** Loads a customer book from a CSV file of either shape: a transaction log or a customer table. */

import {
  type CustomerSummary,
  type Day,
  detectColumns,
  parseCustomerTable,
  parseTransactions,
  type RowProblem,
  summarize,
  type Table,
  type TimeUnit,
} from '../shared';
import { readCsvTable } from './io';
import { columnsFrom, type Flags } from './options';

export interface LoadedBook {
  shape: 'transactions' | 'customers';
  customers: CustomerSummary[];
  rejected: RowProblem[];
}

/** A file with a date column per row is a transaction log; otherwise a summarised customer table. */
export function detectShape(table: Table, flags: Flags): 'transactions' | 'customers' {
  const columns = columnsFrom(flags);
  if (columns.date) return 'transactions';
  const found = detectColumns(table.header, ['date', 'orders'], []);
  return found.date !== undefined && found.orders === undefined ? 'transactions' : 'customers';
}

export function loadBook(path: string, flags: Flags, asOf: Day, unit: TimeUnit): LoadedBook {
  const table = readCsvTable(path);
  const shape = detectShape(table, flags);
  if (shape === 'customers') {
    const { customers, rejected } = parseCustomerTable(table, { asOf, unit, columns: columnsFrom(flags) });
    return { shape, customers, rejected };
  }
  const { log, rejected } = parseTransactions(table, columnsFrom(flags));
  return { shape, customers: summarize(log, { asOf, unit }), rejected };
}
