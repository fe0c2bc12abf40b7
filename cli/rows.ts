/**
 * Output columns: one list of named columns, read per customer straight from the summaries and the
 * scored book, shared by CSV, JSON and the text table. Nothing builds a row object that a format
 * does not need, and reasons are made only for the formats that print them.
 */

import {
  type CustomerAction,
  type CustomerSummary,
  customerAction,
  customerReasons,
  daysToUnit,
  isoDate,
  type ScoredBook,
  TIME_UNITS,
  type TimeUnit,
} from '../shared';
import { type Cell, csvCell } from './io';

/** A book's dates repeat (a few hundred distinct days): each is formatted once. */
const isoDates = new Map<number, string>();
const dateText = (day: number): string => {
  let text = isoDates.get(day);
  if (text === undefined) {
    text = isoDate(day);
    if (isoDates.size < 100_000) isoDates.set(day, text);
  }
  return text;
};

const round = (x: number | null, digits = 4): number | null =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

type Column<T> = readonly [name: string, value: (item: T) => Cell];

/** A duration the core keeps in days, printed in the unit asked for (`--unit`). */
const duration = (days: number | null, unit: TimeUnit): number | null =>
  days === null ? null : round(daysToUnit(days, unit));

/** The summary of a customer, as every command prints it, with its durations in `unit`. */
const summaryColumnsIn = (unit: TimeUnit): readonly Column<CustomerSummary>[] => [
  ['customer_id', (c) => c.customerId],
  ['name', (c) => c.name],
  ['owner', (c) => c.owner],
  ['firstPurchase', (c) => (c.firstPurchase === null ? null : dateText(c.firstPurchase))],
  ['lastPurchase', (c) => dateText(c.lastPurchase)],
  ['orders', (c) => c.orders],
  ['purchaseDays', (c) => c.purchaseDays],
  ['repeatPurchases', (c) => c.repeatPurchases],
  ['sinceLastPurchase', (c) => duration(c.sinceLastPurchase, unit)],
  ['firstToLastPurchase', (c) => duration(c.firstToLastPurchase, unit)],
  ['tenure', (c) => duration(c.tenure, unit)],
  ['unit', () => unit],
  ['totalSpend', (c) => round(c.totalSpend, 2)],
  ['averageOrderValue', (c) => round(c.averageOrderValue, 2)],
  ['repeatAverageSpend', (c) => round(c.repeatAverageSpend, 2)],
  ['averageCycle', (c) => duration(c.averageCycle, unit)],
  ['profit', (c) => round(c.profit, 2)],
];
const SUMMARY_COLUMNS = Object.fromEntries(
  TIME_UNITS.map((unit) => [unit, summaryColumnsIn(unit)]),
) as Record<TimeUnit, readonly Column<CustomerSummary>[]>;
const SUMMARY_NAMES = SUMMARY_COLUMNS.day.map(([name]) => name);

/** Scores, tier and what to do, from a customer's action (reasons are a column of their own). */
const ACTION_COLUMNS: readonly Column<CustomerAction>[] = [
  ['r', (a) => a.r],
  ['f', (a) => a.f],
  ['m', (a) => a.m],
  ['segment', (a) => a.segment],
  ['tier', (a) => a.tier],
  ['tierLabel', (a) => a.tierLabel],
];
const NEXT_COLUMNS: readonly Column<CustomerAction>[] = [
  ['nextAction', (a) => a.nextAction],
  ['channel', (a) => a.channel],
  ['nextContactDue', (a) => (a.nextContactDue === null ? null : dateText(a.nextContactDue))],
  ['overdue', (a) => a.overdue],
];

export const RESULT_HEADER: readonly string[] = [
  ...SUMMARY_NAMES,
  ...ACTION_COLUMNS.map(([name]) => name),
  'reasons',
  ...NEXT_COLUMNS.map(([name]) => name),
];

/** Output is written in pieces of about this many bytes: a 100k-customer CSV is never one string. */
const FLUSH_BYTES = 1 << 20;

/**
 * Encodes lines as UTF-8 into a buffer and hands it to `write` when about full: no piece of the
 * output is ever a string as large as the file, and no line is joined and encoded twice.
 */
export class LineWriter {
  private buffer = Buffer.allocUnsafe(FLUSH_BYTES);
  private size = 0;
  constructor(private readonly write: (bytes: Uint8Array) => void) {}
  line(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair: 4 bytes for 2 units).
    const room = 3 * text.length + 1;
    if (this.size + room > this.buffer.length) {
      this.flush();
      if (room > this.buffer.length) this.buffer = Buffer.allocUnsafe(room);
    }
    this.size += this.buffer.write(text, this.size);
    this.buffer[this.size++] = 10; // \n
  }
  flush(): void {
    if (this.size > 0) this.write(this.buffer.subarray(0, this.size));
    // A fresh buffer: the one just written may still be queued (stdout to a pipe may be asynchronous).
    this.buffer = Buffer.allocUnsafe(FLUSH_BYTES);
    this.size = 0;
  }
}

/** The summaries as CSV, durations in `unit`. */
export function writeSummaryCsv(
  customers: readonly CustomerSummary[],
  unit: TimeUnit,
  out: LineWriter,
): void {
  const columns = SUMMARY_COLUMNS[unit];
  out.line(SUMMARY_NAMES.join(','));
  for (const c of customers) {
    let line = '';
    for (let k = 0; k < columns.length; k++) line += (k === 0 ? '' : ',') + csvCell(columns[k][1](c));
    out.line(line);
  }
  out.flush();
}

/** Every scored customer as CSV: summary, scores, tier, reasons (joined by "; ") and next action. */
export function writeResultCsv(book: ScoredBook, unit: TimeUnit, out: LineWriter): void {
  const columns = SUMMARY_COLUMNS[unit];
  out.line(RESULT_HEADER.join(','));
  for (let i = 0; i < book.customers.length; i++) {
    const c = book.customers[i];
    const a = customerAction(book, i);
    let line = '';
    for (let k = 0; k < columns.length; k++) line += (k === 0 ? '' : ',') + csvCell(columns[k][1](c));
    for (const [, value] of ACTION_COLUMNS) line += `,${csvCell(value(a))}`;
    line += `,${csvCell(customerReasons(book, i).join('; '))}`;
    for (const [, value] of NEXT_COLUMNS) line += `,${csvCell(value(a))}`;
    out.line(line);
  }
  out.flush();
}

/** One customer as a JSON-ready object, with the reasons as a list. */
export function resultObject(book: ScoredBook, i: number, unit: TimeUnit): Record<string, Cell | string[]> {
  const c = book.customers[i];
  const a = customerAction(book, i);
  const row: Record<string, Cell | string[]> = {};
  for (const [name, value] of SUMMARY_COLUMNS[unit]) row[name] = value(c);
  for (const [name, value] of ACTION_COLUMNS) row[name] = value(a);
  row.reasons = customerReasons(book, i);
  for (const [name, value] of NEXT_COLUMNS) row[name] = value(a);
  return row;
}

/** One customer's summary as an object, durations in `unit`. */
export function summaryObject(c: CustomerSummary, unit: TimeUnit): Record<string, Cell> {
  const row: Record<string, Cell> = {};
  for (const [name, value] of SUMMARY_COLUMNS[unit]) row[name] = value(c);
  return row;
}

/**
 * A JSON document whose one large array is written element by element: `{ ...head, [key]: items,
 * ...tail }`, pretty-printed like JSON.stringify(…, null, 2).
 */
export function writeJsonWithArray(
  out: LineWriter,
  head: Record<string, unknown>,
  key: string,
  count: number,
  item: (i: number) => unknown,
  tail: Record<string, unknown>,
): void {
  const field = (name: string, value: unknown) =>
    `  ${JSON.stringify(name)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`;
  const fields = Object.entries(head).map(([name, value]) => field(name, value));
  out.line(`{${fields.map((f) => `\n${f},`).join('')}\n  ${JSON.stringify(key)}: [`);
  for (let i = 0; i < count; i++) {
    const text = JSON.stringify(item(i), null, 2).replace(/\n/g, '\n    ');
    out.line(`    ${text}${i + 1 < count ? ',' : ''}`);
  }
  const rest = Object.entries(tail).map(([name, value]) => field(name, value));
  out.line(`  ]${rest.map((f) => `,\n${f}`).join('')}\n}`);
  out.flush();
}
