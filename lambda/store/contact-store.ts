/**
 * The contact log: every "contacted", "snoozed" and note a salesperson logs, kept as immutable events,
 * and one state item per customer (the fold of that customer's events) that readers load in one query.
 *
 * Without transactions (dynalite has none), a write is three steps that each leave the table sound:
 * 1. put the event (idempotent by its id);
 * 2. fold ALL of that customer's events into the state, written only if it covers more events than the
 *    stored state: a writer who saw fewer events never overwrites one who saw more, and a state left
 *    behind by a failed writer is made whole by the customer's next event;
 * 3. bump the organisation's contact sequence, which tells warm Lambdas their cached states are stale.
 *
 * | pk             | sk                            | what                                   |
 * |----------------|-------------------------------|----------------------------------------|
 * | CONTACTS#{org} | EVENT#{customer}#{at}#{id}    | one contact event (the audit trail)    |
 * | CONTACTS#{org} | STATE#{customer}              | the fold of that customer's events     |
 * | CONTACTS#{org} | SEQ                           | changes so far, for cache invalidation |
 *
 * `{customer}` is a hash of the customer id: ids are free text of any length, sort keys are not.
 */

import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  CHANNELS,
  CONTACT_OUTCOMES,
  type ContactEvent,
  type ContactState,
  emptyContactState,
  foldContact,
} from '../../shared';
import { type Db, isConditionFailure } from './dynamo';

const contactsKey = (org: string) => `CONTACTS#${org}`;
const customerKey = (customerId: string) =>
  createHash('sha256').update(customerId).digest('base64url').slice(0, 27);
const eventPrefix = (customerId: string) => `EVENT#${customerKey(customerId)}#`;
const STATE_PREFIX = 'STATE#';
const SEQ = 'SEQ';

/** States a warm Lambda keeps: a few organisations' worth. */
const KEPT_ORGS = 8;

export class ContactStore {
  private readonly cache = new Map<string, { seq: number; states: Map<string, ContactState> }>();

  constructor(
    private readonly db: Db,
    private readonly table: string,
  ) {}

  /** Logs an event and returns the customer's state after it. Writing the same event again is harmless. */
  async record(org: string, event: ContactEvent): Promise<ContactState> {
    const pk = contactsKey(org);
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk, sk: `${eventPrefix(event.customerId)}${event.at}#${event.id}`, ...event },
      }),
    );
    const events = await this.customerEvents(org, event.customerId);
    const state = events.reduce(foldContact, emptyContactState(event.customerId));
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk,
            sk: `${STATE_PREFIX}${customerKey(event.customerId)}`,
            ...state,
            events: events.length,
          },
          ConditionExpression: 'attribute_not_exists(sk) OR events < :n',
          ExpressionAttributeValues: { ':n': events.length },
        }),
      );
    } catch (error) {
      // Another writer stored a state that already covers these events (and more): theirs stands.
      if (!isConditionFailure(error)) throw error;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk, sk: SEQ },
        UpdateExpression: 'ADD seq :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    return state;
  }

  /** A customer's events, oldest first. */
  async customerEvents(org: string, customerId: string): Promise<ContactEvent[]> {
    const items = await this.queryAll(contactsKey(org), eventPrefix(customerId));
    return items.map(eventFromItem).filter((e) => e.customerId === customerId);
  }

  /** The changes logged so far (0 before the first): cheap to read on every request. */
  async sequence(org: string): Promise<number> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: contactsKey(org), sk: SEQ }, ConsistentRead: true }),
    );
    return Number(Item?.seq ?? 0);
  }

  /** Every customer's contact state by customer id; reloaded only when the sequence moved. */
  async states(org: string, seq?: number): Promise<Map<string, ContactState>> {
    const current = seq ?? (await this.sequence(org));
    const hit = this.cache.get(org);
    if (hit && hit.seq === current) return hit.states;
    if (current === 0) return new Map();
    const items = await this.queryAll(contactsKey(org), STATE_PREFIX);
    const states = new Map(items.map((item) => [String(item.customerId), stateFromItem(item)]));
    if (this.cache.size >= KEPT_ORGS && !this.cache.has(org))
      this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(org, { seq: current, states });
    return states;
  }

  private async queryAll(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) items.push(item);
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T | null =>
  allowed.includes(value as T) ? (value as T) : null;
const KINDS = ['contacted', 'snoozed', 'note'] as const;

/** Items are written only by `record`, from validated events; reading checks each field back. */
function eventFromItem(item: Record<string, unknown>): ContactEvent {
  return {
    id: String(item.id),
    customerId: String(item.customerId),
    at: String(item.at),
    day: Number(item.day),
    by: String(item.by),
    byName: text(item.byName),
    kind: oneOf(item.kind, KINDS) ?? 'note',
    channel: oneOf(item.channel, CHANNELS),
    note: text(item.note),
    outcome: oneOf(item.outcome, CONTACT_OUTCOMES),
    until: num(item.until),
  };
}

function stateFromItem(item: Record<string, unknown>): ContactState {
  return {
    customerId: String(item.customerId),
    lastContact: num(item.lastContact),
    lastContactAt: text(item.lastContactAt),
    snoozedUntil: num(item.snoozedUntil),
    snoozedAt: text(item.snoozedAt),
    channel: oneOf(item.channel, CHANNELS),
    note: text(item.note),
    outcome: oneOf(item.outcome, CONTACT_OUTCOMES),
    noteAt: text(item.noteAt),
    by: text(item.by),
    at: text(item.at),
  };
}
