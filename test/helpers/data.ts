import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { dayFromParts, parseTransactions, type Table } from '../../shared';

export const fixture = (path: string): string =>
  fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

/** The CDNOW sample log as a table: sample customer id, date (YYYYMMDD), dollar value. */
export function cdnowTable(): Table {
  const rows = readFileSync(fixture('cdnow/CDNOW_sample.txt'), 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/))
    .map(([, id, date, , value]) => [String(Number(id)), date, value]);
  return { header: ['customer_id', 'date', 'amount'], rows, firstRowNumber: 1 };
}

export const cdnowLog = () => parseTransactions(cdnowTable()).log;

/** The same log as CSV text, for the CLI: customer_id,date,amount. */
export function cdnowCsv(): string {
  const { header, rows } = cdnowTable();
  return `${[header, ...rows].map((row) => row.join(',')).join('\n')}\n`;
}

/** 1997-09-30: the end of the 39-week calibration period of Fader, Hardie & Lee (2005). */
export const CDNOW_CALIBRATION_END = dayFromParts(1997, 9, 30)!;

export function readCsv(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
}

export function csvTable(path: string): Table {
  const rows: string[][] = parse(readFileSync(path, 'utf8'), { skip_empty_lines: true });
  return { header: rows[0], rows: rows.slice(1), firstRowNumber: 2 };
}
