import { describe, expect, it } from 'vitest';
import { dayFromParts, parseTransactions, summarize } from '../../shared';
import { CDNOW_CALIBRATION_END, cdnowLog, fixture, readCsv } from '../helpers/data';

/** Round half up to cents, as the published zbar column is (see fixtures/cdnow/SOURCE.md). */
const cents = (x: number): number => Math.floor(x * 100 + 0.5 + 1e-7) / 100;
const twoDp = (x: number): number => Math.round(x * 100 + 1e-7) / 100;

describe('summarize', () => {
  // Known values: the calibration summary published with the CDNOW sample (Fader, Hardie & Lee 2005;
  // Hardie's note 026 data, as redistributed by lifetimes): x, t_x, T in weeks, zbar in dollars.
  it('reproduces the published CDNOW calibration summary for all 2,357 customers', () => {
    const summaries = summarize(cdnowLog(), { asOf: CDNOW_CALIBRATION_END });
    const published = readCsv(fixture('cdnow/cdnow_customers_summary_with_transactions.csv'));
    expect(summaries).toHaveLength(2357);
    const byId = new Map(summaries.map((s) => [s.customerId, s]));
    const mismatches = published.filter((row) => {
      const s = byId.get(row.ID)!;
      return (
        s.repeatPurchases !== Number(row.x) ||
        twoDp(s.firstToLastPurchase! / 7) !== Number(row.t_x) || // summaries count days, the paper weeks
        twoDp(s.tenure! / 7) !== Number(row.T) ||
        cents(s.repeatAverageSpend ?? 0) !== Number(row.zbar)
      );
    });
    expect(mismatches.map((r) => r.ID)).toEqual([]);
  });

  it('totals 2,457 repeat purchase days in calibration (SOURCE.md)', () => {
    const summaries = summarize(cdnowLog(), { asOf: CDNOW_CALIBRATION_END });
    expect(summaries.reduce((n, s) => n + s.repeatPurchases, 0)).toBe(2457);
  });

  it('works out customer 1 by hand: bought 1997-01-01, 01-18 and 08-02 in calibration', () => {
    const [first] = summarize(cdnowLog(), { asOf: CDNOW_CALIBRATION_END });
    expect(first).toMatchObject({
      customerId: '1',
      firstPurchase: dayFromParts(1997, 1, 1),
      lastPurchase: dayFromParts(1997, 8, 2),
      orders: 3,
      purchaseDays: 3,
      repeatPurchases: 2,
      firstToLastPurchase: 213,
      sinceLastPurchase: 59,
      tenure: 272,
      averageCycle: 106.5,
    });
    expect(first.totalSpend).toBeCloseTo(29.33 + 29.73 + 14.96, 9);
    expect(first.repeatAverageSpend).toBeCloseTo(22.345, 9);
  });

  it('merges same-day purchases, nets refunds and ignores transactions after asOf', () => {
    const { log } = parseTransactions({
      header: ['customer_id', 'date', 'amount', 'cost'],
      rows: [
        ['a', '2024-01-01', '100', '60'],
        ['a', '2024-01-01', '50', '30'],
        ['a', '2024-01-11', '(20.00)', ''],
        ['a', '2024-01-21', '80', '40'],
        ['a', '2024-03-01', '999', ''],
        ['b', '2024-01-05', '-10', ''],
      ],
    });
    const [a, b] = summarize(log, { asOf: dayFromParts(2024, 1, 31)! });
    expect(a).toMatchObject({ orders: 3, purchaseDays: 2, repeatPurchases: 1, totalSpend: 210, profit: 100 });
    expect(a.averageCycle).toBe(20);
    expect(a.repeatAverageSpend).toBe(60); // 80 bought on day 21, less the 20 refunded on day 11
    expect(b).toMatchObject({ orders: 0, purchaseDays: 0, totalSpend: -10 });
  });

  it('does not depend on the order of the rows', () => {
    const rows = [
      ['x', '2024-01-03', '5'],
      ['y', '2024-01-01', '7'],
      ['x', '2024-01-01', '3'],
      ['x', '2024-01-02', '4'],
    ];
    const asOf = dayFromParts(2024, 2, 1)!;
    const sorted = summarize(parseTransactions({ header: ['customer_id', 'date', 'amount'], rows }).log, {
      asOf,
    });
    const reversed = summarize(
      parseTransactions({ header: ['customer_id', 'date', 'amount'], rows: [...rows].reverse() }).log,
      { asOf },
    );
    const byId = (list: typeof sorted) => Object.fromEntries(list.map((s) => [s.customerId, s]));
    expect(byId(reversed)).toEqual(byId(sorted));
  });
});
