/** File and terminal I/O for the CLI: CSV in, tables, CSV or JSON out. */

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { formatRowProblem, type RowProblem, type Table, TierwiseError } from '../shared';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new TierwiseError(`cannot read ${path}: no such file, or not readable`);
  }
}

/** Reads a CSV file with a header row. Rows keep their line numbers as the user sees them. */
export function readCsvTable(path: string): Table {
  const text = readText(path);
  const rows: string[][] = parse(text.replace(/^\uFEFF/, ''), {
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  });
  if (rows.length === 0) throw new TierwiseError(`${path} is empty: it needs a header row and data rows`);
  return { header: rows[0], rows: rows.slice(1), firstRowNumber: 2 };
}

/** Reads a JSON file, naming the file and position of a syntax error. */
export function readJsonFile(path: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TierwiseError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

export type Cell = string | number | boolean | null;

const csvCell = (value: Cell): string => {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(Math.round(value * 1e6) / 1e6) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function toCsv(rows: readonly Record<string, Cell>[]): string {
  if (rows.length === 0) return '';
  const header = Object.keys(rows[0]);
  return `${[header.join(','), ...rows.map((row) => header.map((h) => csvCell(row[h])).join(','))].join('\n')}\n`;
}

/** Columns a string takes in a terminal: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
        ? 2
        : 1;
  return width;
}

const pad = (text: string, width: number): string =>
  text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** A plain aligned table for people. */
export function toTextTable(rows: readonly Record<string, Cell>[], maxWidth = 48): string {
  if (rows.length === 0) return '(nothing to show)\n';
  const header = Object.keys(rows[0]);
  const show = (v: Cell): string => {
    const text = v === null ? '' : typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
    return text.length > maxWidth ? `${text.slice(0, maxWidth - 1)}…` : text;
  };
  const cells = rows.map((row) => header.map((h) => show(row[h])));
  const widths = header.map((h, k) => Math.max(displayWidth(h), ...cells.map((c) => displayWidth(c[k]))));
  const line = (values: string[]): string =>
    values
      .map((v, k) => pad(v, widths[k]))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n`;
}

/** Rejected rows go to stderr, one line each; returns whether there were any. */
export function reportRejected(source: string, rejected: readonly RowProblem[]): boolean {
  for (const problem of rejected) process.stderr.write(`${source}: ${formatRowProblem(problem)}\n`);
  if (rejected.length > 0)
    process.stderr.write(`${source}: ${rejected.length} row(s) rejected; the others were used\n`);
  return rejected.length > 0;
}
