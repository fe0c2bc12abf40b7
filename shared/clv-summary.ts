/**
 * The CLV literature's per-customer summary as input: lifetimes' `summary_data_from_transaction_data`
 * format (`frequency`, `recency`, `T`, `monetary_value`) and BTYD's (`x`, `t_x`, `T`, `zbar`). Its
 * durations are in a unit the file does not state, so the reader is given it. Kept apart from
 * `intake/` so that bundles that never read such files (Apps Script) do not carry it; there the
 * bare names are refused as ambiguous.
 */

import type { Day } from './dates';
import { REASONS, type RowProblem, TierwiseError } from './errors';
import { type BookReader, detectShape } from './intake/book';
import { CUSTOMER_FIELDS, detectColumns, normalise } from './intake/columns';
import { customerRowReader, type RowReader } from './intake/customers';
import {
  type CellProblem,
  cellText,
  isBlank,
  isProblem,
  parseAmount,
  parseCount,
  parseNonNegative,
  required,
} from './intake/values';
import type { CustomerSummary } from './summarize';
import { type TimeUnit, unitToDays } from './units';

const REPEAT_COUNT = 'is not a whole number of repeat purchases (0 or more)';
const RECENCY_AFTER_T = 'is more than T: the last purchase cannot come after the as-of date';

/** The CLV literature's per-customer summary (lifetimes, BTYD): x, t_x, T and the mean repeat spend. */
export type ClvSummaryField = 'repeatPurchases' | 'firstToLastPurchase' | 'tenure' | 'repeatAverageSpend';
type Field = ClvSummaryField | 'customerId' | 'name' | 'owner';

/** Header names of the CLV fields (compared as `detectColumns` compares them). */
const CLV_SYNONYMS: Record<ClvSummaryField, readonly string[]> = {
  repeatPurchases: ['frequency', 'x'],
  firstToLastPurchase: ['recency', 't_x'],
  tenure: ['T'],
  repeatAverageSpend: ['monetary_value', 'zbar', 'm_x'],
};

/** The columns of a CLV summary: id, name and owner as in any table, the CLV fields by their names. */
function clvColumns(
  header: readonly string[],
  columns: Partial<Record<string, string>> = {},
  required: readonly 'customerId'[] = [],
): Partial<Record<Field, number>> {
  const names = header.map((h) => normalise(String(h)));
  const at: Partial<Record<Field, number>> = detectColumns(
    header,
    ['customerId', 'name', 'owner'],
    required,
    columns,
  );
  for (const field of Object.keys(CLV_SYNONYMS) as ClvSummaryField[]) {
    const wanted = columns[field];
    const candidates = wanted === undefined ? CLV_SYNONYMS[field] : [wanted];
    const index = candidates.map((c) => names.indexOf(normalise(c))).find((i) => i >= 0);
    if (index !== undefined) at[field] = index;
    else if (wanted !== undefined)
      throw new TierwiseError(
        `column "${wanted}" given for ${field} is not in the header (columns: ${header.join(', ')})`,
      );
  }
  return at;
}

/** A header with frequency/x, recency/t_x and T is the CLV literature's summary (lifetimes, BTYD). */
export const isClvSummary = (header: readonly string[]): boolean => {
  const found = clvColumns(header);
  return (
    found.tenure !== undefined &&
    found.repeatPurchases !== undefined &&
    found.firstToLastPurchase !== undefined
  );
};

/**
 * lifetimes' `summary_data_from_transaction_data` format (and BTYD's x, t_x, T, zbar): `frequency` =
 * repeat purchase days, `recency` = time from the first to the last purchase, `T` = time from the
 * first purchase to the as-of date, all in `unit`, and `monetary_value` = the mean value of the repeat
 * purchases. The first purchase's value is not in the format, so spend counts repeat purchases only.
 */
export function clvSummaryReader(
  header: readonly string[],
  asOf: Day,
  unit: TimeUnit,
  columns: Partial<Record<string, string>> = {},
): RowReader {
  const at = clvColumns(header, columns, ['customerId']);
  return customerRowReader(header, (cells) => readClvSummaryRow(cells, at, asOf, unit));
}

function readClvSummaryRow(
  cells: readonly unknown[],
  at: Partial<Record<Field, number>>,
  asOf: Day,
  unit: TimeUnit,
): CustomerSummary | CellProblem {
  const id = cellText(cells[at.customerId!]);
  if (id === null) return { col: at.customerId!, reason: REASONS.customerId };
  const x = required(cells, at.repeatPurchases!, parseCount, REPEAT_COUNT);
  if (isProblem(x)) return x;
  const tx = required(cells, at.firstToLastPurchase!, parseNonNegative, REASONS.nonNegative);
  if (isProblem(tx)) return tx;
  const T = required(cells, at.tenure!, parseNonNegative, REASONS.nonNegative);
  if (isProblem(T)) return T;
  if (tx > T) return { col: at.firstToLastPurchase!, reason: RECENCY_AFTER_T };
  let z = 0;
  if (at.repeatAverageSpend !== undefined && !isBlank(cells[at.repeatAverageSpend])) {
    const value = required(cells, at.repeatAverageSpend, parseAmount, REASONS.amount);
    if (isProblem(value)) return value;
    z = value;
  }
  const first = asOf - Math.round(unitToDays(T, unit));
  const last = Math.min(asOf, first + Math.round(unitToDays(tx, unit)));
  return {
    customerId: id,
    name: at.name === undefined ? null : cellText(cells[at.name]),
    owner: at.owner === undefined ? null : cellText(cells[at.owner]),
    firstPurchase: first,
    lastPurchase: last,
    lastContact: null,
    orders: x + 1,
    purchaseDays: x + 1,
    repeatPurchases: x,
    // The file's own t_x and T, kept to the fraction (the calendar days above are rounded).
    sinceLastPurchase: unitToDays(T - tx, unit),
    firstToLastPurchase: unitToDays(tx, unit),
    tenure: unitToDays(T, unit),
    totalSpend: x * z,
    averageOrderValue: x > 0 ? z : 0,
    repeatAverageSpend: x > 0 ? z : null,
    averageCycle: x > 0 ? unitToDays(tx / x, unit) : null,
    profit: null,
    attributes: {},
  };
}

/**
 * Bare "frequency" and "recency" mean one thing in RFM tables (orders, days since the last purchase)
 * and another in the CLV literature: refused unless a T column makes the table a CLV summary or the
 * columns are mapped. (Without this check they are simply not recognised as those fields.)
 */
export function refuseAmbiguous(
  header: readonly string[],
  columns: Partial<Record<string, string>> = {},
): void {
  const names = header.map((h) => normalise(String(h)));
  const found = detectColumns(header, CUSTOMER_FIELDS, [], columns);
  const unmapped = [found.orders, found.lastPurchase ?? found.recencyDays];
  const ambiguous = ['frequency', 'recency'].filter((n, k) => names.includes(n) && unmapped[k] === undefined);
  if (ambiguous.length === 0 || detectShape(header, columns.date) === 'transactions') return;
  throw new TierwiseError(
    `${ambiguous.map((a) => `"${a}"`).join(' and ')} could mean two things: in an RFM table, frequency ` +
      'is the number of orders and recency the days since the last purchase; in the CLV summary of ' +
      'lifetimes, frequency is the number of repeat purchases and recency the time from the first to ' +
      'the last purchase, with a T column (first purchase to the as-of date). Say which: map them ' +
      '(--column orders=frequency --column recencyDays=recency) or add the T column',
  );
}

/** The note a CLI prints about how it read the file. */
export function clvSummaryNote(header: readonly string[], unit: TimeUnit): string {
  const spend = clvColumns(header).repeatAverageSpend !== undefined;
  return (
    `read as a CLV summary in ${unit}s: frequency = repeat purchases, recency = first to last purchase, ` +
    `T = first purchase to the as-of date; ${spend ? 'spend counts the repeat purchases only (the format has no first-purchase value)' : 'no monetary_value column, so spend is 0 for everyone'}`
  );
}

/**
 * A book reader for a CLV summary, as `bookReader` is for the other shapes; `unit` is the unit of
 * the file's recency and T (the summaries hold them in days, as every summary does).
 */
export function clvSummaryBookReader(
  header: readonly string[],
  options: { asOf: Day; unit: TimeUnit; columns?: Partial<Record<string, string>> },
): BookReader {
  const reader = clvSummaryReader(header, options.asOf, options.unit, options.columns);
  return {
    shape: 'clv-summary',
    idColumn: null,
    add: (cells, row) => reader.add(cells, row),
    reject: (problem: RowProblem) => reader.rejected.push(problem),
    finish: () => ({
      shape: 'clv-summary',
      customers: reader.customers,
      rejected: reader.rejected,
      afterAsOf: { rows: 0, rowNumbers: [], customersLeftOut: 0, customerIds: [] },
      notes: [clvSummaryNote(header, options.unit)],
    }),
  };
}
