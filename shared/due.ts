/**
 * Who to contact and why, in the order that matters: the customers whose next contact falls within a
 * window, most at stake first (value at risk × how late), each with the reason it is due. Customers
 * overdue for months are a backlog, counted apart instead of leading the list; tiers whose action is to
 * leave customers alone (contact only on request) are never due.
 */

import type { Day } from './dates';
import { type CustomerAction, customerAction } from './explain';
import type { ScoredBook } from './score-book';

export type DueReason = 'tier-dropped' | 'cycle-overdue' | 'cadence';

export interface DueEntry {
  index: number;
  /** What to do (no reasons: they are built only for the customers shown). */
  result: CustomerAction;
  due: Day;
  /** Days past the due date; 0 when due today, negative while still ahead. */
  daysOverdue: number;
  reason: DueReason;
  /** What is at stake: the predicted lifetime value when the book has one, otherwise net spend (≥ 0). */
  value: number;
  /** value × urgency: the order of the list. */
  priority: number;
}

export interface DuePlan {
  /** Due within the window and not long overdue, highest priority first. */
  entries: DueEntry[];
  /** Overdue for more than `longOverdueDays`: the backlog, most valuable first. */
  longOverdue: DueEntry[];
  /** Customers (of the owner asked for) in tiers contacted only on request: never due. */
  leftAlone: number;
}

export interface DueOptions {
  /** The window: the as-of day and the days after it, a week by default (today … today + 6). */
  days?: number;
  /** Beyond this many days overdue a customer is backlog; default about three months. */
  longOverdueDays?: number;
  owner?: (owner: string | null) => boolean;
  /** The tier keys at the last sync: a customer who fell to a worse tier is due now ("tier dropped"). */
  previousTiers?: readonly (string | null)[];
  /** The day of that sync: a contact since then (or a snooze) settles a drop. Default: a week ago. */
  syncedOn?: Day;
}

/** The default window: this week. */
export const DUE_WINDOW_DAYS = 7;
/** "Months old": overdue this long, a customer no longer leads the week's list. */
export const LONG_OVERDUE_DAYS = 90;

/**
 * How late, as a weight: 1 on the due day, growing by one per cadence overdue (a weekly customer two
 * weeks late weighs 3, a quarterly one two weeks late about 1.15), below 1 while still ahead.
 */
export function urgency(daysOverdue: number, cadenceDays: number): number {
  const period = Math.max(cadenceDays, 1);
  return daysOverdue >= 0 ? 1 + daysOverdue / period : 1 / (1 - daysOverdue / period);
}

/**
 * The week's contact plan for a scored book.
 *
 * @example
 * const plan = planContacts(book, { owner: (o) => o === 'ana' });
 * plan.entries[0].result.name  // the customer with the most at stake
 * plan.longOverdue.length      // the backlog, shown as one line
 */
export function planContacts(book: ScoredBook, options: DueOptions = {}): DuePlan {
  const days = options.days ?? DUE_WINDOW_DAYS;
  const longOverdueDays = options.longOverdueDays ?? LONG_OVERDUE_DAYS;
  const syncedOn = options.syncedOn ?? book.asOf - DUE_WINDOW_DAYS;
  const { tiers } = book.config;
  const rank = new Map(tiers.map((t, i) => [t.key, i]));
  const clv = book.predictions.clv;
  const entries: DueEntry[] = [];
  const longOverdue: DueEntry[] = [];
  let leftAlone = 0;
  for (let i = 0; i < book.customers.length; i++) {
    const c = book.customers[i];
    if (options.owner && !options.owner(c.owner)) continue;
    const tier = book.tier[i];
    if (tier < 0) continue;
    if (tiers[tier].cadenceDays <= 0) {
      leftAlone++;
      continue;
    }
    const previous = options.previousTiers?.[i] ?? null;
    const settled =
      (c.lastContact ?? Number.NEGATIVE_INFINITY) >= syncedOn || (c.snoozedUntil ?? 0) > book.asOf;
    const dropped = previous !== null && rank.has(previous) && tier > rank.get(previous)! && !settled;
    const result = customerAction(book, i);
    const scheduled = result.nextContactDue;
    if (scheduled === null) continue;
    const due = dropped ? Math.min(scheduled, book.asOf) : scheduled;
    if (due >= book.asOf + days) continue;
    const daysOverdue = book.asOf - due;
    const value = Math.max(clv && !Number.isNaN(clv[i]) ? clv[i] : c.totalSpend, 0);
    const entry: DueEntry = {
      index: i,
      result,
      due,
      daysOverdue,
      reason: dropped ? 'tier-dropped' : result.overdue ? 'cycle-overdue' : 'cadence',
      value,
      priority: value * urgency(daysOverdue, tiers[tier].cadenceDays),
    };
    (daysOverdue > longOverdueDays ? longOverdue : entries).push(entry);
  }
  const byPriority = (a: DueEntry, b: DueEntry) =>
    b.priority - a.priority || a.due - b.due || book.tier[a.index] - book.tier[b.index] || a.index - b.index;
  return {
    entries: entries.sort(byPriority),
    longOverdue: longOverdue.sort((a, b) => b.value - a.value || a.due - b.due || a.index - b.index),
    leftAlone,
  };
}

/**
 * The week's list alone (see `planContacts` for the backlog and the customers left alone).
 *
 * @example
 * const due = dueContacts(book, { owner: (o) => o === 'ana' });
 * due[0].result.name   // "Acme Corp" (example data as of 2024-06-30)
 * due[0].reason        // "cycle-overdue"
 * isoDate(due[0].due)  // "2024-06-19", so due[0].daysOverdue is 11
 */
export const dueContacts = (book: ScoredBook, options: DueOptions = {}): DueEntry[] =>
  planContacts(book, options).entries;
