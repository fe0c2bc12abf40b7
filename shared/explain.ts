/**
 * Act: for one scored customer, the reasons in plain language, the next action, the contact cadence
 * and channel, and when the next contact is due.
 */

import type { Channel } from './config';
import type { Day } from './dates';
import { type Messages, messagesFor } from './messages';
import { modelKind } from './models';
import type { ScoredBook } from './score-book';
import { modelMetrics } from './tier';

export interface CustomerResult {
  customerId: string;
  name: string | null;
  owner: string | null;
  r: number;
  f: number;
  m: number;
  segment: string | null;
  /** The tier's key and label; null when the model could not place the customer (see reasons). */
  tier: string | null;
  tierLabel: string | null;
  reasons: string[];
  nextAction: string | null;
  channel: Channel | null;
  cadenceDays: number | null;
  /** The day of the next contact; null when contact is only on request. Adapters format it. */
  nextContactDue: Day | null;
  /** The usual purchase cycle has passed (by the configured factor), or the due date is past. */
  overdue: boolean;
}

/** The default: a customer is overdue once the time since the last purchase exceeds their usual cycle. */
export const DEFAULT_OVERDUE_FACTOR = 1;

/** What to do about customer `i` and when, without the reasons: the cheap part, for whole ranges. */
export type CustomerAction = Omit<CustomerResult, 'reasons'>;

interface Timing {
  sinceDays: number;
  cycleDays: number | null;
  overdueByCycle: boolean;
  /** Overdue by cycle and nobody has been in touch since it became so. */
  cycleAlarm: boolean;
}

function timing(book: ScoredBook, i: number): Timing {
  const c = book.customers[i];
  const sinceDays = Math.round(c.sinceLastPurchase);
  const cycleDays = c.averageCycle;
  const factor = book.config.overdueFactor ?? DEFAULT_OVERDUE_FACTOR;
  const overdueByCycle = cycleDays !== null && cycleDays > 0 && sinceDays > cycleDays * factor;
  const overdueSince = cycleDays === null ? 0 : c.lastPurchase + cycleDays * factor;
  const contacted = c.lastContact !== null && c.lastContact >= overdueSince;
  const snoozed = (c.snoozedUntil ?? Number.NEGATIVE_INFINITY) > book.asOf;
  return { sinceDays, cycleDays, overdueByCycle, cycleAlarm: overdueByCycle && !contacted && !snoozed };
}

/** Tier, segment, next action, cadence, channel and due date of customer `i`. */
export function customerAction(book: ScoredBook, i: number): CustomerAction {
  const { config, customers } = book;
  const c = customers[i];
  const tier = book.tier[i] >= 0 ? config.tiers[book.tier[i]] : null;
  const { cycleAlarm } = timing(book, i);
  const due = tier
    ? nextContact(
        c.lastPurchase,
        c.lastContact,
        tier.cadenceDays,
        book.asOf,
        cycleAlarm,
        c.snoozedUntil ?? null,
      )
    : null;
  const segmentIndex = book.segment ? book.segment[i] : -1;
  return {
    customerId: c.customerId,
    name: c.name,
    owner: c.owner,
    r: book.r[i],
    f: book.f[i],
    m: book.m[i],
    segment: segmentIndex >= 0 && config.segments ? config.segments.labels[segmentIndex].label : null,
    tier: tier ? tier.key : null,
    tierLabel: tier ? tier.label : null,
    nextAction: tier ? tier.action : null,
    channel: tier ? tier.channel : null,
    cadenceDays: tier ? tier.cadenceDays : null,
    nextContactDue: due,
    overdue: cycleAlarm || (due !== null && due < book.asOf),
  };
}

/** The reasons for customer `i`'s grade, in plain language and the configuration's locale. */
export function customerReasons(book: ScoredBook, i: number): string[] {
  const say = messagesFor(book.config.locale);
  const { sinceDays, cycleDays, overdueByCycle } = timing(book, i);
  const reasons = [say.boughtAgo(sinceDays)];
  reasons.push(cycleDays === null ? say.oneOrder : say.usualCycle(Math.round(cycleDays)));
  reasons.push(say.topBySpend(topPercent(book.metrics.column('spendShareBelow')[i])));
  reasons.push(...modelReasons(book, i, say));
  if (overdueByCycle && cycleDays !== null) reasons.push(say.overdue(sinceDays, Math.round(cycleDays)));
  const pAlive = book.metrics.column('pAlive')[i];
  if (!Number.isNaN(pAlive)) reasons.push(say.pAlive(pAlive));
  const expected = book.metrics.column('expectedPurchases')[i];
  const horizon = book.predictions.horizonDays;
  if (!Number.isNaN(expected) && horizon) reasons.push(say.expectedPurchases(expected, say.horizon(horizon)));
  const clv = book.metrics.column('clv')[i];
  if (!Number.isNaN(clv)) reasons.push(say.clv(clv));
  return reasons;
}

/** Explains customer `i` of a scored book: the action and the reasons. */
export function explainCustomer(book: ScoredBook, i: number): CustomerResult {
  return { ...customerAction(book, i), reasons: customerReasons(book, i) };
}

/** All customers, in book order. */
export const explainAll = (book: ScoredBook): CustomerResult[] =>
  book.customers.map((_, i) => explainCustomer(book, i));

/** "top 12 %": the share of customers spending at least as much, rounded up so the best is never "top 0 %". */
const topPercent = (shareBelow: number): number => Math.max(1, Math.ceil((1 - shareBelow) * 100 - 1e-9));

/**
 * The next contact: the tier's cadence counted from the later of the last purchase and the last
 * contact, brought forward to today when the purchase cycle is overdue (and nobody has been in touch
 * since), and never before a day a salesperson snoozed it to. `null` when the cadence is 0 (contact
 * only on request), overdue or not.
 */
export function nextContact(
  lastPurchase: Day,
  lastContact: Day | null,
  cadenceDays: number,
  asOf: Day,
  overdue: boolean,
  snoozedUntil: Day | null = null,
): Day | null {
  if (cadenceDays <= 0) return null;
  const from = Math.max(lastPurchase, lastContact ?? lastPurchase);
  const due = from + Math.round(cadenceDays);
  const scheduled = overdue ? Math.min(due, asOf) : due;
  return snoozedUntil === null ? scheduled : Math.max(scheduled, snoozedUntil);
}

function modelReasons(book: ScoredBook, i: number, say: Messages): string[] {
  const model = book.config.model;
  const reasons = [say.scores(book.r[i], book.f[i], book.m[i])];
  if (book.tier[i] < 0) {
    const missing = modelMetrics(model).find((m) => Number.isNaN(book.metrics.column(m)[i]));
    return [...reasons, say.untiered(missing ?? modelMetrics(model).join(', '))];
  }
  reasons.push(...modelKind(model).reasons(model, book, i, say));
  return reasons;
}
