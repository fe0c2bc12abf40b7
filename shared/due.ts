/**
 * Who to contact and why: the customers whose next contact falls within a window, in due-date order
 * (best tiers first on the same day), each with the reason it is due.
 */

import { type Day, parseDay } from './dates';
import { type CustomerAction, customerAction } from './explain';
import type { ScoredBook } from './score';

export type DueReason = 'tier-dropped' | 'cycle-overdue' | 'cadence';

export interface DueEntry {
  index: number;
  /** What to do and when, without the reasons: a due list of thousands explains only what it shows. */
  result: CustomerAction;
  due: Day;
  reason: DueReason;
}

/** The default window: this week. */
export const DUE_WINDOW_DAYS = 7;

/**
 * Customers due within `days` of the book's as-of date (overdue ones included), optionally only one
 * owner's. `previousTiers` (the tier keys at the last sync) adds "tier dropped" as a reason: a customer
 * who fell to a worse tier is due now, whatever the cadence says.
 */
export function dueContacts(
  book: ScoredBook,
  options: {
    days?: number;
    owner?: (owner: string | null) => boolean;
    previousTiers?: readonly (string | null)[];
  } = {},
): DueEntry[] {
  const days = options.days ?? DUE_WINDOW_DAYS;
  const rank = new Map(book.config.tiers.map((t, i) => [t.key, i]));
  const entries: DueEntry[] = [];
  for (let i = 0; i < book.customers.length; i++) {
    if (options.owner && !options.owner(book.customers[i].owner)) continue;
    const previous = options.previousTiers?.[i] ?? null;
    const dropped =
      previous !== null && book.tier[i] >= 0 && rank.has(previous) && book.tier[i] > rank.get(previous)!;
    const result = customerAction(book, i);
    const due = dropped ? book.asOf : result.nextContactDue === null ? null : parseDay(result.nextContactDue);
    if (due === null || due > book.asOf + days) continue;
    entries.push({
      index: i,
      result,
      due,
      reason: dropped ? 'tier-dropped' : result.overdue ? 'cycle-overdue' : 'cadence',
    });
  }
  return entries.sort(
    (a, b) => a.due - b.due || book.tier[a.index] - book.tier[b.index] || a.index - b.index,
  );
}
