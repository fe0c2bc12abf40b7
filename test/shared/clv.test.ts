import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_COUNT_MODELS,
  type BgParams,
  bgLogLikelihood,
  type ClvOptions,
  DEFAULT_CLV_OPTIONS,
  dayFromParts,
  digamma,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  expectedSpend,
  fitGammaGamma,
  fitParetoNbd,
  fitRepeatModel,
  groupHistories,
  historiesFrom,
  hyp2f1,
  lgamma,
  logDropoutIntegral,
  paretoExpectedPurchases,
  paretoLogLikelihood,
  paretoProbabilityAlive,
  paretoProbabilityNoPurchase,
  parseCustomerTable,
  predictClv,
  probabilityAlive,
  probabilityNoPurchase,
  simpleClv,
  summarize,
} from '../../shared';
import { CDNOW_CALIBRATION_END, cdnowLog } from '../helpers/data';

const cdnow = summarize(cdnowLog(), { asOf: CDNOW_CALIBRATION_END });
const { histories } = historiesFrom(cdnow, 'week');
const repeaters = cdnow.filter((c) => c.repeatPurchases > 0);
const spendData = {
  x: Float64Array.from(repeaters, (c) => c.repeatPurchases),
  meanSpend: Float64Array.from(repeaters, (c) => c.repeatAverageSpend!),
};

/** The published CDNOW estimates of Fader, Hardie & Lee (2005), Marketing Science 24(2), p. 281. */
const FHL: BgParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('special functions', () => {
  it('lgamma and digamma match known values', () => {
    expect(lgamma(1)).toBeCloseTo(0, 14);
    expect(lgamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(lgamma(101)).toBeCloseTo(363.73937555556347, 9); // ln(100!)
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 13); // −γ (Euler–Mascheroni)
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260214235, 12);
  });
  it('hyp2f1 matches closed forms', () => {
    const z = 0.3;
    expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 14); // ₂F₁(1,1;2;z) = −ln(1−z)/z
    expect(hyp2f1(0.5, 1, 1, z)).toBeCloseTo((1 - z) ** -0.5, 14); // ₂F₁(a,b;b;z) = (1−z)^−a
  });
});

describe('BG/NBD on CDNOW (Fader, Hardie & Lee 2005)', () => {
  const fit = fitRepeatModel(histories, 'bgnbd');

  it('recovers the published parameters and log-likelihood −9582.4', () => {
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.params.r).toBeCloseTo(0.243, 3);
    expect(fit.params.alpha).toBeCloseTo(4.414, 3);
    expect(fit.params.a).toBeCloseTo(0.793, 3);
    expect(fit.params.b).toBeCloseTo(2.426, 3);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(fit.customers).toBe(2357);
  });

  it('gives the analytic gradient that finite differences give', () => {
    const grouped = groupHistories(histories);
    const gradient = new Float64Array(4);
    bgLogLikelihood('mbgnbd', FHL, grouped, gradient);
    const h = 1e-6;
    (['r', 'alpha', 'a', 'b'] as const).forEach((name, k) => {
      const up = bgLogLikelihood('mbgnbd', { ...FHL, [name]: FHL[name] * Math.exp(h) }, grouped);
      const down = bgLogLikelihood('mbgnbd', { ...FHL, [name]: FHL[name] * Math.exp(-h) }, grouped);
      expect(gradient[k]).toBeCloseTo((up - down) / (2 * h), 2);
    });
  });

  // Hardie's BG/NBD spreadsheet (note 004) worked examples, also used by lifetimes' tests.
  it('expects 1.226 purchases in 39 weeks for x = 2, t_x = 30.43, T = 38.86', () => {
    expect(expectedPurchases('bgnbd', FHL, 39, 2, 30.43, 38.86)).toBeCloseTo(1.226, 3);
  });

  it('matches E[X(t)] of the spreadsheet for a new customer (at the unrounded estimates)', () => {
    if (!fit.ok) throw new Error(fit.reason);
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    for (const [i, t] of times.entries()) {
      expect(expectedPurchasesNewCustomer('bgnbd', fit.params, t)).toBeCloseTo(expected[i], 3);
    }
  });

  // Reference figures at 50 digits: test/crosscheck/heavy_buyers_mpmath.py.
  it.each([
    // Printed to 17 digits; doubles keep about 16, hence the rounding here.
    [400, 38, 39, 39, 0.0431032619737745, 11.83736455546908, 484.837374411564],
    [500, 36.5, 39, 52, 8.236523806880195e-11, 3.527338081105934e-8, 738.3197285626756],
    [300, 20, 39, 39, 3.325839140818227e-73, 6.854005053360071e-71, 440.50786252911],
  ])('stays finite and correct for a heavy buyer: x = %i', (x, tx, T, t, pAlive, expected, ll) => {
    expect(probabilityAlive('bgnbd', FHL, x, tx, T) / pAlive).toBeCloseTo(1, 10);
    expect(expectedPurchases('bgnbd', FHL, t, x, tx, T) / expected).toBeCloseTo(1, 9);
    const one = groupHistories({
      unit: 'week',
      x: Float64Array.of(x),
      tx: Float64Array.of(tx),
      T: Float64Array.of(T),
    });
    expect(bgLogLikelihood('bgnbd', FHL, one)).toBeCloseTo(ll, 8);
  });

  it('says P(alive) = 1 for every one-time buyer: the flaw MBG/NBD fixes', () => {
    expect(probabilityAlive('bgnbd', FHL, 0, 0, 1)).toBe(1);
    expect(probabilityAlive('bgnbd', FHL, 0, 0, 1000)).toBe(1);
  });
});

describe('MBG/NBD on CDNOW (Batislam, Denizel & Filiztekin 2007)', () => {
  it('recovers the parameters BTYDplus reports: r 0.525, α 6.183, a 0.891, b 1.614', () => {
    const fit = fitRepeatModel(histories, 'mbgnbd');
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.params.r).toBeCloseTo(0.525, 3);
    expect(fit.params.alpha).toBeCloseTo(6.183, 3);
    expect(fit.params.a).toBeCloseTo(0.891, 3);
    expect(fit.params.b).toBeCloseTo(1.614, 3);
  });

  it('lets one-time buyers from long ago fade', () => {
    const p = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
    expect(probabilityAlive('mbgnbd', p, 0, 0, 1)).toBeLessThan(1);
    expect(probabilityAlive('mbgnbd', p, 0, 0, 100)).toBeLessThan(probabilityAlive('mbgnbd', p, 0, 0, 10));
  });
});

describe('Pareto/NBD on CDNOW (Fader, Hardie & Lee 2005, "A Note on Deriving the Pareto/NBD Model")', () => {
  const fit = fitParetoNbd(histories);

  it('recovers the published r 0.55, α 10.58, s 0.61, β 11.67 and log-likelihood −9595.0', () => {
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.params.r).toBeCloseTo(0.55, 2);
    expect(fit.params.alpha).toBeCloseTo(10.58, 2);
    expect(fit.params.s).toBeCloseTo(0.61, 2);
    expect(fit.params.beta).toBeCloseTo(11.67, 2);
    expect(fit.logLikelihood).toBeCloseTo(-9595.0, 1);
    expect(fit).toMatchObject({ model: 'pareto-nbd', converged: true, customers: 2357 });
  });

  // Reference figures by numerical integration over the posterior: test/crosscheck/pareto_scipy.py.
  it.each([
    [0, 0, 39, 0.292956419445, 0.105276616734, 0.931755986229],
    [2, 30.43, 38.86, 0.868410917132, 1.450371374792, 0.409393604234],
    [26, 30.86, 31, 0.997905072576, 20.086385675046, 0.023966837848],
    [3, 20, 39, 0.522066957939, 1.210934831272, 0.593485751346],
  ])(
    'P(alive), 39-week purchases and P(none) match SciPy: x = %d, t_x = %d, T = %d',
    (x, tx, T, alive, expected, none) => {
      const p = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
      expect(paretoProbabilityAlive(p, x, tx, T)).toBeCloseTo(alive, 10);
      expect(paretoExpectedPurchases(p, 39, x, tx, T)).toBeCloseTo(expected, 9);
      expect(paretoProbabilityNoPurchase(p, 39, x, tx, T)).toBeCloseTo(none, 9);
    },
  );

  it('gives the analytic gradient that finite differences give', () => {
    const grouped = groupHistories(histories);
    const p = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
    const gradient = new Float64Array(4);
    paretoLogLikelihood(p, grouped, gradient);
    const h = 1e-6;
    (['r', 'alpha', 's', 'beta'] as const).forEach((name, k) => {
      const up = paretoLogLikelihood({ ...p, [name]: p[name] * Math.exp(h) }, grouped);
      const down = paretoLogLikelihood({ ...p, [name]: p[name] * Math.exp(-h) }, grouped);
      expect(gradient[k]).toBeCloseTo((up - down) / (2 * h), 2);
    });
  });

  it('keeps the log-likelihood exact as s and β grow together (the fit once stopped at a false 0 there)', () => {
    // With s/β = μ fixed and s → ∞ the dropout rate stops varying between customers, so the
    // likelihood tends to a finite negative limit. s·ln β and s·ln(β+T) are each ~1e74 at s = 3.5e72:
    // computed apart they cancelled to 0, the best value a likelihood can have.
    const grouped = groupHistories(histories);
    const at = (k: number) => paretoLogLikelihood({ r: 0.55, alpha: 10.58, s: 0.05 * k, beta: k }, grouped);
    const limit = at(1e12);
    expect(limit).toBeLessThan(-9000);
    for (const k of [1e40, 1e74]) expect(at(k)).toBeCloseTo(limit, 3);
  });

  it('the quadrature (used to fit) and the hypergeometric series (FHL note) give the same P(alive)', () => {
    // P(alive) = 1 / (1 + s · I · (α+T)^(r+x) (β+T)^s), I the dropout integral: an independent route.
    for (const p of [
      { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 },
      { r: 2, alpha: 12, s: 1.5, beta: 9 },
    ]) {
      for (const [x, tx, T] of [
        [0, 0, 39],
        [3, 20, 39],
        [40, 38, 39],
      ]) {
        const logOdds =
          Math.log(p.s) +
          logDropoutIntegral(p, x, tx, T) +
          (p.r + x) * Math.log(p.alpha + T) +
          p.s * Math.log(p.beta + T);
        expect(paretoProbabilityAlive(p, x, tx, T)).toBeCloseTo(1 / (1 + Math.exp(logOdds)), 9);
      }
    }
  });

  it('the quadrature matches the series for every CDNOW history, heavy buyers who went quiet early too', () => {
    // With e = r+x−1 large, one substitution alone left a weak end singularity: 4.5e-5 off in ln I
    // for x = 21, t_x = 4.71, T = 29.29 weeks. The series (z ≤ 0.1 here) is the reference.
    const p = { r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.669 };
    const { x, tx, T } = histories;
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const logOdds =
        Math.log(p.s) +
        logDropoutIntegral(p, x[i], tx[i], T[i]) +
        (p.r + x[i]) * Math.log(p.alpha + T[i]) +
        p.s * Math.log(p.beta + T[i]);
      const alive = paretoProbabilityAlive(p, x[i], tx[i], T[i]);
      worst = Math.max(worst, Math.abs(alive - 1 / (1 + Math.exp(logOdds))));
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it('stays finite for heavy buyers and long waits, with P(alive) in [0, 1]', () => {
    const p = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 };
    for (const [x, tx, T] of [
      [0, 0, 39],
      [400, 38, 39],
      [300, 1, 500],
      [2, 39, 39],
    ]) {
      const alive = paretoProbabilityAlive(p, x, tx, T);
      expect(alive).toBeGreaterThanOrEqual(0);
      expect(alive).toBeLessThanOrEqual(1);
      expect(Number.isFinite(paretoExpectedPurchases(p, 39, x, tx, T))).toBe(true);
      const none = paretoProbabilityNoPurchase(p, 39, x, tx, T);
      expect(none).toBeGreaterThanOrEqual(1 - alive - 1e-12);
      expect(none).toBeLessThanOrEqual(1);
    }
  });

  it('predicts CLV with the Pareto/NBD when asked', () => {
    const options = { ...DEFAULT_CLV_OPTIONS, asOf: CDNOW_CALIBRATION_END, model: 'pareto-nbd' as const };
    // Not among the default (Sheets-sized) models: said so, not silently replaced.
    expect(predictClv(cdnow, options).fallbackReason).toBe('the pareto-nbd model is not available here');
    const result = predictClv(cdnow, options, ALL_COUNT_MODELS);
    expect(result.method).toBe('probabilistic');
    expect(result.rule).toMatch(/^Pareto\/NBD/);
    expect(result.customers.every((c) => c.pAlive !== null && c.clv >= 0)).toBe(true);
  });
});

describe('Gamma-Gamma on CDNOW (Fader & Hardie 2013, note 025)', () => {
  it('recovers p = 6.25, q = 3.74, γ = 15.44 on the 946 repeat buyers', () => {
    const fit = fitGammaGamma(spendData);
    if (!fit.ok) throw new Error(fit.reason);
    expect(fit.customers).toBe(946);
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    expect(fit.params.gamma).toBeCloseTo(15.44, 1);
    // SciPy on the published (rounded) summary gives −4055.923 (test/crosscheck/cdnow_scipy.py).
    expect(fit.logLikelihood).toBeCloseTo(-4055.92, 1);
  });

  it('shrinks a customer’s own mean toward the population mean', () => {
    const params = { p: 6.25, q: 3.74, gamma: 15.44 };
    const population = (6.25 * 15.44) / 2.74;
    expect(expectedSpend(params, 0, 0)).toBeCloseTo(population, 10);
    const one = expectedSpend(params, 1, 100);
    const many = expectedSpend(params, 20, 100);
    expect(one).toBeGreaterThan(population);
    expect(many).toBeGreaterThan(one);
    expect(many).toBeLessThan(100);
  });

  it('reports bad input instead of numbers', () => {
    const fit = fitGammaGamma({
      x: Float64Array.of(1, 2),
      meanSpend: Float64Array.of(10, -5),
      ids: ['A-1', 'B-7'],
    });
    expect(fit).toEqual({
      ok: false,
      model: 'gamma-gamma',
      converged: false,
      iterations: 0,
      logLikelihood: null,
      customers: 2,
      params: null,
      reason: 'customer "B-7": mean spend must be above 0, got -5',
    });
  });
});

describe('predictClv', () => {
  const options = { ...DEFAULT_CLV_OPTIONS, asOf: CDNOW_CALIBRATION_END, horizonDays: 273 };

  it('fits on CDNOW and predicts every customer, naming the rule', () => {
    const result = predictClv(cdnow, options);
    expect(result.method).toBe('probabilistic');
    expect(result.rule).toMatch(/^MBG\/NBD/);
    expect(result.customers).toHaveLength(2357);
    const first = result.customers[0];
    expect(first.pAlive).toBeGreaterThan(0);
    expect(first.clv).toBeGreaterThan(0);
    expect(first.monthly).toHaveLength(12);
  });

  it('falls back to the simple CLV on small data and says why', () => {
    const result = predictClv(cdnow.slice(0, 40), options);
    expect(result.method).toBe('simple');
    expect(result.fallbackReason).toBe('only 40 customers with a purchase history; the model needs 200');
    expect(result.customers.every((c) => c.pAlive === null && c.clv >= 0)).toBe(true);
    // Last purchase + own cycle, but never before the as-of date (several of these 40 are overdue).
    const next = result.customers.map((c) => c.nextPurchase).filter((d) => d !== null);
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((d) => d >= options.asOf)).toBe(true);
    expect(next.some((d) => d > options.asOf)).toBe(true);
  });

  it('gives customers without a first purchase date the simple CLV', () => {
    const table = parseCustomerTable(
      { header: ['id', 'recency_days', 'orders', 'total_spend'], rows: [['z', 10, 3, 300]] },
      { asOf: CDNOW_CALIBRATION_END },
    ).customers;
    const result = predictClv([...cdnow, ...table], options);
    expect(result.method).toBe('probabilistic');
    expect(result.customers.at(-1)!.method).toBe('simple');
  });

  it('a weekly model asked for 12 months covers 52.18 weeks, not 360', () => {
    const weekly = predictClv(cdnow, { ...options, unit: 'week', clvMonths: 12, discountMonthly: 0 });
    const daily = predictClv(cdnow, { ...options, unit: 'day', clvMonths: 12, discountMonthly: 0 });
    // The same customers over the same 365.25 days, whichever unit the model counts in.
    expect(weekly.customers[0].clv / daily.customers[0].clv).toBeCloseTo(1, 2);
  });
});

describe('simple CLV', () => {
  it('discounts a retained monthly margin: Σ m ρᵏ/(1+d)ᵏ', () => {
    const { total, monthly } = simpleClv({
      averageOrderValue: 100,
      purchasesPerMonth: 2,
      margin: 0.5,
      retentionMonthly: 0.9,
      discountMonthly: 0.01,
      months: 3,
    });
    const m = 100;
    expect(monthly).toHaveLength(3);
    expect(total).toBeCloseTo(m * (0.9 / 1.01 + 0.81 / 1.01 ** 2 + 0.729 / 1.01 ** 3), 10);
  });
});

describe('properties', () => {
  const params = fc.record({
    r: fc.double({ min: 0.05, max: 5, noNaN: true }),
    alpha: fc.double({ min: 0.1, max: 50, noNaN: true }),
    a: fc.double({ min: 0.05, max: 5, noNaN: true }).filter((a) => Math.abs(a - 1) > 1e-3),
    b: fc.double({ min: 0.05, max: 10, noNaN: true }),
  });
  const history = fc
    .record({
      x: fc.integer({ min: 0, max: 300 }),
      T: fc.double({ min: 1, max: 200, noNaN: true }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ x, T, share }) => ({ x, T, tx: x === 0 ? 0 : T * share }));
  const model = fc.constantFrom('bgnbd' as const, 'mbgnbd' as const);

  it('P(alive) lies in [0, 1] and never rises as time since the last purchase grows', () => {
    fc.assert(
      fc.property(model, params, history, fc.double({ min: 0, max: 100, noNaN: true }), (m, p, h, wait) => {
        const now = probabilityAlive(m, p, h.x, h.tx, h.T);
        const later = probabilityAlive(m, p, h.x, h.tx, h.T + wait);
        expect(now).toBeGreaterThanOrEqual(0);
        expect(now).toBeLessThanOrEqual(1);
        expect(later).toBeLessThanOrEqual(now + 1e-12);
      }),
    );
  });

  it('expected purchases are finite and never fall as the horizon grows', () => {
    fc.assert(
      fc.property(model, params, history, fc.double({ min: 0.1, max: 100, noNaN: true }), (m, p, h, t) => {
        const shorter = expectedPurchases(m, p, t, h.x, h.tx, h.T);
        const longer = expectedPurchases(m, p, t * 2, h.x, h.tx, h.T);
        expect(Number.isFinite(shorter)).toBe(true);
        expect(shorter).toBeGreaterThanOrEqual(0);
        expect(longer).toBeGreaterThanOrEqual(shorter - 1e-9 * (1 + shorter));
        const none = probabilityNoPurchase(m, p, t, h.x, h.tx, h.T);
        expect(none).toBeGreaterThanOrEqual(0);
        expect(none).toBeLessThanOrEqual(1);
      }),
    );
  });

  const base: ClvOptions = { ...DEFAULT_CLV_OPTIONS, asOf: CDNOW_CALIBRATION_END, horizonDays: 91 };
  const sample = cdnow.filter((_, i) => i % 40 === 0);
  const fitted = predictClv(cdnow, base);
  const withOptions = (o: Partial<typeof base>) => predictClv(cdnow, { ...base, ...o }).customers;

  it('CLV is never negative nor NaN; a higher discount never raises it; a longer horizon never lowers it', () => {
    expect(fitted.method).toBe('probabilistic');
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        fc.integer({ min: 1, max: 36 }),
        (d1, d2, months) => {
          const [low, high] = d1 < d2 ? [d1, d2] : [d2, d1];
          const cheap = withOptions({ discountMonthly: low, clvMonths: months });
          const dear = withOptions({ discountMonthly: high, clvMonths: months });
          const longer = withOptions({ discountMonthly: low, clvMonths: months + 6 });
          for (const c of sample) {
            const i = cdnow.indexOf(c);
            expect(Number.isNaN(cheap[i].clv)).toBe(false);
            expect(cheap[i].clv).toBeGreaterThanOrEqual(0);
            expect(dear[i].clv).toBeLessThanOrEqual(cheap[i].clv + 1e-9);
            expect(longer[i].clv).toBeGreaterThanOrEqual(cheap[i].clv - 1e-9);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

it('uses dates only through asOf', () => {
  expect(dayFromParts(1997, 9, 30)).toBe(CDNOW_CALIBRATION_END);
});
