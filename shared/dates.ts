/**
 * Calendar days as integers: a `Day` is the number of days since 1970-01-01. Integer days make
 * same-day merging exact and keep clocks and time zones out of the core.
 */

export type Day = number;

const MS_PER_DAY = 86_400_000;

/** Serial number of 1970-01-01 in the spreadsheet (1900) date system used by Sheets and Excel. */
export const SPREADSHEET_EPOCH_SERIAL = 25_569;

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const SLASH_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

/** The day of a calendar date, or `null` when the date does not exist (2023-02-30). */
export function dayFromParts(year: number, month: number, dayOfMonth: number): Day | null {
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31) return null;
  const ms = Date.UTC(year, month - 1, dayOfMonth);
  const check = new Date(ms);
  if (check.getUTCDate() !== dayOfMonth || check.getUTCMonth() !== month - 1) return null;
  return Math.round(ms / MS_PER_DAY);
}

/** A Date from any realm (a sheet, an iframe, a VM context), where `instanceof Date` would say no. */
export const isDate = (value: unknown): value is Date =>
  value instanceof Date ||
  (typeof value === 'object' && value !== null && Object.prototype.toString.call(value) === '[object Date]');

/** `YYYY-MM-DD` of a day. */
export function isoDate(day: Day): string {
  // Days from 1000-01-01 to 9999-12-31 by arithmetic (a 100k-customer CSV prints 300k dates); others,
  // which toISOString writes with six digits and a sign, through Date.
  if (!(day >= -354_285 && day <= 2_932_896)) return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  // The civil date of a day count (H. Hinnant, "chrono-compatible low-level date algorithms").
  const z = Math.floor(day) + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${month < 10 ? '0' : ''}${month}-${dayOfMonth < 10 ? '0' : ''}${dayOfMonth}`;
}

/**
 * `YYYY-MM-DD` exactly, years 1000–9999, read without a regular expression or a Date (a log has
 * millions of them): its day, `null` when there is no such date (2023-02-30), `undefined` when the
 * text has another form. Agrees with `dayFromParts`.
 */
export function plainIsoDay(text: string): Day | null | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 1000 || month < 0 || day < 0) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // Days from the civil date (H. Hinnant, "chrono-compatible low-level date algorithms").
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The number written by text[from, to) in decimal digits, or -1. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let k = from; k < to; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * Reads the date forms users paste: ISO (`2024-03-05`, with or without a time), `YYYYMMDD`,
 * `YYYY/MM/DD`, spreadsheet serial numbers, and `Date` objects. A `Date` is read by its local
 * calendar fields, because Apps Script hands over a cell's date as midnight in the sheet's time zone.
 * Returns `null` for anything else, so the caller can say which cell was wrong.
 */
export function parseDay(value: unknown): Day | null {
  if (isDate(value)) {
    if (Number.isNaN(value.getTime())) return null;
    // A real Date is a real calendar day: no need to check the parts.
    return Math.round(Date.UTC(value.getFullYear(), value.getMonth(), value.getDate()) / MS_PER_DAY);
  }
  if (typeof value === 'number') return serialToDay(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const plain = plainIsoDay(text);
  if (plain !== undefined) return plain;
  const match = ISO_DATE.exec(text) ?? COMPACT_DATE.exec(text) ?? SLASH_YMD.exec(text);
  if (match) return dayFromParts(Number(match[1]), Number(match[2]), Number(match[3]));
  if (/^\d+(\.\d+)?$/.test(text)) return serialToDay(Number(text));
  return null;
}

/** Numbers are spreadsheet serials, or `YYYYMMDD` written as a number (19970101). */
function serialToDay(serial: number): Day | null {
  if (!Number.isFinite(serial) || serial <= 0) return null;
  if (serial >= 10_000_000 && serial <= 99_991_231 && Number.isInteger(serial)) {
    return parseDay(String(serial));
  }
  if (serial > 2_958_465) return null; // after 9999-12-31: not a date
  return Math.floor(serial) - SPREADSHEET_EPOCH_SERIAL;
}
