/**
 * The one error vocabulary of Tierwise. Every problem says what was wrong, where, and what would be
 * accepted; adapters only format these (a cell error, a stderr line, a 400 body, a Slack message).
 */

/** A rejected input row: 1-based row number as the user sees it, the column, the raw value. */
export interface RowProblem {
  row: number;
  column: string;
  value: string;
  reason: string;
}

/** A configuration problem at a field path such as `scores.recency.cuts[2]`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** What each kind of bad value is told, including what would have been accepted. */
export const REASONS = {
  missing: 'is empty; a value is required',
  date: 'is not a date; use YYYY-MM-DD, YYYYMMDD or a spreadsheet date',
  futureDate: 'is after the as-of date; it is ignored for this analysis',
  amount: 'is not an amount; use a number such as 1234.50, "$1,234.50" or "(12.00)" for a refund',
  count: 'is not a whole number of orders (0 or more)',
  nonNegative: 'must be a number, 0 or more',
  number: 'is not a number',
  margin: 'is not a margin; use a fraction such as 0.3 or a percentage such as "30%"',
  customerId: 'is empty; every row needs a customer id',
  lastPurchaseOrRecency: 'needs a last purchase date or a recency in days',
} as const;

export function formatRowProblem(p: RowProblem): string {
  // A problem with the whole row (a CSV line with the wrong number of fields) names no column.
  if (p.column === '') return `row ${p.row}: ${p.reason}${p.value ? `: ${p.value}` : ''}`;
  const shown = p.value === '' ? '(empty)' : `"${p.value}"`;
  return `row ${p.row}, column ${p.column}: ${shown} ${p.reason}`;
}

export function formatConfigProblem(p: ConfigProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** Thrown where a caller cannot go on at all (a missing column, an unusable configuration). */
export class TierwiseError extends Error {
  constructor(
    message: string,
    readonly problems: readonly ConfigProblem[] = [],
  ) {
    super(message);
    this.name = 'TierwiseError';
  }
}

export function showValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const date = value as Date;
    return Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString();
  }
  return String(value).slice(0, 60);
}
