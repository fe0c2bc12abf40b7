/**
 * Sheet cells ⇄ core data. Custom functions receive ranges as 2-D arrays (strings, numbers, booleans,
 * Dates, and "" for empty cells) and return 2-D arrays that spill.
 */

import {
  type Day,
  defaultConfig,
  isDate,
  parseConfig,
  parseDay,
  type Table,
  type TierwiseConfig,
  TierwiseError,
} from '../shared';

export type Cell = string | number | boolean | Date;
export type Grid = Cell[][];

/** A range argument may arrive as a single value when it is one cell. */
export function asGrid(value: unknown): Grid {
  if (Array.isArray(value)) return value.map((row) => (Array.isArray(row) ? row : [row])) as Grid;
  return value === undefined || value === null || value === '' ? [] : [[value as Cell]];
}

const isBlank = (cell: unknown): boolean => cell === '' || cell === null || cell === undefined;

/**
 * A table from a range: the first row is the header, unless `columns` names the columns (for a range
 * without one, such as a single row). `firstRow` is the sheet row of the range's first row.
 */
export function tableFrom(
  grid: Grid,
  columns: unknown,
  firstRow: number,
): { table: Table; hasHeader: boolean } {
  if (typeof columns === 'string' && columns.trim() !== '') {
    const header = columns.split(',').map((c) => c.trim());
    return { table: { header, rows: grid, firstRowNumber: firstRow }, hasHeader: false };
  }
  if (grid.length === 0)
    throw new TierwiseError('the range is empty: select the customer table with its header row');
  // A range wider than the table (A1:Z500) is fine: empty header cells at the end are ignored.
  const header = grid[0].map((cell) => String(cell).trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  if (header.length === 0 || header.some((h) => h === '' || (parseDay(h) !== null && /^\d/.test(h)))) {
    throw new TierwiseError(
      'the first row is not a header: include the header row, or name the columns, e.g. "customer_id,last_purchase,orders,total_spend"',
    );
  }
  return { table: { header, rows: grid.slice(1), firstRowNumber: firstRow + 1 }, hasHeader: true };
}

/**
 * The configuration argument: empty for the default (the RFM segments), JSON text, or the config range
 * the sidebar maintains (JSON split over the cells of a column). Other presets are chosen in the
 * sidebar, which writes them to the config range: only the default is bundled here, to keep every
 * custom-function call's load small.
 */
export function configFrom(value: unknown): TierwiseConfig {
  const text = asGrid(value)
    .flat()
    .filter((c) => !isBlank(c))
    .map(String)
    .join('')
    .trim();
  if (text === '' || text === 'rfm-segments') return defaultConfig('en');
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
      'the config range does not hold valid JSON; save the configuration again from the sidebar',
    );
  }
  return parseConfig(json);
}

/** The as-of argument, or the latest date found in the table (deterministic: never the clock). */
export function asOfFrom(value: unknown, table: Table): Day {
  const given = Array.isArray(value) ? value.flat()[0] : value;
  if (!isBlank(given)) {
    const day = parseDay(given);
    if (day === null) throw new TierwiseError(`as_of "${String(given)}" is not a date`);
    return day;
  }
  let latest: Day | null = null;
  for (const row of table.rows) {
    for (const cell of row) {
      const day = isDate(cell)
        ? parseDay(cell)
        : typeof cell === 'string' && /^\d{4}-\d{2}-\d{2}/.test(cell)
          ? parseDay(cell)
          : null;
      if (day !== null && (latest === null || day > latest)) latest = day;
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
