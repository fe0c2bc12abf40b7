/**
 * What a salesperson did about a customer, from Slack buttons and the note modal, checked once here
 * and written to the contact log. Each action moves the customer's next contact at once: the warm book
 * is re-read with the new contact sequence on the next request.
 */

import { randomUUID } from 'node:crypto';
import {
  CHANNELS,
  type Channel,
  CONTACT_OUTCOMES,
  type ContactEvent,
  type ContactOutcome,
  type ContactState,
  type Day,
  NOTE_MAX_LENGTH,
} from '../shared';
import type { Services } from './services';

/** Snooze lengths the buttons offer. */
export const SNOOZE_DAYS = { week: 7, month: 30 } as const;
export type SnoozeLength = keyof typeof SNOOZE_DAYS;

export type ContactAction =
  | { kind: 'contacted'; channel: Channel | null }
  | { kind: 'snoozed'; length: SnoozeLength }
  | { kind: 'note'; note: string; outcome: ContactOutcome | null; channel: Channel | null };

export interface Actor {
  /** Slack user id (or e-mail). */
  id: string;
  name: string | null;
}

/** Checks a note from the modal: text within the limit, an outcome from the list (or none). */
export function parseNote(
  note: unknown,
  outcome: unknown,
):
  | { ok: true; note: string; outcome: ContactOutcome | null }
  | { ok: false; field: 'note' | 'outcome'; error: string } {
  const text = typeof note === 'string' ? note.trim() : '';
  if (text === '') return { ok: false, field: 'note', error: 'Write what happened (the note is empty).' };
  if (text.length > NOTE_MAX_LENGTH)
    return {
      ok: false,
      field: 'note',
      error: `Keep the note under ${NOTE_MAX_LENGTH} characters (it has ${text.length}).`,
    };
  if (outcome === null || outcome === undefined || outcome === '')
    return { ok: true, note: text, outcome: null };
  if (!CONTACT_OUTCOMES.includes(outcome as ContactOutcome)) {
    return { ok: false, field: 'outcome', error: `Pick one of: ${CONTACT_OUTCOMES.join(', ')}.` };
  }
  return { ok: true, note: text, outcome: outcome as ContactOutcome };
}

export const parseChannel = (value: unknown): Channel | null =>
  CHANNELS.includes(value as Channel) && value !== 'none' ? (value as Channel) : null;

/** The event for an action by `actor` on `customerId`, logged on the organisation's day `today`. */
export function contactEvent(
  customerId: string,
  action: ContactAction,
  actor: Actor,
  now: Date,
  today: Day,
): ContactEvent {
  return {
    id: randomUUID(),
    customerId,
    at: now.toISOString(),
    day: today,
    by: actor.id,
    byName: actor.name,
    kind: action.kind,
    channel: action.kind === 'snoozed' ? null : action.channel,
    note: action.kind === 'note' ? action.note : null,
    outcome: action.kind === 'note' ? action.outcome : null,
    until: action.kind === 'snoozed' ? today + SNOOZE_DAYS[action.length] : null,
  };
}

/** Logs the action and returns the customer's contact state after it. */
export async function logContact(
  services: Services,
  org: string,
  customerId: string,
  action: ContactAction,
  actor: Actor,
  today: Day,
): Promise<ContactState> {
  return services.contacts.record(org, contactEvent(customerId, action, actor, services.now(), today));
}
