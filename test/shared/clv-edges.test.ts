/**
 * The CLV models on the conditions real data brings (issue 11): customers first seen on the as-of date,
 * fits that run to the boundary, spend the Gamma-Gamma cannot model, refunds, and one report shape
 * for every fit. Each data set is generated to trigger its condition.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CustomerSummary,
  DEFAULT_CLV_OPTIONS,
  dayFromParts,
  expectedSpend,
  fitCountModel,
  fitGammaGamma,
  fitRepeatModel,
  historiesFrom,
  parseTransactions,
  predictClv,
  summarize,
} from '../../shared';
import { CDNOW_CALIBRATION_END, cdnowTable } from '../helpers/data';
import { simulateLog } from '../helpers/simulate';

const options = { ...DEFAULT_CLV_OPTIONS, asOf: CDNOW_CALIBRATION_END };
const cdnowWith = (extra: (string | number)[][]) => {
  const table = cdnowTable();
  const { log } = parseTransactions({ ...table, rows: [...table.rows, ...extra] });
  return summarize(log, { asOf: CDNOW_CALIBRATION_END });
};
const noNaN = (c: object) => Object.values(c).every((v) => typeof v !== 'number' || Number.isFinite(v));

describe('a customer whose first purchase is on the as-of date (T = 0)', () => {
  const book = cdnowWith([['new-today', '19970930', '20']]);
  const plain = cdnowWith([]);

  it('is left out of the fit, counted, and still predicted', () => {
    const result = predictClv(book, options);
    expect(result.method).toBe('probabilistic');
    expect(result.tenureZero).toBe(1);
    const fit = fitRepeatModel(historiesFrom(plain, 'week').histories, 'mbgnbd');
    // The same estimates as without that customer: T = 0 adds nothing to the likelihood.
    for (const [name, value] of Object.entries(fit.params!))
      expect((result.repeatFit!.params as unknown as Record<string, number>)[name]).toBeCloseTo(value, 10);
    expect(result.repeatFit?.customers).toBe(2357);
    const i = book.findIndex((c) => c.customerId === 'new-today');
    const today = result.customers[i];
    expect(today.method).toBe('probabilistic');
    expect(today.pAlive).toBeGreaterThan(0);
    expect(today.pAlive).toBeLessThanOrEqual(1);
    expect(today.clv).toBeGreaterThan(0);
    expect(noNaN(today)).toBe(true);
  });

  it('fits under every count model', () => {
    for (const model of ['bgnbd', 'mbgnbd', 'pareto-nbd'] as const) {
      const fit = fitCountModel(historiesFrom(book, 'week').histories, model);
      expect(fit).toMatchObject({ ok: true, tenureZero: 1, customers: 2357 });
    }
  });
});

describe('errors name customer ids, not positions', () => {
  it('in the count models', () => {
    const fit = fitRepeatModel(
      {
        unit: 'week',
        x: Float64Array.of(1, 2),
        tx: Float64Array.of(3, 50),
        T: Float64Array.of(10, 20),
        ids: ['4338', 'ACME-17'],
      },
      'bgnbd',
    );
    expect(fit.ok).toBe(false);
    if (!fit.ok) expect(fit.reason).toBe('customer "ACME-17": recency 50 must lie between 0 and T (20)');
  });
});

const start = dayFromParts(2024, 1, 1)!;
const asOf = start + 273;
const simulated = (rows: ReturnType<typeof simulateLog>) => summarize(parseTransactions(rows).log, { asOf });

describe('a fit that runs to the boundary', () => {
  // Everyone buys at the same rate and drops out with the same probability: the BG/NBD's
  // heterogeneity parameters a and b run off towards infinity (here past 1e37).
  const book = simulated(
    simulateLog({
      customers: 3000,
      start,
      joinDays: 84,
      days: 273,
      rate: () => 2 / 7,
      dropout: () => 0.1,
      spend: () => 25,
      seed: 3,
    }),
  );

  it('is reported as such, with the fallback, and nothing is NaN', () => {
    const result = predictClv(book, { ...options, asOf, model: 'bgnbd' });
    expect(result.method).toBe('simple');
    expect(result.fallbackReason).toBe(
      'the bgnbd fit ran to the boundary: a and b ran off towards 0 or infinity (the data do not pin them down)',
    );
    expect(result.repeatFit).toMatchObject({ ok: false, converged: false });
    // The estimates that ran off stay visible: a and b past 1e30.
    expect((result.repeatFit!.params as { a: number }).a).toBeGreaterThan(1e30);
    expect(result.customers.every(noNaN)).toBe(true);
    expect(result.customers.every((c) => c.nextPurchase === null || Number.isFinite(c.nextPurchase))).toBe(
      true,
    );
  });

  it('never gives NaN or an invalid date whichever model is asked', () => {
    for (const model of ['bgnbd', 'mbgnbd'] as const) {
      const result = predictClv(book, { ...options, asOf, model });
      expect(result.customers.every(noNaN)).toBe(true);
      if (result.method === 'simple') expect(result.fallbackReason).toBeTruthy();
    }
  });
});

describe('Gamma-Gamma cannot fit (everyone spends the same)', () => {
  const book = simulated(
    simulateLog({
      customers: 3000,
      start,
      joinDays: 84,
      days: 273,
      rate: (random) => (0.02 + 0.4 * random() ** 2) / 7,
      dropout: (random) => 0.05 + 0.5 * random(),
      spend: () => 25,
      seed: 11,
    }),
  );
  const result = predictClv(book, { ...options, asOf });

  it('keeps the converged count model: P(alive) and expected purchases for everyone', () => {
    expect(result.repeatFit).toMatchObject({ ok: true, converged: true });
    expect(result.method).toBe('probabilistic');
    expect(result.customers.every((c) => c.method === 'probabilistic' && c.pAlive !== null)).toBe(true);
  });

  it('falls back only for spend, and says which', () => {
    expect(result.spendFit?.ok).toBe(false);
    expect(result.spendModel).toBe('average order value');
    expect(result.spendFallbackReason).toMatch(/gamma-gamma fit/);
    expect(result.customers.every((c) => c.expectedSpend === 25)).toBe(true);
    // CLV is still the count model's purchases times spend.
    const c = result.customers[0];
    expect(c.clv).toBeCloseTo(
      c.monthly.reduce((s, v) => s + v, 0),
      9,
    );
    expect(c.clv).toBeGreaterThan(0);
  });
});

describe('netted refunds', () => {
  const book = cdnowWith([]);
  // Customers whose refunds outweigh their purchases: repeat mean and average order value below 0.
  const refunded: CustomerSummary[] = book.map((c, i) =>
    i % 500 === 0 && c.repeatPurchases > 0
      ? { ...c, repeatAverageSpend: -40, averageOrderValue: -15, totalSpend: -30 }
      : c,
  );

  it('never give negative expected spend or CLV', () => {
    const result = predictClv(refunded, options);
    expect(result.spendModel).toBe('gamma-gamma');
    expect(result.spendRule).toMatch(/refunds netting it below 0 count as 0/);
    for (const c of result.customers) {
      expect(c.expectedSpend).toBeGreaterThanOrEqual(0);
      expect(c.clv).toBeGreaterThanOrEqual(0);
    }
  });

  it('never, for any mean spend and parameters (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 1.01, max: 50, noNaN: true }),
        fc.double({ min: 0.1, max: 1e4, noNaN: true }),
        fc.integer({ min: 0, max: 500 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (p, q, gamma, x, mean) => {
          expect(expectedSpend({ p, q, gamma }, x, mean)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('every fitted model reports the same figures', () => {
  const book = cdnowWith([]);
  const { histories } = historiesFrom(book, 'week');
  const repeaters = book.filter((c) => c.repeatPurchases > 0);
  const fits = [
    fitCountModel(histories, 'bgnbd'),
    fitCountModel(histories, 'mbgnbd'),
    fitCountModel(histories, 'pareto-nbd'),
    fitGammaGamma({
      x: Float64Array.from(repeaters, (c) => c.repeatPurchases),
      meanSpend: Float64Array.from(repeaters, (c) => c.repeatAverageSpend!),
    }),
  ];

  it('model, log-likelihood, iterations, converged, customers', () => {
    for (const fit of fits) {
      expect(Object.keys(fit)).toEqual(
        expect.arrayContaining([
          'model',
          'ok',
          'params',
          'logLikelihood',
          'iterations',
          'converged',
          'customers',
        ]),
      );
      expect(fit.converged).toBe(true);
      expect(fit.iterations).toBeGreaterThan(0);
      expect(fit.logLikelihood).toBeLessThan(0);
    }
    expect(fits.map((f) => f.model)).toEqual(['bgnbd', 'mbgnbd', 'pareto-nbd', 'gamma-gamma']);
  });
});
