/** Flags shared by the CLI's commands, parsed once with node:util's parseArgs. */

import { parseArgs } from 'node:util';
import {
  type CustomerField,
  type Day,
  isoDate,
  parseDay,
  TIME_UNITS,
  TierwiseError,
  type TimeUnit,
  type TransactionField,
} from '../shared';

export const OPTIONS = {
  'as-of': { type: 'string' },
  'calibration-end': { type: 'string' },
  'holdout-end': { type: 'string' },
  svg: { type: 'string' },
  unit: { type: 'string' },
  config: { type: 'string' },
  preset: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  column: { type: 'string', multiple: true },
  id: { type: 'string' },
  date: { type: 'string' },
  amount: { type: 'string' },
  model: { type: 'string' },
  horizon: { type: 'string' },
  'clv-months': { type: 'string' },
  'discount-monthly': { type: 'string' },
  margin: { type: 'string' },
  memory: { type: 'boolean' },
  clv: { type: 'boolean' },
  port: { type: 'string' },
  url: { type: 'string' },
  table: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  manager: { type: 'string' },
  org: { type: 'string' },
  role: { type: 'string' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Flags = ReturnType<typeof parseFlags>['values'];

export function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new TierwiseError(`${(error as Error).message}; see tierwise --help`);
  }
}

/** `--as-of 2024-06-30` (or `today`, read from the clock here, at the edge, never in the core). */
export function asOfFrom(flags: Flags, today: Date = new Date()): Day {
  const text = flags['as-of'];
  if (text === undefined)
    throw new TierwiseError('give --as-of YYYY-MM-DD: the date the analysis is as of (or "today")');
  const day = text === 'today' ? parseDay(today) : parseDay(text);
  if (day === null)
    throw new TierwiseError(
      `--as-of "${text}" is not a date; use YYYY-MM-DD, e.g. ${isoDate(parseDay(today)!)}`,
    );
  return day;
}

export function unitFrom(flags: Flags, fallback: TimeUnit = 'day'): TimeUnit {
  const unit = flags.unit ?? fallback;
  if (!TIME_UNITS.includes(unit as TimeUnit)) {
    throw new TierwiseError(`--unit "${unit}" is not a time unit; use ${TIME_UNITS.join(' or ')}`);
  }
  return unit as TimeUnit;
}

/** Column names from `--id/--date/--amount` and repeated `--column field=Header`. */
export function columnsFrom(flags: Flags): Partial<Record<TransactionField | CustomerField, string>> {
  const columns: Partial<Record<string, string>> = {};
  if (flags.id) columns.customerId = flags.id;
  if (flags.date) columns.date = flags.date;
  if (flags.amount) columns.amount = flags.amount;
  for (const pair of flags.column ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new TierwiseError(`--column "${pair}" must look like field=Header, e.g. amount="Net value"`);
    columns[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return columns;
}

export function numberFrom(
  flags: Flags,
  name: 'horizon' | 'clv-months' | 'discount-monthly' | 'margin',
  fallback: number,
): number {
  const text = flags[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new TierwiseError(`--${name} "${text}" must be a number, 0 or more`);
  return value;
}

/** Exactly one output format. */
export function formatFrom(flags: Flags): 'json' | 'csv' | 'text' {
  if (flags.json && flags.csv) throw new TierwiseError('choose one of --json and --csv');
  return flags.json ? 'json' : flags.csv ? 'csv' : 'text';
}
