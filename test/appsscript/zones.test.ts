import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerAction, defaultConfig, intakeBook, isoDate, parseDay, scoreBook } from '../../shared';
import { loadBundle, midnight } from './fakes';

// Dates in the spreadsheet's time zone, as issue 9 asks: the script runs in the manifest's zone
// (Etc/UTC: this process's TZ here), Sheets hands date cells over as midnight in the spreadsheet's zone
// and shows returned Dates in that zone. Three spreadsheets — UTC−8 (−7 in summer), UTC+1 (+2), UTC+8 —
// each get the same calendar days back that they put in. With local getters, Los Angeles saw every
// "Next contact" a day early and Berlin and Shanghai read every date a day early.

const ZONES = ['America/Los_Angeles', 'Europe/Berlin', 'Asia/Shanghai'];
let savedTz: string | undefined;
beforeAll(() => {
  savedTz = process.env.TZ;
  process.env.TZ = 'Etc/UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

/** The calendar day an instant shows in `zone`, as YYYY-MM-DD. */
const dayIn = (date: Date, zone: string): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);

// Winter and summer days, so daylight saving is crossed in both hemispheres' sense of it.
const ROWS: [string, string, string, number, number][] = [
  ['C1', '2024-06-20', '2024-01-01', 12, 9000],
  ['C2', '2024-03-01', '2023-03-01', 2, 150],
  ['C3', '2024-06-30', '2024-05-01', 4, 400],
  ['C4', '2023-12-31', '2022-01-01', 1, 80],
  ['C5', '2024-03-31', '2023-10-29', 3, 700],
  ['C6', '2024-01-15', '2023-06-01', 5, 1200],
  ['C7', '2024-05-05', '2024-02-29', 2, 260],
  ['C8', '2024-06-01', '2023-11-03', 7, 2100],
  ['C9', '2024-02-10', '2023-08-20', 1, 90],
  ['C10', '2024-04-22', '2024-04-01', 3, 330],
  ['C11', '2023-11-05', '2023-03-26', 2, 120],
];
const HEADER = ['customer_id', 'last_purchase', 'first_purchase', 'orders', 'total_spend'];

/** What the core says, from ISO days alone (no Date, no zone): the truth every zone must show. */
function expected() {
  const intake = intakeBook({ header: HEADER, rows: ROWS }, { asOf: parseDay('2024-06-30')! });
  const book = scoreBook(intake.customers, defaultConfig('en'), { asOf: parseDay('2024-06-30')! });
  return ROWS.map((_, i) => {
    const due = customerAction(book, i).nextContactDue;
    return due === null ? null : isoDate(due);
  });
}

describe.each(ZONES)('a spreadsheet in %s', (zone) => {
  const sheetRows = () => [
    HEADER,
    ...ROWS.map(([id, last, first, n, spend]) => [id, midnight(last, zone), midnight(first, zone), n, spend]),
  ];

  it('runs with only what Apps Script provides', () => {
    const sheet = loadBundle({ timeZone: zone });
    for (const name of ['setTimeout', 'TextEncoder', 'URL', 'fetch', 'structuredClone', 'process', 'Buffer'])
      expect(vm.runInContext(`typeof ${name}`, sheet.gs as unknown as vm.Context)).toBe('undefined');
  });

  it('TIER and NEXT_ACTION read and write the days the spreadsheet shows', () => {
    const sheet = loadBundle({ timeZone: zone });
    const tier = sheet.gs.TIER(sheetRows(), '', '', '');
    const truth = expected();
    expect(truth.filter(Boolean).length).toBeGreaterThan(5);
    tier.slice(1).forEach((row: unknown[], i: number) => {
      const shown = row[3] === '' ? null : dayIn(row[3] as Date, zone);
      expect(shown).toBe(truth[i]);
      // Written as midnight there, so the cell holds a date, not a date and a time.
      if (row[3] !== '') expect((row[3] as Date).getTime()).toBe(midnight(shown!, zone).getTime());
    });
    // Read right: C3 bought on the as-of date, C1 ten days before it.
    const why = sheet.gs.NEXT_ACTION(sheetRows(), '', midnight('2024-06-30', zone), '');
    expect(why[3][3]).toMatch(/^bought today/);
    expect(why[1][3]).toMatch(/^bought 10 days ago/);
  });

  it('hands the sidebar the same days as ISO text', () => {
    const sheet = loadBundle({ timeZone: zone });
    sheet.spreadsheet.sheets[0].fill(sheetRows() as never);
    const data = sheet.gs.sheetData();
    expect(data.rows.map((r: string[]) => [r[1], r[2]])).toEqual(ROWS.map((r) => [r[1], r[2]]));
    expect(sheet.gs.sidebarState().timeZone).toBe(zone);
  });

  it('writes the example and the due list as whole days in the spreadsheet’s zone', () => {
    const sheet = loadBundle({ timeZone: zone });
    sheet.gs.insertExample();
    const example = sheet.spreadsheet.getSheetByName('Tierwise example')!;
    for (let row = 2; row <= 41; row++) {
      const last = example.get(row, 3) as Date;
      expect(last.getTime()).toBe(midnight(dayIn(last, zone), zone).getTime());
    }
    const due = sheet.gs.dueThisWeek();
    expect(due.rows).toBeGreaterThan(0);
    const list = sheet.spreadsheet.getSheetByName('Due this week')!;
    const first = list.get(2, 6) as Date;
    expect(first.getTime()).toBe(midnight(dayIn(first, zone), zone).getTime());
    expect(String(list.get(1, 1))).toMatch(new RegExp(`as of ${dayIn(new Date(), zone)}$`));
  });
});
