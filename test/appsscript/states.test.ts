import { describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { EXAMPLE_ROWS } from '../helpers/org';
import { FakeBackend, loadBundle } from './fakes';

// The sidebar's states: every dead end of the old sidebar ("Tierwise could not start") is now a state
// the server describes with the way forward, and the config range's drift is detected and fixed.

const customers = [
  ['Customer ID', 'Last Purchase Date', '# Orders', 'Total Spend ($)'],
  ...Array.from({ length: 12 }, (_, i) => [
    `C${i}`,
    `2024-06-${String(10 + i).padStart(2, '0')}`,
    1 + i,
    100 * (i + 1),
  ]),
];

describe('dead ends become states with a way forward', () => {
  it('a blank spreadsheet: insert the example or choose the range, and the example works at once', () => {
    const sheet = loadBundle();
    const state = sheet.gs.sidebarState();
    expect(state.data).toEqual({ kind: 'blank', range: "'Customers'!A1" });
    expect(state.next).toEqual(['insert-example', 'choose-range', 'read-help']);
    expect(state).toMatchObject({ canSave: true, server: { kind: 'none' }, drift: { kind: 'in-sync' } });
    const example = sheet.gs.insertExample();
    expect(example).toMatchObject({ kind: 'ready', range: "'Tierwise example'!A1:F41", rows: 40 });
    const tab = sheet.spreadsheet.getSheetByName('Tierwise example')!;
    expect(tab.get(1, 8)).toBe("=TIER(A1:F41,'Tierwise Config'!A2:A41)");
    // The formula it wrote gives tiers over its data and the config range it created.
    const data = tab.getRange('A1:F41').getValues();
    const config = sheet.spreadsheet.getRange("'Tierwise Config'!A2:A41").getValues();
    const tiers = sheet.gs.TIER(data, config, '', '');
    expect(tiers).toHaveLength(41);
    expect(new Set(tiers.slice(1).map((r: string[]) => r[0])).size).toBeGreaterThan(3);
    expect(sheet.gs.sidebarState()).toMatchObject({ data: { kind: 'ready' }, next: [] });
  });

  it('a dashboard on the first tab: says what is missing and where a customer table is', () => {
    const sheet = loadBundle();
    sheet.spreadsheet.sheets[0].name = 'Dashboard';
    sheet.spreadsheet.sheets[0].fill([
      ['Q2 revenue', 'Target'],
      [120000, 150000],
    ]);
    sheet.spreadsheet.insertSheet('Notes').fill([['Meeting notes'], ['call Acme']]);
    sheet.spreadsheet.insertSheet('Clients').fill(customers as never);
    const state = sheet.gs.sidebarState();
    expect(state.data).toMatchObject({
      kind: 'not-a-table',
      range: "'Dashboard'!A1:B2",
      header: ['Q2 revenue', 'Target'],
      candidates: ["'Clients'!A1:D13"],
    });
    expect(state.data.problem).toMatch(/no column for customerId.*"Q2 revenue"/);
    expect(state.next).toEqual(['choose-range', 'insert-example', 'read-help']);
    expect(() => sheet.gs.sheetData()).toThrow(/Dashboard.*no column for customerId/);
    // Choosing the candidate (or selecting one cell of it) makes it the data.
    sheet.select("'Clients'!B3");
    expect(sheet.gs.setDataRange(null)).toMatchObject({ kind: 'ready', range: "'Clients'!A1:D13", rows: 12 });
    expect(sheet.gs.sheetData().header).toEqual(customers[0]);
    // A range that is not a table is not remembered.
    expect(sheet.gs.setDataRange("'Notes'!A1:A2")).toMatchObject({ kind: 'not-a-table' });
    expect(sheet.gs.sidebarState().data.range).toBe("'Clients'!A1:D13");
  });

  it('a 403: not a member, with the user to add; the formulas’ configuration shown read-only', () => {
    const sheet = loadBundle({ server: true });
    sheet.backend.handle = () => ({ status: 403, body: { error: 'manager@example.com is not a member' } });
    const state = sheet.gs.sidebarState();
    expect(state.server).toEqual({
      kind: 'not-member',
      url: 'https://tierwise-test.lambda-url.us-east-1.on.aws',
      user: 'manager@example.com',
      status: 403,
      detail: 'manager@example.com is not a member',
    });
    expect(state).toMatchObject({ canSave: false, version: 0, mode: 'shared' });
    expect(state.config.name).toBe(getPreset('rfm-segments')!.name);
    expect(state.next).toContain('ask-admin');
  });

  it('an unreachable server and a failing one: retry, nothing thrown', () => {
    const sheet = loadBundle({ server: true });
    sheet.spreadsheet.sheets[0].fill(customers as never);
    sheet.backend.handle = () => {
      throw new Error('Address unavailable');
    };
    expect(sheet.gs.sidebarState()).toMatchObject({
      server: { kind: 'unreachable', detail: expect.stringContaining('Address unavailable') },
      canSave: false,
      next: ['retry', 'read-help'],
    });
    sheet.backend.handle = () => ({ status: 502, body: { error: 'Bad gateway' } });
    expect(sheet.gs.sidebarState()).toMatchObject({
      server: { kind: 'failed', status: 502, detail: 'Bad gateway' },
      next: ['retry', 'read-help'],
    });
  });

  it('speaks the spreadsheet’s language and zone before anything is saved', () => {
    const sheet = loadBundle({ locale: 'zh_CN', timeZone: 'Asia/Shanghai' });
    expect(sheet.gs.sidebarState()).toMatchObject({ locale: 'zh', timeZone: 'Asia/Shanghai' });
    sheet.gs.onOpen({});
    expect(sheet.ui.menus[0]).toBe('打开 Tierwise');
  });
});

describe('the config range never drifts unseen', () => {
  const config = () => (sheet: ReturnType<typeof loadBundle>) =>
    sheet.spreadsheet.getRange("'Tierwise Config'!A2:A41").getValues();

  it('two spreadsheets of one organisation: a save in one shows as "behind" in the other, and refreshes', () => {
    const backend = new FakeBackend();
    const first = loadBundle({ server: true, backend });
    const second = loadBundle({ server: true, backend });
    for (const s of [first, second]) s.spreadsheet.sheets[0].fill(customers as never);
    expect(first.gs.sidebarState().drift).toEqual({ kind: 'in-sync' });
    expect(second.gs.sidebarState().drift).toEqual({ kind: 'in-sync' });
    expect(first.gs.saveConfig(getPreset('value-pyramid'), 0, null)).toMatchObject({ ok: true });
    const state = second.gs.sidebarState();
    expect(state.drift).toEqual({ kind: 'behind', rangeVersion: 0, currentVersion: 1 });
    expect(state.next).toContain('refresh-config');
    // The second spreadsheet's formulas still give the old tiers until it refreshes.
    const read = config();
    expect(second.gs.TIER(customers, read(second), '', '')[1][0]).not.toMatch(/Platinum|Gold|Silver|Bronze/);
    expect(second.gs.refreshConfig()).toEqual({ kind: 'in-sync' });
    expect(second.gs.TIER(customers, read(second), '', '')[12][0]).toBe('Platinum');
  });

  it('a hand edit that still reads is shown with its configuration; restore puts the saved version back', () => {
    const sheet = loadBundle();
    sheet.spreadsheet.sheets[0].fill(customers as never);
    sheet.gs.saveConfig(getPreset('value-pyramid'), 0, null);
    const edited = getPreset('value-pyramid')!;
    edited.tiers[0].label = 'Diamond';
    sheet.spreadsheet.getRange("'Tierwise Config'!A2").setValue(JSON.stringify(edited));
    const state = sheet.gs.sidebarState();
    expect(state.drift).toMatchObject({ kind: 'hand-edited', rangeVersion: 1 });
    expect(state.drift.config.tiers[0].label).toBe('Diamond');
    expect(state.next).toEqual(['keep-hand-edit', 'restore-last-good', 'read-help']);
    expect(sheet.gs.restoreLastGood()).toEqual({ kind: 'in-sync' });
    expect(config()(sheet).flat().join('')).not.toContain('Diamond');
  });

  it('a broken hand edit: formulas show an error ISERROR sees, the sidebar notices, restore fixes both', () => {
    const sheet = loadBundle();
    sheet.spreadsheet.sheets[0].fill(customers as never);
    sheet.gs.saveConfig(getPreset('value-pyramid'), 0, null);
    sheet.spreadsheet.getRange("'Tierwise Config'!A2").setValue('{"schemaVersion": 1, oops');
    expect(() => sheet.gs.TIER(customers, config()(sheet), '', '')).toThrow(/restore the last good version/);
    expect(sheet.gs.sidebarState().drift).toMatchObject({ kind: 'broken', rangeVersion: 1 });
    expect(sheet.gs.restoreLastGood()).toEqual({ kind: 'in-sync' });
    expect(sheet.gs.TIER(customers, config()(sheet), '', '')[12][0]).toBe('Platinum');
  });

  it('saves take the document lock, and the config sheet is protected for real where the user may', () => {
    const sheet = loadBundle();
    sheet.gs.sidebarState();
    const protection = sheet.spreadsheet.getSheetByName('Tierwise Config')!.protection!;
    expect(protection).toMatchObject({
      editors: ['manager@example.com'],
      domainEdit: false,
      warningOnly: false,
    });
    // Another editor holds the lock: the save says so and writes nothing.
    const lock = (sheet.gs as unknown as { LockService: { getDocumentLock(): { tryLock(): boolean } } })
      .LockService;
    expect(lock.getDocumentLock().tryLock()).toBe(true);
    expect(() => sheet.gs.saveConfig(getPreset('value-pyramid'), 0, null)).toThrow(
      /another editor is saving/,
    );
    expect(sheet.gs.configHistory()).toEqual([]);
  });

  it('falls back to a warning where the user may not restrict editors', () => {
    const sheet = loadBundle();
    const original = sheet.spreadsheet.insertSheet.bind(sheet.spreadsheet);
    sheet.spreadsheet.insertSheet = (name: string) => {
      const tab = original(name);
      const protect = tab.protect.bind(tab);
      tab.protect = () => {
        const p = protect();
        p.removeEditors = () => {
          throw new Error('You do not have permission');
        };
        return p;
      };
      return tab;
    };
    sheet.gs.sidebarState();
    expect(sheet.spreadsheet.getSheetByName('Tierwise Config')!.protection!.warningOnly).toBe(true);
  });
});

describe('first-run views', () => {
  it('colours the Tier column by tier, replacing its own rules', () => {
    const sheet = loadBundle();
    sheet.spreadsheet.sheets[0].fill([...EXAMPLE_ROWS.slice(0, 3)] as never);
    sheet.gs.insertExample();
    const tab = sheet.spreadsheet.getSheetByName('Tierwise example')!;
    tab.set(1, 8, 'Tier'); // what the spilled TIER header shows
    sheet.select("'Tierwise example'!H1");
    const first = sheet.gs.formatByTier();
    expect(first).toEqual({ rules: 11, range: "'Tierwise example'!H2:H41" });
    sheet.gs.formatByTier();
    expect(tab.rules).toHaveLength(11);
    expect(tab.rules[0]).toMatchObject({ text: 'Champions', background: '#b7e1cd' });
  });
});
