import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HoldoutCheck, isoDate, parseDay, parseTransactions, validateHoldout } from '../../shared';
import { cdnowTable } from '../helpers/data';
import { EXAMPLE_ROWS } from '../helpers/org';
import { simulateLog } from '../helpers/simulate';
import { loadBundle, midnight } from './fakes';

// The sidebar's "Check the CLV model" through the built bundle in node:vm: Code.js's holdoutCheck
// reads the sheet in Server.html and fits in Clv.html. The sheet is in Shanghai (UTC+8): Sheets hands
// its date cells over as midnight there, 16:00 UTC the day before, so a reading in the script's zone
// (UTC here) would move every purchase a day early and across the calibration end.

let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = 'Etc/UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const ZONE = 'Asia/Shanghai';
type Sheet = ReturnType<typeof loadBundle>;
type Checked = { kind: 'checked'; range: string; check: HoldoutCheck; rejected: number };

/** A transaction log in the sheet, dates as the Date cells Sheets passes (midnight in the sheet's zone). */
function sheetWith(rows: (string | number)[][], zone = ZONE): Sheet {
  const sheet = loadBundle({ timeZone: zone });
  sheet.spreadsheet.sheets[0].fill([
    ['customer_id', 'date', 'amount'],
    ...rows.map(([id, day, amount]) => [
      id,
      parseDay(day) === null ? day : midnight(String(day), zone),
      amount,
    ]),
  ]);
  return sheet;
}

/** The CDNOW log with ISO dates (the fixture has YYYYMMDD). */
const cdnowRows = () =>
  cdnowTable().rows.map(([id, date, amount]) => [
    String(id),
    isoDate(parseDay(String(date))!),
    Number(amount),
  ]);

const check = (sheet: Sheet, calibrationEnd: string | null, holdoutEnd: string | null): Checked =>
  sheet.gs.holdoutCheck(calibrationEnd, holdoutEnd) as unknown as Checked;

describe('holdoutCheck on CDNOW in a Shanghai spreadsheet', () => {
  let sheet: Sheet;
  let answer: Checked;
  beforeAll(() => {
    sheet = sheetWith(cdnowRows());
    answer = check(sheet, null, null); // the default split: the first half of the data
  });

  it('splits at the middle of the data by default: the published calibration end 1997-09-30', () => {
    expect(answer.kind).toBe('checked');
    expect(answer.rejected).toBe(0);
    expect(answer.check.kind).toBe('ok');
    if (answer.check.kind !== 'ok') return;
    const { options, customers, errors } = answer.check.validation;
    expect([isoDate(options.calibrationEnd), isoDate(options.holdoutEnd)]).toEqual([
      '1997-09-30',
      '1998-06-30',
    ]);
    expect(options).toMatchObject({ model: 'mbgnbd', unit: 'week' });
    expect(customers).toBe(2357);
    // 1,882 repeat purchase days in the holdout, as in the paper's data (and `tierwise validate`).
    expect(errors!.actualTotal).toBe(1882);
  });

  it('gives what the core gives on the same log, figure for figure', () => {
    if (answer.check.kind !== 'ok') throw new Error(answer.check.kind);
    const { log } = parseTransactions(cdnowTable());
    const core = validateHoldout(log, { ...answer.check.validation.options });
    expect(answer.check.validation.byFrequency).toEqual(core.byFrequency);
    expect(answer.check.validation.tracking).toEqual(core.tracking);
  });

  it('loads the server and the CLV bundles only for this call', () => {
    expect(sheet.loadedFiles).toEqual(['Server', 'Clv']);
  });

  it('says when a date is outside the data, before fitting anything', () => {
    const early = check(sheet, '1996-12-31', '1998-06-30');
    expect(early.check).toMatchObject({ kind: 'dates', problem: 'calibration-before-data' });
    const late = check(sheet, '1997-09-30', '1998-07-01');
    expect(late.check).toMatchObject({ kind: 'dates', problem: 'holdout-after-data' });
    if (late.check.kind !== 'dates') return;
    expect([isoDate(late.check.span.first), isoDate(late.check.span.last)]).toEqual([
      '1997-01-01',
      '1998-06-30',
    ]);
    expect(check(sheet, '1998-06-30', '1998-06-30').check).toMatchObject({ kind: 'dates', problem: 'order' });
    expect(check(sheet, '1998-06-30', '1998-07-30').check).toMatchObject({
      kind: 'dates',
      problem: 'calibration-after-data',
    });
  });

  it('refuses a date that is not one, naming it', () => {
    expect(() => check(sheet, '1997-13-01', null)).toThrow('calibration end "1997-13-01" is not a date');
  });
});

describe('holdoutCheck states', () => {
  it('too little history: the 20-customer example', () => {
    const sheet = loadBundle({ timeZone: ZONE });
    sheet.spreadsheet.sheets[0].fill(EXAMPLE_ROWS);
    const answer = check(sheet, null, null);
    expect(answer.check).toMatchObject({ kind: 'too-little', need: { minCustomers: 200 } });
    if (answer.check.kind === 'too-little') expect(answer.check.size.customers).toBeLessThan(20);
  });

  it('a fit that fails: everyone alike, so the heterogeneity runs to the boundary', () => {
    const { rows } = simulateLog({
      customers: 600,
      start: parseDay('2024-01-01')!,
      joinDays: 84,
      days: 273,
      rate: () => 2 / 7,
      dropout: () => 0.1,
      spend: () => 25,
      seed: 3,
    });
    const answer = check(sheetWith(rows), null, null);
    expect(answer.check.kind).toBe('fit-failed');
    if (answer.check.kind !== 'fit-failed') return;
    expect(answer.check.validation.fit).toMatchObject({ ok: false, model: 'mbgnbd' });
    expect(answer.check.validation.fit.ok || answer.check.validation.fit.reason).toMatch(
      /ran to the boundary/,
    );
  });

  it('a customer table cannot be checked: it has no purchase dates', () => {
    const sheet = loadBundle();
    sheet.spreadsheet.sheets[0].fill([
      ['customer_id', 'last_purchase', 'orders', 'total_spend'],
      ['C1', '2024-06-01', 3, 300],
    ]);
    expect(check(sheet, null, null)).toEqual({ kind: 'not-a-log', range: "'Customers'!A1:D2" });
  });

  it('counts the rows it could not read and checks the rest', () => {
    const rows = cdnowRows();
    rows.splice(10, 0, ['X1', 'soon', 12], ['X2', '1997-03-01', 'lots']);
    const answer = check(sheetWith(rows), '1997-09-30', '1998-06-30') as Checked & {
      firstRejected: { row: number; column: string }[];
    };
    expect(answer.rejected).toBe(2);
    expect(answer.firstRejected.map((p) => [p.row, p.column])).toEqual([
      [12, 'date'],
      [13, 'amount'],
    ]);
    expect(answer.check.kind).toBe('ok');
  });
});
