import { describe, expect, it } from 'vitest';
import { dayFromParts, parseTransactions, validateHoldout } from '../../shared';
import { CDNOW_CALIBRATION_END, cdnowLog } from '../helpers/data';
import { simulateLog } from '../helpers/simulate';

const HOLDOUT_END = dayFromParts(1998, 6, 30)!;

describe('holdout validation on CDNOW (calibration to 1997-09-30, holdout to 1998-06-30)', () => {
  const v = validateHoldout(cdnowLog(), {
    calibrationEnd: CDNOW_CALIBRATION_END,
    holdoutEnd: HOLDOUT_END,
    unit: 'week',
    model: 'bgnbd',
  });

  it('fits the published BG/NBD on the calibration period (Fader, Hardie & Lee 2005)', () => {
    expect(v.fit.ok && v.fit.params.r).toBeCloseTo(0.243, 3);
    expect(v.customers).toBe(2357);
    expect(v.holdoutLength).toBe(39);
  });

  it('counts actual purchases as the published summary does', () => {
    // test/fixtures/cdnow/SOURCE.md: 2,457 repeat purchase days in calibration, 1,882 in the holdout.
    expect(v.tracking[v.calibrationWeek - 1].actual).toBe(2457);
    expect(v.calibrationWeek).toBe(39);
    expect(v.tracking).toHaveLength(78);
    expect(v.errors?.actualTotal).toBe(1882);
    expect(v.tracking.at(-1)!.actual).toBe(2457 + 1882);
    // Customers by calibration frequency, 0 … 7+: the x column of the published summary.
    expect(v.byFrequency.map((r) => r.customers)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64]);
  });

  it('predicts the holdout within the published model’s known accuracy', () => {
    const e = v.errors!;
    // The BG/NBD under-forecasts CDNOW's holdout by about 12 % (1,653 of 1,882); within 15 % here.
    expect(Math.abs(e.totalError)).toBeLessThan(15);
    expect(e.meanAbsoluteError).toBeLessThan(e.naiveMeanAbsoluteError);
    expect(e.correlation).toBeGreaterThan(0.5);
    // In sample the curve is close: week 39 within 3 % of 2,457.
    expect(v.tracking[38].predicted / 2457).toBeCloseTo(1, 1);
  });
});

describe('holdout validation on data drawn from the model', () => {
  const start = dayFromParts(2024, 1, 1)!;
  const table = simulateLog({
    customers: 4000,
    start,
    joinDays: 84,
    days: 546,
    rate: (random) => (0.05 + 0.6 * random() ** 2) / 7,
    dropout: (random) => 0.05 + 0.4 * random(),
    spend: () => 10,
    seed: 21,
  });
  // One customer who first buys in the holdout, and a refund-only day that is no purchase.
  table.rows.push(['late', '2024-12-01', 30], ['c0', '2024-11-01', -5]);
  const { log } = parseTransactions(table);
  const v = validateHoldout(log, {
    calibrationEnd: start + 272,
    holdoutEnd: start + 545,
    unit: 'week',
    model: 'mbgnbd',
  });

  it('predicts the holdout total within a few per cent', () => {
    expect(v.fit.ok).toBe(true);
    expect(Math.abs(v.errors!.totalError)).toBeLessThan(6);
  });

  it('leaves customers who first buy in the holdout out, and counts them', () => {
    expect(v.newInHoldout).toBe(1);
    expect(v.customers).toBe(4000);
  });
});

it('reports a fit that runs to the boundary, without figures', () => {
  // The data of the boundary case in clv-edges.test.ts: everyone alike, a and b run off.
  const start = dayFromParts(2024, 1, 1)!;
  const table = simulateLog({
    customers: 3000,
    start,
    joinDays: 84,
    days: 273,
    rate: () => 2 / 7,
    dropout: () => 0.1,
    spend: () => 25,
    seed: 3,
  });
  const v = validateHoldout(parseTransactions(table).log, {
    calibrationEnd: start + 273,
    holdoutEnd: start + 300,
    unit: 'week',
    model: 'bgnbd',
  });
  expect(v.fit.ok).toBe(false);
  expect(v.errors).toBeNull();
  expect(v.tracking).toEqual([]);
});
