import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyContacts,
  type ContactEvent,
  type ContactState,
  contactRows,
  dayFromParts,
  emptyContactState,
  foldContact,
  isoDate,
  parseCustomerTable,
  parseDay,
  planContacts,
  scoreBook,
  type TierwiseConfig,
  urgency,
} from '../../shared';

const asOf = dayFromParts(2024, 7, 1)!; // a Monday
const day = (offset: number) => isoDate(asOf + offset);

/** Three tiers read from a "grade" column: weekly, monthly, and left alone (contact only on request). */
const CONFIG: TierwiseConfig = {
  schemaVersion: 1,
  name: 'due-test',
  locale: 'en',
  scores: {
    scale: 3,
    recency: { method: 'quantile' },
    frequency: { method: 'quantile' },
    monetary: { method: 'quantile' },
  },
  tiers: [
    { key: 'weekly', label: 'Weekly', action: 'Call', cadenceDays: 7, channel: 'call' },
    { key: 'monthly', label: 'Monthly', action: 'Mail', cadenceDays: 30, channel: 'email' },
    { key: 'alone', label: 'Alone', action: 'Leave them be', cadenceDays: 0, channel: 'none' },
  ],
  model: {
    kind: 'rules',
    rules: [
      { when: { grade: [1, 1] }, is: 'weekly' },
      { when: { grade: [2, 2] }, is: 'monthly' },
      { when: { grade: [3, 3] }, is: 'alone' },
    ],
  },
};

const HEADER = ['customer_id', 'owner', 'last_purchase', 'orders', 'total_spend', 'grade'];

/** Customers with one purchase each, so no purchase cycle interferes: due = last purchase + cadence. */
function bookOf(rows: unknown[][]) {
  const { customers, rejected } = parseCustomerTable({ header: HEADER, rows }, { asOf });
  expect(rejected).toEqual([]);
  return scoreBook(customers, CONFIG, { asOf });
}

const ids = (entries: { result: { customerId: string } }[]) => entries.map((e) => e.result.customerId);

describe('the week’s contact plan', () => {
  // Due dates: small-weekly today; big-monthly 10 days late; mid-weekly 14 days late;
  // backlog-monthly 200 days late; alone never; next-week-monthly in 9 days; soon-weekly in 3 days.
  const book = bookOf([
    ['small-weekly', 'ana', day(-7), 1, 1000, 1],
    ['big-monthly', 'ana', day(-40), 1, 10000, 2],
    ['mid-weekly', 'bo', day(-21), 1, 5000, 1],
    ['backlog-monthly', 'ana', day(-230), 1, 90000, 2],
    ['alone', 'ana', day(-400), 1, 50000, 3],
    ['next-week-monthly', 'ana', day(-21), 1, 70000, 2],
    ['soon-weekly', 'ana', day(-4), 1, 2000, 1],
  ]);

  it('orders by value at risk × how late, worked by hand', () => {
    // priorities: mid 5000 × (1 + 14/7) = 15000; big 10000 × (1 + 10/30) = 13333;
    // soon 2000 / (1 + 3/7) = 1400; small 1000 × 1 = 1000.
    const plan = planContacts(book);
    expect(ids(plan.entries)).toEqual(['mid-weekly', 'big-monthly', 'soon-weekly', 'small-weekly']);
    expect(plan.entries[0]).toMatchObject({ daysOverdue: 14, value: 5000, priority: 15000 });
    expect(plan.entries[1].priority).toBeCloseTo(13333.33, 1);
  });

  it('folds months-old backlog into a separate list and never lists tiers left alone', () => {
    const plan = planContacts(book);
    expect(ids(plan.longOverdue)).toEqual(['backlog-monthly']);
    expect(plan.longOverdue[0].daysOverdue).toBe(200);
    expect(plan.leftAlone).toBe(1);
    expect(ids(plan.entries)).not.toContain('alone');
    expect(ids(plan.entries)).not.toContain('next-week-monthly'); // due in 9 days: not this week
  });

  it('keeps to one owner', () => {
    const plan = planContacts(book, { owner: (o) => o === 'bo' });
    expect(ids(plan.entries)).toEqual(['mid-weekly']);
    expect(plan.leftAlone).toBe(0);
  });

  it('a contact today moves the next contact a cadence on, and the customer off the list', () => {
    const states = new Map<string, ContactState>([
      ['big-monthly', contacted('big-monthly', asOf)],
      ['mid-weekly', contacted('mid-weekly', asOf)],
    ]);
    const after = planContacts(applyContacts(book, states));
    expect(ids(after.entries)).toEqual(['soon-weekly', 'small-weekly']);
    const customers = applyContacts(book, states).customers;
    expect(customers.find((c) => c.customerId === 'big-monthly')?.lastContact).toBe(asOf);
  });

  it('a snooze postpones to its day; a contact after the snooze ends it', () => {
    const snoozed = foldContact(emptyContactState('big-monthly'), {
      ...event('big-monthly', '2024-07-01T10:00:00Z', 'snoozed'),
      until: asOf + 30,
    });
    const plan = planContacts(applyContacts(book, new Map([['big-monthly', snoozed]])));
    expect(ids(plan.entries)).not.toContain('big-monthly');
    // Contacted the next day: the cadence counts from the contact, not the snooze.
    const later = foldContact(snoozed, {
      ...event('big-monthly', '2024-07-02T08:00:00Z', 'contacted'),
      day: asOf + 1,
    });
    const customer = applyContacts(book, new Map([['big-monthly', later]])).customers[1];
    expect(customer.snoozedUntil).toBeNull();
    expect(customer.lastContact).toBe(asOf + 1);
  });

  it('a tier drop makes a customer due today until someone acts on it', () => {
    const previous = ['weekly', 'weekly', null, null, null, 'weekly', null]; // next-week-monthly fell
    const plan = planContacts(book, { previousTiers: previous, syncedOn: asOf });
    const dropped = plan.entries.find((e) => e.result.customerId === 'next-week-monthly');
    expect(dropped).toMatchObject({ reason: 'tier-dropped', due: asOf, daysOverdue: 0 });
    const settled = planContacts(
      applyContacts(book, new Map([['next-week-monthly', contacted('next-week-monthly', asOf)]])),
      { previousTiers: previous, syncedOn: asOf },
    );
    expect(ids(settled.entries)).not.toContain('next-week-monthly');
  });

  it('an overdue purchase cycle is settled by a contact made since it became overdue', () => {
    const { customers } = parseCustomerTable(
      {
        header: ['customer_id', 'first_purchase', 'last_purchase', 'orders', 'total_spend', 'grade'],
        rows: [['cycler', day(-100), day(-60), 5, 500, 2]], // buys every 10 days, 60 days ago
      },
      { asOf },
    );
    const cycling = scoreBook(customers, CONFIG, { asOf });
    expect(planContacts(cycling).entries[0]).toMatchObject({ reason: 'cycle-overdue', due: asOf - 30 });
    const after = planContacts(applyContacts(cycling, new Map([['cycler', contacted('cycler', asOf)]])));
    expect(after.entries).toEqual([]);
  });
});

describe('urgency', () => {
  it('is 1 on the due day, +1 per cadence late, below 1 ahead, and never falls as lateness grows', () => {
    expect(urgency(0, 30)).toBe(1);
    expect(urgency(30, 30)).toBe(2);
    expect(urgency(-30, 30)).toBe(0.5);
    fc.assert(
      fc.property(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 1, max: 400 }), (late, cadence) => {
        expect(urgency(late + 1, cadence)).toBeGreaterThan(urgency(late, cadence));
        expect(urgency(late, cadence)).toBeGreaterThan(0);
      }),
    );
  });
});

function event(customerId: string, at: string, kind: ContactEvent['kind']): ContactEvent {
  return {
    id: `${customerId}-${at}-${kind}`,
    customerId,
    at,
    day: parseDay(at)!,
    by: 'U0ANA',
    byName: 'ana',
    kind,
    channel: kind === 'snoozed' ? null : 'call',
    note: null,
    outcome: null,
    until: null,
  };
}

const contacted = (id: string, on: number): ContactState =>
  foldContact(emptyContactState(id), { ...event(id, `${isoDate(on)}T09:00:00Z`, 'contacted'), day: on });

describe('the contact log fold', () => {
  const anEvent = fc.record({
    kind: fc.constantFrom<ContactEvent['kind']>('contacted', 'snoozed', 'note'),
    minute: fc.integer({ min: 0, max: 100_000 }),
    note: fc.option(fc.string({ maxLength: 5 })),
    until: fc.integer({ min: 0, max: 60 }),
  });
  const toEvent = (
    e: { kind: ContactEvent['kind']; minute: number; note: string | null; until: number },
    i: number,
  ) => {
    const at = new Date(Date.UTC(2024, 6, 1) + e.minute * 60_000 + i).toISOString();
    return {
      ...event('c1', at, e.kind),
      id: `e${i}`,
      note: e.kind === 'note' ? e.note : null,
      until: e.kind === 'snoozed' ? asOf + e.until : null,
    };
  };

  it('gives the same state whatever order and however often the events arrive', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { minLength: 1, maxLength: 12 }), fc.integer(), (raw, seed) => {
        const events = raw.map(toEvent);
        const shuffled = [...events, ...events.slice(0, 2)].sort(
          (a, b) => (hash(a.id, seed) - hash(b.id, seed)) | 0 || 0,
        );
        const inOrder = events.reduce(foldContact, emptyContactState('c1'));
        expect(shuffled.reduce(foldContact, emptyContactState('c1'))).toEqual(inOrder);
      }),
    );
  });

  it('never moves a sheet’s later last contact back', () => {
    const book = bookOf([['c1', 'ana', day(-3), 1, 10, 2]]);
    const withSheetContact = { ...book, customers: [{ ...book.customers[0], lastContact: asOf }] };
    const older = contacted('c1', asOf - 5);
    expect(applyContacts(withSheetContact, new Map([['c1', older]])).customers[0].lastContact).toBe(asOf);
  });

  it('becomes sheet rows, header first, customers in id order', () => {
    const rows = contactRows([contacted('zed', asOf), { ...contacted('acme', asOf - 1), note: 'a=b, "q"' }]);
    expect(rows[0]).toEqual([
      'customer_id',
      'last_contact',
      'snoozed_until',
      'channel',
      'outcome',
      'note',
      'by',
      'logged_at',
    ]);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).toEqual([
      ['acme', '2024-06-30', ''],
      ['zed', '2024-07-01', ''],
    ]);
    expect(rows[1][5]).toBe('a=b, "q"');
  });
});

const hash = (text: string, seed: number): number => {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h;
};
