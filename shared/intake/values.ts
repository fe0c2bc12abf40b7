/**
 * Value parsing: cells of any type (numbers, strings with currency symbols and separators, blanks)
 * become amounts, margins and counts, or a `CellProblem` saying which cell was wrong and why.
 */

import { REASONS, type RowProblem, showValue } from '../errors';

const CURRENCY = /[$€£¥₹₩₽฿元円]|US\$|USD|EUR|GBP|CNY|RMB|JPY/gi;

/**
 * An amount from a number or a string with a currency symbol, thousands separators, a decimal comma
 * (`1.234,56`) or accounting parentheses for refunds (`(12.00)`). `null` when it is none of these.
 */
export function parseAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  if (isPlainDecimal(value)) return plainDecimal(value);
  let text = value.replace(CURRENCY, '').replace(/[\s\u00a0']/g, '');
  let sign = 1;
  if (/^\(.*\)$/.test(text)) {
    sign = -1;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-')) {
    sign = -sign;
    text = text.slice(1);
  } else if (text.startsWith('+')) {
    text = text.slice(1);
  }
  text = normaliseSeparators(text);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) return null;
  const amount = sign * Number(text);
  return Number.isFinite(amount) ? amount : null; // 400 digits are not an amount
}

/**
 * `123`, `-4.50`: the common case, read without regular expressions (a log has millions of them).
 * Anything else (spaces, symbols, separators, exponents) takes the general path.
 */
function isPlainDecimal(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 20) return false;
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

/**
 * The value of a plain decimal, as `Number` reads it. Up to 15 digits, it is an exact integer divided
 * by an exact power of ten, which one IEEE division rounds correctly (Clinger's fast path), and
 * cheaper than `Number` on the text; longer ones go to `Number`.
 */
function plainDecimal(text: string): number {
  const negative = text.charCodeAt(0) === 45;
  let significand = 0;
  let digits = 0;
  let scale = 1;
  let dot = false;
  for (let i = negative ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      dot = true;
      continue;
    }
    significand = significand * 10 + (c - 48);
    digits++;
    if (dot) scale *= 10;
  }
  if (digits > 15) return Number(text);
  const value = significand / scale;
  return negative ? -value : value;
}

/** `1,234.56` and `1.234,56` → `1234.56`; `1,5` → `1.5`; `1,234` → `1234`. */
function normaliseSeparators(text: string): string {
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    return lastComma > lastDot ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  }
  if (lastComma >= 0) {
    return /^\d{1,3}(,\d{3})+$/.test(text) ? text.replace(/,/g, '') : text.replace(',', '.');
  }
  return text;
}

/** A margin as a fraction: 0.3, "0.3" or "30%". */
export function parseMargin(value: unknown): number | null {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const percent = parseAmount(value.trim().slice(0, -1));
    return percent === null ? null : percent / 100;
  }
  const margin = parseAmount(value);
  return margin !== null && margin <= 1 && margin >= -1 ? margin : null;
}

export const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export const cellText = (value: unknown): string | null => (isBlank(value) ? null : String(value).trim());

export const parseCount = (value: unknown): number | null => {
  const n = parseAmount(value);
  return n !== null && n >= 0 && Number.isInteger(n) ? n : null;
};

export const parseNonNegative = (value: unknown): number | null => {
  const n = parseAmount(value);
  return n !== null && n >= 0 ? n : null;
};
/** Where a row went wrong: the column index and the reason. */
export interface CellProblem {
  col: number;
  reason: string;
}

export const problemAt = (
  header: readonly string[],
  cells: readonly unknown[],
  row: number,
  p: CellProblem,
): RowProblem => ({
  row,
  column: String(header[p.col]),
  value: showValue(cells[p.col]),
  reason: p.reason,
});

/** A required cell: its parsed value, or why it was refused. */
export function required<T>(
  cells: readonly unknown[],
  col: number,
  parse: (v: unknown) => T | null,
  reason: string,
): T | CellProblem {
  const value = cells[col];
  const parsed = isBlank(value) ? null : parse(value);
  return parsed === null ? { col, reason: isBlank(value) ? REASONS.missing : reason } : parsed;
}

export const isProblem = (value: unknown): value is CellProblem =>
  typeof value === 'object' && value !== null && 'reason' in value;
