import { describe, expect, it } from 'vitest';
import { type ContactEvent, contactRows, emptyContactState, foldContact, parseDay } from '../../shared';
import { loadBundle } from './fakes';

// The contact log reaches the sheet: a contact logged in Slack (the rows GET /api/contacts sends,
// made by the same shared contactRows) → "Pull the contact log" → the sheet's NEXT_ACTION moves.
const d = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const AS_OF = d('2024-06-30');
const CROWD = Array.from({ length: 10 }, (_, i) => [
  `K${i}`,
  `Crowd ${i}`,
  d(`2024-0${1 + (i % 5)}-1${i % 10}`),
  d('2023-06-01'),
  2 + (i % 4),
  200 + 50 * i,
]);
const HEADER = ['customer_id', 'name', 'last_purchase', 'first_purchase', 'orders', 'total_spend'];
const TABLE = [HEADER, ['C1', 'Acme 🚀 <!channel>', d('2024-03-01'), d('2023-03-01'), 9, 5000], ...CROWD];

function event(customerId: string, day: string, extra: Partial<ContactEvent> = {}): ContactEvent {
  return {
    id: `${customerId}-${day}`,
    customerId,
    at: `${day}T10:00:00.000Z`,
    day: parseDay(day)!,
    by: 'U1',
    byName: 'Ana',
    kind: 'contacted',
    channel: 'call',
    note: null,
    outcome: null,
    until: null,
    ...extra,
  };
}
const logOf = (...events: ContactEvent[]) => {
  const states = new Map<string, ReturnType<typeof emptyContactState>>();
  for (const e of events)
    states.set(e.customerId, foldContact(states.get(e.customerId) ?? emptyContactState(e.customerId), e));
  return contactRows(states.values());
};
const iso = (value: unknown) => (value as Date).toISOString().slice(0, 10);

describe('pullContacts (menu: Pull the contact log)', () => {
  it('moves NEXT_ACTION’s due date on the sheet after a contact logged in Slack', () => {
    const sheet = loadBundle({ server: true });
    const customers = sheet.spreadsheet.sheets[0];
    customers.fill(TABLE as never);
    const dueOf = (id: string) => {
      const values = customers.getDataRange().getValues();
      const out = sheet.gs.NEXT_ACTION(values as never, '', AS_OF as never, '');
      return iso(out[values.findIndex((r) => r[0] === id)][2]);
    };
    const before = dueOf('C1');
    expect(before <= '2024-06-30').toBe(true); // due now: the sheet knows of no contact
    sheet.backend.contacts = logOf(
      event('C1', '2024-06-29', { note: 'Called, wants a quote', outcome: 'follow-up' }),
      event('GONE', '2024-06-28'),
    );
    sheet.gs.onOpen({});
    expect(sheet.ui.menus).toContain('Pull the contact log');
    const pull = sheet.gs.pullContacts() as Record<string, unknown>;
    expect(pull).toMatchObject({ logged: 2, updated: 1, notInTable: 1, added: true, column: 'G1' });
    expect(customers.get(1, 7)).toBe('last_contact');
    expect(iso(customers.get(2, 7))).toBe('2024-06-29');
    expect(customers.get(3, 7)).toBe(''); // nobody logged a contact with K0
    const after = dueOf('C1');
    // The contact day plus C1's tier cadence (30 days), where it was 2024-03-31 (overdue) before.
    expect(after).toBe('2024-07-29');
    expect(after > before).toBe(true);
    // The saved data range grew to the new column; notes are on their own sheet.
    expect(sheet.properties.get('dataRange')).toBe("'Customers'!A1:G12");
    const log = sheet.spreadsheet.getSheetByName('Tierwise Contacts')!;
    expect(log.getDataRange().getValues()[1]).toEqual(sheet.backend.contacts[1]);
    expect(sheet.spreadsheet.toasts[0]).toMatch(
      /1 last_contact dates moved .* 1 logged customers are not in the table/,
    );
  });

  it('keeps a later sheet date, leaves text it cannot read, and refuses to overwrite a neighbour', () => {
    const sheet = loadBundle({ server: true });
    const customers = sheet.spreadsheet.sheets[0];
    customers.fill([
      [...HEADER, 'last_contact'],
      ['C1', 'Acme', d('2024-03-01'), d('2023-03-01'), 9, 5000, d('2024-06-30')],
      ['C2', 'Beta', d('2024-03-01'), d('2023-03-01'), 9, 5000, 'soon'],
      ['C3', 'Gamma', d('2024-03-01'), d('2023-03-01'), 9, 5000, d('2024-01-01')],
    ] as never);
    sheet.backend.contacts = logOf(
      event('C1', '2024-06-01'),
      event('C2', '2024-06-01'),
      event('C3', '2024-06-01'),
    );
    const pull = sheet.gs.pullContacts() as Record<string, unknown>;
    expect(pull).toMatchObject({ logged: 3, updated: 1, unreadable: 1, added: false, column: 'G1' });
    expect(iso(customers.get(2, 7))).toBe('2024-06-30');
    expect(customers.get(3, 7)).toBe('soon');
    expect(iso(customers.get(4, 7))).toBe('2024-06-01');

    const other = loadBundle({ server: true });
    other.spreadsheet.sheets[0].fill([
      HEADER,
      ['C1', 'Acme', d('2024-03-01'), d('2023-03-01'), 9, 5000],
    ] as never);
    other.spreadsheet.sheets[0].set(2, 8, 'kept'); // something right of the table, a column over
    other.spreadsheet.sheets[0].set(2, 7, '=TIER(A1:F2)');
    other.backend.contacts = logOf(event('C1', '2024-06-01'));
    expect(() => other.gs.pullContacts()).toThrow(/no last_contact column .*G1.* is not empty/);
    expect(other.spreadsheet.sheets[0].get(2, 7)).toBe('=TIER(A1:F2)');
  });

  it('speaks the spreadsheet’s language', () => {
    const sheet = loadBundle({ server: true, locale: 'zh_CN' });
    sheet.spreadsheet.sheets[0].fill(TABLE as never);
    sheet.backend.contacts = logOf(event('C1', '2024-06-29'));
    sheet.gs.onOpen({});
    expect(sheet.ui.menus).toContain('拉取联系记录');
    sheet.gs.pullContacts();
    expect(sheet.spreadsheet.toasts[0]).toMatch(
      /^1 个有联系记录的客户中，1 个的 last_contact 已更新。 已在 G1 添加/,
    );
  });

  it('is not in the menu of a sheet-only build', () => {
    const sheet = loadBundle();
    sheet.gs.onOpen({});
    expect(sheet.ui.menus).not.toContain('Pull the contact log');
  });
});
