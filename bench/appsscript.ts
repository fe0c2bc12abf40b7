/** Issue 5's figures: the Apps Script bundle's size, and TIER over 10,000 rows as Sheets would call it. */

import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { TIER } from '../appsscript/functions';
import { isoDate, parseDay } from '../shared';
import { best, line, seeded } from './util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function customerGrid(rows: number): unknown[][] {
  const random = seeded(5);
  const grid: unknown[][] = [
    ['customer_id', 'name', 'last_purchase', 'first_purchase', 'orders', 'total_spend'],
  ];
  for (let i = 0; i < rows; i++) {
    const last = new Date(2024, 0, 1 + Math.floor(random() * 180));
    const first = new Date(last.getTime() - Math.floor(random() * 700) * 86_400_000);
    grid.push([
      `C${i}`,
      `Customer ${i}`,
      last,
      first,
      1 + Math.floor(random() * 30),
      Math.round(random() * 500_000) / 100,
    ]);
  }
  return grid;
}

export function benchAppsScript(): void {
  console.log('\nGoogle Sheets add-on (issue 5)');
  const code = readFileSync(`${ROOT}dist/gas/Code.js`, 'utf8');
  line(
    'Apps Script bundle loaded by every custom-function call',
    `${(statSync(`${ROOT}dist/gas/Code.js`).size / 1024).toFixed(1)} KB`,
    'target ≤ 60 KB (minified, with the JSDoc stubs)',
  );
  line(
    'sidebar page (HTML with the core inlined for the preview)',
    `${(statSync(`${ROOT}dist/gas/Sidebar.html`).size / 1024).toFixed(1)} KB`,
  );
  // A spreadsheet in UTC; the figures do not depend on the zone.
  const services = () => ({
    SpreadsheetApp: {
      getActiveRange: () => null,
      getActiveSpreadsheet: () => ({
        getSpreadsheetTimeZone: () => 'Etc/UTC',
        getSpreadsheetLocale: () => 'en_US',
      }),
    },
    Utilities: { formatDate: () => '+0000' },
  });
  const context = vm.createContext(services());
  const loaded = best(5, () => vm.runInContext(code, vm.createContext(services())));
  vm.runInContext(code, context);
  line(
    'evaluate the bundle (what each custom-function call pays first)',
    `${loaded.ms.toFixed(1)} ms`,
    `cold ${loaded.coldMs.toFixed(1)} ms`,
  );
  const grid = customerGrid(10_000);
  const node = {
    firstRow: 1,
    isoOf: (d: Date) => isoDate(parseDay(d)!),
    dateOf: (day: number) => new Date(day * 86_400_000),
    locale: () => 'en' as const,
  };
  const core = best(5, () => TIER(grid, '', '', '', node));
  if (core.result.length !== 10_001) throw new Error(`TIER returned ${core.result.length} rows`);
  line(
    'TIER, 10,000 customers with Date cells: core time in Node',
    `${core.ms.toFixed(1)} ms`,
    `cold ${core.coldMs.toFixed(1)} ms; target < 100 ms`,
  );
  // The built bundle in a node:vm context: every global lookup goes through the context's interceptors
  // and the Dates come from another realm, so this is a pessimistic stand-in for Apps Script's V8.
  const tier = context.TIER as (
    data: unknown,
    config: unknown,
    asOf: unknown,
    columns: unknown,
  ) => unknown[][];
  const bundled = best(5, () => tier(grid, '', '', ''));
  line(
    '  the same call on the built bundle inside node:vm',
    `${bundled.ms.toFixed(0)} ms`,
    `cold ${bundled.coldMs.toFixed(0)} ms`,
  );
}
