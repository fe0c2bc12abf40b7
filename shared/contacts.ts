/**
 * The contact log: what salespeople did about a customer (contacted, snoozed, noted), folded into one
 * state per customer, and laid over a scored book so the next contact moves at once. Events are facts;
 * the fold takes the newest of each kind by the instant it was logged, so it gives the same state
 * whatever order (or how often) the events arrive in.
 */

import type { Channel } from './config';
import { type Day, isoDate } from './dates';
import type { ScoredBook } from './score-book';

export type ContactKind = 'contacted' | 'snoozed' | 'note';
export const CONTACT_OUTCOMES = ['reached', 'no-answer', 'follow-up', 'not-interested', 'won'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** Notes are kept to this many characters (the Slack modal's own limit). */
export const NOTE_MAX_LENGTH = 2_000;

export interface ContactEvent {
  /** Unique per event: writing the same event twice changes nothing. */
  id: string;
  customerId: string;
  /** The instant it was logged (ISO 8601, UTC): orders events of the same customer. */
  at: string;
  /** The organisation's calendar day of the contact. */
  day: Day;
  /** Who logged it: a Slack user id or an e-mail; `byName` is what people read. */
  by: string;
  byName: string | null;
  kind: ContactKind;
  channel: Channel | null;
  note: string | null;
  outcome: ContactOutcome | null;
  /** Snoozes only: the day the next contact moves to. */
  until: Day | null;
}

export interface ContactState {
  customerId: string;
  /** The day of the newest contact or note. */
  lastContact: Day | null;
  lastContactAt: string | null;
  /** The newest snooze, in force only while it is newer than the newest contact. */
  snoozedUntil: Day | null;
  snoozedAt: string | null;
  channel: Channel | null;
  /** The newest note and its outcome. */
  note: string | null;
  outcome: ContactOutcome | null;
  noteAt: string | null;
  /** Who logged the newest event, and when. */
  by: string | null;
  at: string | null;
}

export const emptyContactState = (customerId: string): ContactState => ({
  customerId,
  lastContact: null,
  lastContactAt: null,
  snoozedUntil: null,
  snoozedAt: null,
  channel: null,
  note: null,
  outcome: null,
  noteAt: null,
  by: null,
  at: null,
});

const newer = (at: string, than: string | null): boolean => than === null || at > than;

/** The state after one more event; commutative and idempotent over a customer's events. */
export function foldContact(state: ContactState, event: ContactEvent): ContactState {
  const next = { ...state };
  if (event.kind === 'snoozed') {
    if (newer(event.at, state.snoozedAt)) {
      next.snoozedUntil = event.until;
      next.snoozedAt = event.at;
    }
  } else if (newer(event.at, state.lastContactAt)) {
    next.lastContact = event.day;
    next.lastContactAt = event.at;
    next.channel = event.channel;
  }
  if ((event.note !== null || event.outcome !== null) && newer(event.at, state.noteAt)) {
    next.note = event.note;
    next.outcome = event.outcome;
    next.noteAt = event.at;
  }
  if (newer(event.at, state.at)) {
    next.by = event.byName ?? event.by;
    next.at = event.at;
  }
  return next;
}

/** The snooze day still in force: a contact made after the snooze ends it. */
export const activeSnooze = (state: ContactState): Day | null =>
  state.snoozedAt !== null && newer(state.snoozedAt, state.lastContactAt) ? state.snoozedUntil : null;

/**
 * The book with the contact log laid over it: each customer's last contact is the later of the sheet's
 * and the log's, and an active snooze postpones the next contact. Tiers do not depend on contacts, so
 * the scores stay; only the customers are copied.
 */
export function applyContacts(book: ScoredBook, states: ReadonlyMap<string, ContactState>): ScoredBook {
  if (states.size === 0) return book;
  const customers = book.customers.map((c) => {
    const state = states.get(c.customerId);
    if (!state) return c;
    const logged = state.lastContact;
    const lastContact =
      logged !== null && (c.lastContact === null || logged > c.lastContact) ? logged : c.lastContact;
    return { ...c, lastContact, snoozedUntil: activeSnooze(state) };
  });
  return { ...book, customers };
}

/** The columns the sheet receives (one row per customer with a logged contact). */
export const CONTACT_COLUMNS = [
  'customer_id',
  'last_contact',
  'snoozed_until',
  'channel',
  'outcome',
  'note',
  'by',
  'logged_at',
] as const;

/** The contact log as sheet rows, header first, customers in id order so the sheet stays stable. */
export function contactRows(states: Iterable<ContactState>): string[][] {
  const rows = [...states]
    .sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0))
    .map((s) => {
      const snooze = activeSnooze(s);
      return [
        s.customerId,
        s.lastContact === null ? '' : isoDate(s.lastContact),
        snooze === null ? '' : isoDate(snooze),
        s.channel ?? '',
        s.outcome ?? '',
        s.note ?? '',
        s.by ?? '',
        s.at ?? '',
      ];
    });
  return [[...CONTACT_COLUMNS], ...rows];
}
