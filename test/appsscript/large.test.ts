import { describe, expect, it } from 'vitest';
import { loadBundle } from './fakes';

// Sheets at the size users have them: 200,000 rows through the built bundle in node:vm. A data-sized
// spread (Math.max(...dates), push(...rows)) throws "Maximum call stack size exceeded" above about
// 125,000 values, so each of these would fail with one.
const ROWS = 200_000;
const day = (i: number) => new Date(Date.UTC(2023, 0, 1 + (i % 540)));

describe('200,000 rows', () => {
  it('TIER over a 200,000-customer table answers every row, in order', () => {
    const grid: unknown[][] = [['customer_id', 'last_purchase', 'orders', 'total_spend']];
    for (let i = 0; i < ROWS; i++) grid.push([`C${i}`, day(i * 7), 1 + (i % 13), 20 + (i % 997)]);
    const out = loadBundle().gs.TIER(grid, '', '', '');
    expect(out).toHaveLength(ROWS + 1);
    expect(out.filter((r: string[]) => typeof r[0] !== 'string' || r[0].startsWith('#'))).toEqual([]);
  }, 120_000);

  it('PALIVE over a 200,000-row log of 200,000 customers (the CLV core took the earliest date by a spread)', () => {
    const grid: unknown[][] = [['customer_id', 'date', 'amount']];
    for (let i = 0; i < ROWS; i++) grid.push([`C${i}`, day(i), 10 + (i % 90)]);
    const alive = loadBundle().gs.PALIVE(grid, '', '');
    expect(alive).toHaveLength(ROWS + 1);
    expect(alive[0][1]).toMatch(/^P\(alive\)/);
    // Nobody bought twice: the model cannot be fitted, and the cell says the data is too small for it.
    expect(alive[1][1]).toMatch(/^#SMALL_DATA: only 0 customers bought more than once/);
  }, 180_000);

  it('the sidebar’s sheetData reads 200,000 rows with each date as its ISO day', () => {
    const sheet = loadBundle({ timeZone: 'Asia/Shanghai' });
    const grid: (string | number | Date)[][] = [['customer_id', 'date', 'amount']];
    // Midnight in Shanghai (UTC+8, no daylight saving): 16:00 UTC the day before.
    for (let i = 0; i < ROWS; i++)
      grid.push([`C${i % 40_000}`, new Date(Date.UTC(2024, 0, i % 180) - 8 * 3_600_000), 5]);
    sheet.spreadsheet.sheets[0].fill(grid);
    const data = sheet.gs.sheetData();
    expect(data.rows).toHaveLength(ROWS);
    expect(data.rows[0][1]).toBe('2023-12-31');
    expect(data.rows[ROWS - 1][1]).toBe('2024-01-19'); // day (199,999 mod 180) = 19 of January
  }, 120_000);
});
