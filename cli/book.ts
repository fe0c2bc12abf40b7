/** Loads a customer book from a CSV file of either shape: a transaction log or a customer table. */

import { type BookIntake, type Day, intakeBook, type TimeUnit } from '../shared';
import { readCsvTable } from './io';
import { columnsFrom, type Flags } from './options';

export function loadBook(path: string, flags: Flags, asOf: Day, unit: TimeUnit): BookIntake {
  return intakeBook(readCsvTable(path), { asOf, unit, columns: columnsFrom(flags) });
}
