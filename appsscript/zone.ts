/**
 * Calendar days in the spreadsheet's time zone. Sheets hands a date cell over as the instant of midnight
 * in the spreadsheet's zone and shows a returned Date in that zone, while the script itself runs in the
 * manifest's zone: local getters (`getDate()`) would be a day off for most of the world.
 */

import { type Day, isoDate } from '../shared';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
let zone: string | undefined;
/** Offsets by hour since the epoch: a sheet has a few thousand distinct days, not 200,000. */
const offsets = new Map<number, number>();

export const sheetZone = (): string => {
  zone ??= SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetTimeZone() || 'Etc/UTC';
  return zone;
};

/** The zone's offset from UTC at an instant, in ms ("+0530" → 19,800,000). */
function offsetAt(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const z = Utilities.formatDate(new Date(hour * HOUR_MS), sheetZone(), 'Z');
    offset = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
    offsets.set(hour, offset);
  }
  return offset;
}

/** The calendar day a date cell shows in the spreadsheet. */
export const dayOf = (date: Date): Day => {
  const ms = date.getTime();
  return Math.floor((ms + offsetAt(ms)) / DAY_MS);
};

/** The day a date cell shows, as YYYY-MM-DD (what the core and google.script.run take). */
export const isoOf = (date: Date): string => isoDate(dayOf(date));

/** The Date the spreadsheet shows as `day`: midnight there. */
export function dateOf(day: Day): Date {
  const wall = day * DAY_MS;
  // The offset at local midnight can differ from the one at UTC midnight on a daylight-saving day.
  return new Date(wall - offsetAt(wall - offsetAt(wall)));
}

/** The spreadsheet's language as Tierwise speaks it: Chinese for any zh locale, else English. */
export const sheetLocale = (): 'en' | 'zh' =>
  /^zh/i.test(SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetLocale() ?? '') ? 'zh' : 'en';
