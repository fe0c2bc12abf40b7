/**
 * Sheet cells ⇄ core data. Custom functions receive ranges as 2-D arrays (strings, numbers, booleans,
 * Dates, and "" for empty cells) and return 2-D arrays that spill. Pure: the spreadsheet's time zone and
 * locale come in as functions.
 */

import {
  type CustomerField,
  type Day,
  defaultConfig,
  intakeBook,
  isDate,
  type Locale,
  parseConfig,
  parseDay,
  type Table,
  type TierwiseConfig,
  TierwiseError,
  type TransactionField,
} from '../shared';

export type Cell = string | number | boolean | Date;
export type Grid = Cell[][];
/** A date cell's calendar day in the spreadsheet's zone, as YYYY-MM-DD. */
export type DayText = (date: Date) => string;

/**
 * A range argument (a single value when it is one cell) as rows, each Date replaced by the day the
 * spreadsheet shows: the script's own zone is not the spreadsheet's.
 */
export function asGrid(value: unknown, day: DayText): Grid {
  const cell = (c: unknown): Cell => (isDate(c) ? day(c) : (c as Cell));
  if (Array.isArray(value)) return value.map((row) => (Array.isArray(row) ? row.map(cell) : [cell(row)]));
  return value === undefined || value === null || value === '' ? [] : [[cell(value)]];
}

const isBlank = (cell: unknown): boolean => cell === '' || cell === null || cell === undefined;

type Field = TransactionField | CustomerField;
const FIELDS: Field[] = [
  'customerId',
  'date',
  'amount',
  'name',
  'owner',
  'margin',
  'cost',
  'lastPurchase',
  'firstPurchase',
  'recencyDays',
  'orders',
  'totalSpend',
  'lastContact',
];

/**
 * The columns argument: "orders=# Orders, total_spend=Total Spend ($)" names which header holds a field
 * (for headers Tierwise does not recognise); a plain list "id,last_purchase,orders" names the columns
 * of a range without a header row.
 */
function mappingFrom(text: string): Partial<Record<Field, string>> {
  const mapping: Partial<Record<Field, string>> = {};
  for (const pair of text.split(/[,;]/)) {
    const [key, header] = pair.split('=').map((s) => s.trim());
    const field = FIELDS.find((f) => f.toLowerCase() === key.replace(/_/g, '').toLowerCase());
    if (!field || !header)
      throw new TierwiseError(
        `"${pair.trim()}" in columns: write field=header, e.g. "orders=# Orders"; fields: ${FIELDS.join(', ')}`,
      );
    mapping[field] = header;
  }
  return mapping;
}

/**
 * A table from a range: the first row is the header, unless `columns` names the columns (for a range
 * without one, such as a single row). `firstRow` is the sheet row of the range's first row.
 */
export function tableFrom(
  grid: Grid,
  columns: unknown,
  firstRow: number,
  zh = false,
): { table: Table; hasHeader: boolean; mapping?: Partial<Record<Field, string>> } {
  const named = typeof columns === 'string' ? columns.trim() : '';
  if (named !== '' && !named.includes('=')) {
    const header = named.split(',').map((c) => c.trim());
    return { table: { header, rows: grid, firstRowNumber: firstRow }, hasHeader: false };
  }
  if (grid.length === 0)
    throw new TierwiseError(
      zh
        ? '范围为空：请选中含标题行的客户表'
        : 'the range is empty: select the customer table with its header row',
    );
  // A range wider than the table (A1:Z500) is fine: empty header cells at the end are ignored.
  const header = grid[0].map((cell) => String(cell).trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  if (header.length === 0 || header.some((h) => h === '' || (parseDay(h) !== null && /^\d/.test(h)))) {
    throw new TierwiseError(
      zh
        ? '第一行不是标题行：请包含标题行，或用 columns 参数命名各列，如 "customer_id,last_purchase,orders,total_spend"'
        : 'the first row is not a header: include the header row, or name the columns, e.g. "customer_id,last_purchase,orders,total_spend"',
    );
  }
  return {
    table: { header, rows: grid.slice(1), firstRowNumber: firstRow + 1 },
    hasHeader: true,
    mapping: named ? mappingFrom(named) : undefined,
  };
}

/**
 * The configuration argument: empty for the default (the RFM segments, in the spreadsheet's language),
 * JSON text, or the config range the sidebar maintains (JSON split over the cells of a column). Other
 * presets are chosen in the sidebar, which writes them to the config range: only the default is bundled
 * here, to keep every custom-function call's load small.
 */
export function configFrom(value: unknown, locale: () => Locale = () => 'en'): TierwiseConfig {
  const text = asGrid(value, String)
    .flat()
    .filter((c) => !isBlank(c))
    .map(String)
    .join('')
    .trim();
  if (text === '') return defaultConfig(locale());
  if (text === 'rfm-segments') return defaultConfig('en');
  if (text === 'rfm-segments-zh') return defaultConfig('zh');
  if (!text.startsWith('{')) {
    throw new TierwiseError(
      `"${text.slice(0, 40)}" is not a configuration: pass the config range ('Tierwise Config'!A2:A41), which the sidebar fills when you pick a preset`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TierwiseError(
      'the config range does not hold valid JSON: open the sidebar and restore the last good version',
    );
  }
  return parseConfig(json);
}

/** The as-of argument, or the latest date found in the table (deterministic: never the clock). */
export function asOfFrom(value: unknown, table: Table, day: DayText): Day {
  const given = asGrid(value, day)[0]?.[0];
  if (!isBlank(given)) {
    const parsed = parseDay(given);
    if (parsed === null) throw new TierwiseError(`as_of "${String(given)}" is not a date`);
    return parsed;
  }
  let latest: Day | null = null;
  for (const row of table.rows) {
    for (const cell of row) {
      const found = typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}/.test(cell) ? parseDay(cell) : null;
      if (found !== null && (latest === null || found > latest)) latest = found;
    }
  }
  if (latest === null) throw new TierwiseError('no dates found: give as_of, e.g. DATE(2024,6,30)');
  return latest;
}

/** The sheet row of the first cell a formula's first argument names, e.g. 2 for =TIER(A2:E500). */
export function firstRowOfFormula(formula: string): number | null {
  const match = /\(\s*(?:'[^']+'!|[A-Za-z0-9_]+!)?\$?[A-Z]{1,3}\$?(\d+)/.exec(formula);
  return match ? Number(match[1]) : null;
}

/** Null when a header is one Tierwise can read, else what is missing and what would be accepted. */
export function recognise(header: string[]): string | null {
  try {
    intakeBook(tableFrom([header], '', 1).table, { asOf: 0 });
    return null;
  } catch (error) {
    if (error instanceof TierwiseError) return error.message;
    throw error;
  }
}
