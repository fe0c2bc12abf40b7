import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactEvent, logContact } from '../../lambda/contacts';
import { dueEntries, type LiveBook, loadLiveBook, today } from '../../lambda/live-book';
import { parseDay } from '../../shared';
import { startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
let token: string;
const ORG = 'acme';
const ANA = { id: 'U0ANA', name: 'ana' };

async function book(): Promise<LiveBook> {
  const loaded = await loadLiveBook(world.services, ORG);
  if ('missing' in loaded) throw new Error(`no book: ${loaded.missing}`);
  return loaded;
}
const dueIds = async () => dueEntries(await book(), null).map((e) => e.result.customerId);

beforeAll(async () => {
  world = await startLambdaWorld({ now: () => new Date('2024-07-01T09:00:00Z') });
  await world.services.orgs.createOrg(ORG, 'Acme Trading');
  await world.services.orgs.addMember('boss@acme.test', { org: ORG, role: 'manager' });
  token = await world.issuer.token('boss@acme.test');
  const commit = await syncThroughApi(world.api, token, EXAMPLE_ROWS, {
    syncId: 'sync-0001',
    asOf: '2024-06-30',
  });
  expect(commit.status).toBe(200);
});
afterAll(() => world.close());

describe('the contact log in DynamoDB', () => {
  it('a contact moves the customer’s next contact at once, and the sheet’s rows show it', async () => {
    const before = await dueIds();
    expect(before.length).toBeGreaterThan(1);
    const [first, second] = before;
    const day = today(world.services);
    await logContact(world.services, ORG, first, { kind: 'contacted', channel: 'call' }, ANA, day);
    const after = await dueIds();
    expect(after).not.toContain(first);
    expect(after).toContain(second);
    const customer = (await book()).scored.customers.find((c) => c.customerId === first)!;
    expect(customer.lastContact).toBe(parseDay('2024-07-01'));

    const sheet = await world.api('GET', '/api/contacts', undefined, token);
    expect(sheet.status).toBe(200);
    expect(sheet.body.rows[0]).toEqual([
      'customer_id',
      'last_contact',
      'snoozed_until',
      'channel',
      'outcome',
      'note',
      'by',
      'logged_at',
    ]);
    expect(sheet.body.rows).toContainEqual([
      first,
      '2024-07-01',
      '',
      'call',
      '',
      '',
      'ana',
      '2024-07-01T09:00:00.000Z',
    ]);
  });

  it('a snooze postpones a month; a note with its outcome is kept for the sheet', async () => {
    const [first] = await dueIds();
    const day = today(world.services);
    const state = await logContact(
      world.services,
      ORG,
      first,
      { kind: 'snoozed', length: 'month' },
      ANA,
      day,
    );
    expect(state.snoozedUntil).toBe(day + 30);
    expect(await dueIds()).not.toContain(first);
    const [next] = await dueIds();
    await logContact(
      world.services,
      ORG,
      next,
      {
        kind: 'note',
        note: 'Wants a quote for <b>50</b> units & delivery',
        outcome: 'follow-up',
        channel: 'visit',
      },
      ANA,
      day,
    );
    const rows = (await world.api('GET', '/api/contacts', undefined, token)).body.rows as string[][];
    expect(rows.find((r) => r[0] === first)?.[2]).toBe('2024-07-31');
    expect(rows.find((r) => r[0] === next)?.slice(3, 6)).toEqual([
      'visit',
      'follow-up',
      'Wants a quote for <b>50</b> units & delivery',
    ]);
  });

  it('concurrent writers for one customer never lose an event', async () => {
    const [id] = await dueIds();
    const at = (i: number) => new Date(Date.UTC(2024, 6, 1, 10, i)).toISOString();
    const events = Array.from({ length: 8 }, (_, i) => ({
      ...contactEvent(
        id,
        { kind: 'contacted', channel: 'call' },
        ANA,
        new Date(at(i)),
        parseDay('2024-07-01')!,
      ),
      id: `race-${i}`,
    }));
    await Promise.all(events.map((e) => world.services.contacts.record(ORG, e)));
    const states = await world.services.contacts.states(ORG);
    expect(states.get(id)?.lastContactAt).toBe(at(7));
    expect(await world.services.contacts.customerEvents(ORG, id)).toHaveLength(8);
  });

  it('a state left behind by a failed writer is made whole by the next event', async () => {
    const [id] = await dueIds();
    // An event written, its state never updated (the writer died between the two steps).
    const lost = contactEvent(
      id,
      { kind: 'snoozed', length: 'week' },
      ANA,
      new Date('2024-07-01T11:00:00Z'),
      0,
    );
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update(id).digest('base64url').slice(0, 27);
    await world.services.db.send(
      new PutCommand({
        TableName: world.services.env.tableName,
        Item: { pk: `CONTACTS#${ORG}`, sk: `EVENT#${key}#${lost.at}#${lost.id}`, ...lost },
      }),
    );
    const note = contactEvent(
      id,
      { kind: 'note', note: 'left a voicemail', outcome: 'no-answer', channel: 'call' },
      ANA,
      new Date('2024-07-01T10:30:00Z'),
      parseDay('2024-07-01')!,
    );
    const state = await world.services.contacts.record(ORG, note);
    expect(state.snoozedAt).toBe('2024-07-01T11:00:00.000Z');
    expect(state.note).toBe('left a voicemail');
  });
});
