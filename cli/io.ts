/** File and terminal I/O for the CLI: CSV in, tables, CSV or JSON out. */

import { readFileSync } from 'node:fs';
import {
  type BookIntake,
  type Day,
  formatRowProblem,
  isoDate,
  type RowProblem,
  TierwiseError,
} from '../shared';

/**
 * Where a command's output goes: the process's streams when run as `tierwise` (cli/bin.ts), strings in
 * the in-process tests (test/helpers/cli.ts). Files are read relative to the process's working directory.
 */
export interface CliIo {
  /** Text, or UTF-8 bytes in large pieces of whole lines (CSV and JSON output, see `LineWriter`). */
  stdout(text: string | Uint8Array): void;
  stderr(text: string): void;
  /** The environment the sandbox and `org` commands read (PORT, TABLE_NAME, AWS_REGION, …). */
  env: Readonly<Record<string, string | undefined>>;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new TierwiseError(`cannot read ${path}: no such file, or not readable`);
  }
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

export const csvCell = (value: Cell): string => {
  if (value === null) return '';
  // Numbers never need quotes.
  if (typeof value === 'number') return numberText(value);
  const text = neutralised(String(value));
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * A number rounded to 6 decimals, written as String writes it: whole ones as they are, others with up
 * to 15 digits by integer arithmetic (cheaper than String on a double, which a 100k-customer CSV calls
 * 600k times). Such a decimal is the shortest that reads back as the same double (any two 15-digit
 * decimals are different doubles), which is what String writes; longer ones go to String.
 */
export function numberText(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const micro = Math.round(value * 1e6);
  if (!(Math.abs(micro) < 1e15) || micro % 1e6 === 0) return String(micro / 1e6);
  const magnitude = Math.abs(micro);
  const whole = Math.floor(magnitude / 1e6);
  let fraction = magnitude - whole * 1e6;
  let places = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  const digits = String(fraction);
  return `${micro < 0 ? '-' : ''}${whole}.${'00000'.slice(0, places - digits.length)}${digits}`;
}

/**
 * Text a spreadsheet would run as a formula (`=HYPERLINK(…)` as a customer's name, say) gets a leading
 * apostrophe, as OWASP advises for CSV exports: opened in Sheets or Excel it shows as the text it was.
 * Numbers are written as numbers, so a negative amount is never touched.
 */
function neutralised(text: string): string {
  const first = text.charCodeAt(0);
  // = + - @ tab CR
  const formula = first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13;
  return formula ? `'${text}` : text;
}

export function toCsv(rows: readonly Record<string, Cell>[]): string {
  if (rows.length === 0) return '';
  const header = Object.keys(rows[0]);
  const lines = [header.join(',')];
  for (const row of rows) lines.push(header.map((h) => csvCell(row[h])).join(','));
  return `${lines.join('\n')}\n`;
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
  // A loop, not Math.max(...column): a 200,000-customer column overflows the call stack.
  const widths = header.map((h, k) =>
    cells.reduce((w, c) => Math.max(w, displayWidth(c[k])), displayWidth(h)),
  );
  const line = (values: string[]): string =>
    values
      .map((v, k) => pad(v, widths[k]))
      .join('  ')
      .trimEnd();
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (const c of cells) lines.push(line(c));
  return `${lines.join('\n')}\n`;
}

/** Rejected rows listed on stderr before the rest are only counted: a terminal is not a log file. */
const LISTED_PROBLEMS = 100;

/**
 * Rejected rows go to stderr, one line each (the first hundred); returns whether there were any.
 * `othersUsed` says whether to add that the other rows were used.
 */
export function reportRejected(
  io: CliIo,
  source: string,
  rejected: readonly RowProblem[],
  othersUsed = true,
): boolean {
  const listed = Math.min(rejected.length, LISTED_PROBLEMS);
  for (let k = 0; k < listed; k++) io.stderr(`${source}: ${formatRowProblem(rejected[k])}\n`);
  if (rejected.length > listed)
    io.stderr(`${source}: … and ${rejected.length - listed} more rejected row(s) not listed\n`);
  if (rejected.length > 0 && othersUsed)
    io.stderr(`${source}: ${rejected.length} row(s) rejected; the others were used\n`);
  return rejected.length > 0;
}

/** What the intake assumed and what it left out of the analysis (not errors): transactions after the as-of date. */
export function reportIgnored(io: CliIo, source: string, intake: BookIntake, asOf: Day): void {
  for (const note of intake.notes) io.stderr(`${source}: ${note}\n`);
  const after = intake.afterAsOf;
  if (after.rows > 0) {
    const more = (listed: number, total: number) => (total > listed ? ', …' : '');
    io.stderr(
      `${source}: ${after.rows} transaction(s) dated after the as-of date ${isoDate(asOf)} were not counted ` +
        `(row ${after.rowNumbers.join(', ')}${more(after.rowNumbers.length, after.rows)})` +
        (after.customersLeftOut > 0
          ? `; ${after.customersLeftOut} customer(s) with only such transactions are left out ` +
            `(${after.customerIds.join(', ')}${more(after.customerIds.length, after.customersLeftOut)})`
          : '') +
        '\n',
    );
  }
}

/** The intake's report for JSON output. */
export const intakeJson = (intake: BookIntake) => ({
  rejected: intake.rejected,
  ignored: { afterAsOf: intake.afterAsOf },
  notes: intake.notes,
});
