import { readFileSync, statSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { ROOT } from '../helpers/cli';
import { EXAMPLE_ROWS } from '../helpers/org';
import { loadBundle } from './fakes';

// The built Apps Script bundle, loaded in node:vm with fakes of the services it uses, called the way
// Sheets calls custom functions: 2-D arrays with "", numbers, Dates and strings.
let sheet: ReturnType<typeof loadBundle>;
beforeEach(() => {
  sheet = loadBundle();
});

const d = (iso: string): Date => new Date(`${iso}T00:00:00`);
/** Dates made inside the bundle's V8 context are not `instanceof` this realm's Date. */
const isDate = (value: unknown): boolean => Object.prototype.toString.call(value) === '[object Date]';
/** Eight ordinary customers, so that quantile scores have a population to rank (MIN_RANKED is 10). */
const CROWD = Array.from({ length: 8 }, (_, i) => [
  `K${i}`,
  `Crowd ${i}`,
  d(`2024-0${1 + (i % 5)}-1${i}`),
  d('2023-06-01'),
  2 + (i % 4),
  200 + 50 * i,
]);
const CUSTOMERS = [
  ['customer_id', 'name', 'last_purchase', 'first_purchase', 'orders', 'total_spend'],
  ['C1', 'Acme', d('2024-06-20'), d('2024-01-01'), 12, 9000],
  ['C2', 'Beta', d('2024-03-01'), d('2023-03-01'), 2, 150],
  ['', '', '', '', '', ''],
  ['C3', 'Gamma', d('2024-06-01'), d('2024-05-01'), 'abc', 400],
  ['C4', 'Delta', d('2023-01-01'), d('2022-01-01'), 1, 80],
  ...CROWD,
];

describe('custom functions over ranges', () => {
  it('TIER spills one row per input row, with a header, errors in their own row', () => {
    sheet.callingFormula('=TIER(A1:F6)');
    const out = sheet.gs.TIER(CUSTOMERS, '', '', '');
    expect(out).toHaveLength(CUSTOMERS.length);
    expect(out[0]).toEqual(['Tier', 'Segment', 'Next action', 'Next contact']);
    expect(out[1][0]).toBe('Champions');
    expect(isDate(out[1][3])).toBe(true);
    expect(out[3]).toEqual(['', '', '', '']);
    expect(out[4][0]).toBe('#INVALID: orders "abc" in row 5 (is not a whole number of orders (0 or more))');
    expect(out[4].slice(1)).toEqual(['', '', '']);
    expect(typeof out[5][0]).toBe('string');
  });

  it('takes a transaction log and answers per customer', () => {
    const out = sheet.gs.TIER(EXAMPLE_ROWS, '', '', '');
    expect(out[0]).toEqual(['Customer', 'Tier', 'Segment', 'Next action', 'Next contact']);
    expect(out).toHaveLength(21);
    expect(out.find((r: string[]) => r[0] === 'C001')[1]).toBe('Loyal');
  });

  it('works on a single row with absolute thresholds and named columns', () => {
    const config = getPreset('rfm-segments')!;
    config.scores = {
      scale: 5,
      recency: { method: 'thresholds', cuts: [30, 60, 120, 240] },
      frequency: { method: 'thresholds', cuts: [2, 3, 5, 10] },
      monetary: { method: 'thresholds', cuts: [100, 300, 1000, 3000] },
    };
    const out = sheet.gs.TIER(
      [['C1', 'Acme', d('2024-06-20'), d('2024-01-01'), 12, 9000]],
      JSON.stringify(config),
      d('2024-06-30'),
      'customer_id,name,last_purchase,first_purchase,orders,total_spend',
    );
    expect(out[0].slice(0, 2)).toEqual(['Champions', 'Champions']);
    expect(isDate(out[0][3])).toBe(true);
  });

  it('RFM and NEXT_ACTION give their columns', () => {
    // Eleven readable customers: Acme is better than all the others on every score, so it scores the
    // top (the tie rule in shared/bands.ts).
    expect(sheet.gs.RFM(CUSTOMERS, '', '', '')[1]).toEqual([5, 5, 5, 'Champions']);
    const next = sheet.gs.NEXT_ACTION(CUSTOMERS, '', '', '');
    expect(next[0]).toEqual(['Next action', 'Channel', 'Due', 'Why']);
    expect(next[1][3]).toContain('bought today'); // as of the latest date in the data
  });

  it('CLV and PALIVE fit the probabilistic models on enough data, and say why not on too little', () => {
    const cdnow = readFileSync(`${ROOT}test/fixtures/cdnow/CDNOW_sample.txt`, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((l) => l.trim().split(/\s+/))
      .map(([, id, date, , value]) => [id, date, Number(value)]);
    const log = [['customer_id', 'date', 'amount'], ...cdnow];
    const clv = sheet.gs.CLV(log, d('1997-09-30'), '');
    expect(clv[0]).toEqual(['Customer', 'CLV (12 months, MBG/NBD + Gamma-Gamma)']);
    expect(clv).toHaveLength(2358);
    expect(clv[1][1]).toBeGreaterThan(0);
    const alive = sheet.gs.PALIVE(log, d('1997-09-30'), '');
    expect(alive[1][1]).toBeGreaterThan(0);
    expect(alive[1][1]).toBeLessThanOrEqual(1);
    expect(sheet.gs.PALIVE(CUSTOMERS, '', '')[1][0]).toMatch(/^#SMALL_DATA: only \d+ customers/);
  });

  it('load the CLV model (Clv.html) for CLV and PALIVE only, never for TIER, RFM or NEXT_ACTION', () => {
    sheet = loadBundle();
    sheet.gs.TIER(CUSTOMERS, '', '', '');
    sheet.gs.RFM(CUSTOMERS, '', '', '');
    sheet.gs.NEXT_ACTION(CUSTOMERS, '', '', '');
    expect(sheet.loadedFiles).toEqual([]);
    sheet.gs.PALIVE(CUSTOMERS, '', '');
    sheet.gs.CLV(CUSTOMERS, '', '');
    expect(sheet.loadedFiles).toEqual(['Clv']);
  });

  it('throws for a problem with the whole call, so the cell is an error IFERROR and ISERROR see', () => {
    expect(() => sheet.gs.TIER([[1, 2, 3]], '', '', '')).toThrow(/^Tierwise: the first row is not a header/);
    expect(() => sheet.gs.TIER(CUSTOMERS, 'value-pyramid', '', '')).toThrow(
      /^Tierwise: "value-pyramid" is not a configuration/,
    );
    expect(() => sheet.gs.TIER(CUSTOMERS, '{"schemaVersion":1}', '', '')).toThrow(
      /^Tierwise: the configuration has \d+ problem/,
    );
  });

  it('never returns a tier from a range too small for a ranking configuration', () => {
    // =TIER(A2:F2) filled down: one customer per call, every one of them "Lost" before.
    const oneRow = () => sheet.gs.TIER([CUSTOMERS[1]], '', '', CUSTOMERS[0].join(','));
    expect(oneRow).toThrow(
      /only 1 customers in the range.*at least 10.*pass the whole table.*absolute thresholds/,
    );
    expect(() => sheet.gs.RFM(CUSTOMERS.slice(0, 6), '', '', '')).toThrow(/only 3 customers/);
    // The same row with absolute thresholds is graded (see 'works on a single row' above); so is the whole table.
    expect(sheet.gs.TIER(CUSTOMERS, '', '', '')[1][0]).toBe('Champions');
  });

  it('names columns by header for headers it does not know, from the formula', () => {
    const renamed = [
      ['Client', 'Latest', 'Visits', 'Paid'],
      ...CUSTOMERS.slice(1).map((r) => [r[0], r[2], r[4], r[5]]),
    ];
    expect(() => sheet.gs.TIER(renamed, '', '', '')).toThrow(/no column for/);
    const out = sheet.gs.TIER(renamed, '', '', 'last_purchase=Latest, orders=Visits, total_spend=Paid');
    expect(out[0]).toEqual(['Tier', 'Segment', 'Next action', 'Next contact']);
    expect(out[1][0]).toBe('Champions');
    expect(() => sheet.gs.TIER(renamed, '', '', 'visits=Visits')).toThrow(
      /"visits=Visits" in columns: write field=header/,
    );
  });
});

describe('the config range makes formulas recalculate', () => {
  it('a save writes the config range; the same formula then gives the new tiers', () => {
    const data = sheet.spreadsheet.sheets[0];
    data.fill(CUSTOMERS as never);
    sheet.gs.sidebarState(); // opening the sidebar creates the config sheet the formulas point at
    const configRange = () => sheet.spreadsheet.getRange("'Tierwise Config'!A2:A41").getValues();
    const before = sheet.gs.TIER(CUSTOMERS, configRange(), '', '');
    expect(before[1][0]).toBe('Champions');
    const outcome = sheet.gs.saveConfig(getPreset('value-pyramid'), 0, 'try the pyramid');
    expect(outcome).toMatchObject({ ok: true, saved: { version: 1, note: 'try the pyramid' } });
    // Sheets recalculates a custom function when an argument's value changes: the config range did.
    const after = sheet.gs.TIER(CUSTOMERS, configRange(), '', '');
    expect(after[1][0]).toBe('Platinum');
    expect(sheet.spreadsheet.getSheetByName('Tierwise History')?.hidden).toBe(true);
  });
});

describe('sidebar server functions', () => {
  it('keep versions in the sheet without a backend, refusing a stale save', () => {
    expect(sheet.gs.sidebarState()).toMatchObject({ version: 0, mode: 'sheet', user: 'manager@example.com' });
    expect(sheet.gs.saveConfig(getPreset('value-pyramid'), 0, null).ok).toBe(true);
    const stale = sheet.gs.saveConfig(getPreset('cycle-spend-grid'), 0, null);
    expect(stale).toMatchObject({ ok: false, conflict: { version: 1 } });
    expect(sheet.gs.configHistory().map((v: { version: number }) => v.version)).toEqual([1]);
    expect(sheet.gs.rollbackConfig(1, 1)).toMatchObject({
      ok: true,
      saved: { version: 2, note: 'rollback to version 1' },
    });
  });

  it('refuse a malformed configuration, keeping the previous one', () => {
    const bad = getPreset('rfm-segments')!;
    bad.tiers[0].channel = 'fax' as never;
    expect(sheet.gs.saveConfig(bad, 0, null)).toMatchObject({
      ok: false,
      errors: [{ path: 'tiers[0].channel' }],
    });
    expect(sheet.spreadsheet.getSheetByName('Tierwise History')).toBeNull();
  });

  it('go through the built-in config API with the user’s ID token', () => {
    sheet = loadBundle({ server: true });
    expect(sheet.gs.sidebarState()).toMatchObject({ mode: 'shared', version: 0 });
    expect(sheet.gs.saveConfig(getPreset('value-pyramid'), 0, null)).toMatchObject({
      ok: true,
      saved: { version: 1 },
    });
    expect(sheet.gs.saveConfig(getPreset('risk-revisit'), 0, null)).toMatchObject({
      ok: false,
      conflict: { version: 1 },
    });
    expect(sheet.backend.tokens.every((t) => t === 'google-id-token-of-the-user')).toBe(true);
    expect(sheet.gs.createLinkCode()).toEqual({ code: 'ABCD2345', expiresAt: expect.any(String) });
    sheet.gs.syncChunk('sync-abcdef', 0, 2, EXAMPLE_ROWS[0], EXAMPLE_ROWS.slice(1));
    expect(sheet.gs.syncCommit('sync-abcdef', 1, '2024-06-30')).toMatchObject({ customers: 20 });
    expect(sheet.backend.committed).toEqual({ syncId: 'sync-abcdef', chunks: 1, rows: 100 });
  });

  it('read the sheet’s data with Dates as ISO strings, and add the menu', () => {
    sheet.spreadsheet.sheets[0].fill(CUSTOMERS as never);
    const data = sheet.gs.sheetData();
    expect(data.header[0]).toBe('customer_id');
    expect(data.rows[0][2]).toBe('2024-06-20');
    expect(data.firstRow).toBe(2);
    sheet.gs.onOpen({});
    expect(sheet.ui.menus).toEqual([
      'Open Tierwise',
      'Insert an example',
      'Colour by tier',
      'Due this week',
      'Help',
    ]);
  });
});

describe('the bundle Sheets loads', () => {
  const code = readFileSync(`${ROOT}dist/gas/Code.js`, 'utf8');
  it('declares every custom function at top level with the JSDoc Sheets reads', () => {
    for (const name of ['TIER', 'RFM', 'NEXT_ACTION', 'CLV', 'PALIVE']) {
      expect(code).toMatch(new RegExp(`@customfunction\\n \\*/\\nfunction ${name}\\(`));
    }
  });
  it('stays within 60 KB', () => {
    expect(statSync(`${ROOT}dist/gas/Code.js`).size).toBeLessThanOrEqual(60 * 1024);
  });
  it('asks for the narrowest scopes: no UrlFetch at all without a built-in server', () => {
    const manifest = JSON.parse(readFileSync(`${ROOT}dist/gas/appsscript.json`, 'utf8'));
    expect(manifest.oauthScopes).toContain('https://www.googleapis.com/auth/spreadsheets.currentonly');
    expect(manifest.oauthScopes).not.toContain('https://www.googleapis.com/auth/spreadsheets');
    expect(manifest.oauthScopes).not.toContain('https://www.googleapis.com/auth/script.external_request');
    expect(manifest.urlFetchWhitelist).toBeUndefined();
  });
});

describe('ranges wider than the table', () => {
  it('ignore empty header cells at the end', () => {
    const wide = CUSTOMERS.map((row) => [...row, '', '']);
    const out = loadBundle().gs.TIER(wide, '', '', '');
    expect(out[1][0]).toBe('Champions');
  });
});
