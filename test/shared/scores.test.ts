import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileBands, scoreValues, shareAbove, shareBelow } from '../../shared';

const quantile = { method: 'quantile' } as const;

describe('quantile scores', () => {
  it('documents the tie rule: 50 customers, 60 % bought once', () => {
    const orders = Float64Array.from({ length: 50 }, (_, i) => (i < 30 ? 1 : i < 40 ? 2 : i < 45 ? 3 : 6));
    const f = scoreValues(orders, quantile, 5, false);
    expect(f[0]).toBe(1); // one-time buyers beat nobody
    expect(f[30]).toBe(4); // two orders beat 60 %
    expect(f[40]).toBe(5); // three orders beat 80 %
    expect(f[49]).toBe(5);
    expect(new Set(f)).toEqual(new Set([1, 4, 5]));
  });

  it('gives 1..5 to five distinct values and orders recency the other way', () => {
    const values = Float64Array.of(10, 20, 30, 40, 50);
    expect([...scoreValues(values, quantile, 5, false)]).toEqual([1, 2, 3, 4, 5]);
    expect([...scoreValues(values, quantile, 5, true)]).toEqual([5, 4, 3, 2, 1]);
  });

  it('uses a manager’s thresholds: recency within 30 days scores 5', () => {
    const days = Float64Array.of(0, 30, 31, 60, 61, 240, 241);
    expect([...scoreValues(days, { method: 'thresholds', cuts: [30, 60, 120, 240] }, 5, true)]).toEqual([
      5, 5, 4, 4, 3, 2, 1,
    ]);
    const orders = Float64Array.of(1, 2, 3, 4, 5, 9, 10, 50);
    expect([...scoreValues(orders, { method: 'thresholds', cuts: [2, 3, 5, 10] }, 5, false)]).toEqual([
      1, 2, 3, 3, 4, 4, 5, 5,
    ]);
  });

  it('leaves missing values unscored (0) and out of the population', () => {
    expect([...shareBelow(Float64Array.of(Number.NaN, 1, 2))]).toEqual([Number.NaN, 0, 0.5]);
    expect([...quantileBands(Float64Array.of(Number.NaN, 1), 3)]).toEqual([-1, 0]);
  });

  const values = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 200 });
  const scale = fc.constantFrom(3, 4, 5);

  it('property: scores stay in 1..scale and equal values score equally', () => {
    fc.assert(
      fc.property(values, scale, fc.boolean(), (list, n, lower) => {
        const scores = scoreValues(Float64Array.from(list), quantile, n, lower);
        for (const [i, v] of list.entries()) {
          expect(scores[i]).toBeGreaterThanOrEqual(1);
          expect(scores[i]).toBeLessThanOrEqual(n);
          expect(scores[list.indexOf(v)]).toBe(scores[i]);
        }
      }),
    );
  });

  it('property: a better value never scores lower (more recent never lowers R)', () => {
    fc.assert(
      fc.property(values, scale, (days, n) => {
        const r = scoreValues(Float64Array.from(days), quantile, n, true);
        for (const [i, a] of days.entries()) {
          for (const [j, b] of days.entries()) if (a < b) expect(r[i]).toBeGreaterThanOrEqual(r[j]);
        }
      }),
    );
  });

  it('property: scores do not depend on the order of the population', () => {
    fc.assert(
      fc.property(values, fc.integer(), (list, seed) => {
        const shuffled = [...list].sort((a, b) => ((a * 31 + seed) % 7) - ((b * 31 + seed) % 7));
        const s1 = scoreValues(Float64Array.from(list), quantile, 5, false);
        const s2 = scoreValues(Float64Array.from(shuffled), quantile, 5, false);
        for (const [i, v] of shuffled.entries()) expect(s2[i]).toBe(s1[list.indexOf(v)]);
      }),
    );
  });
});

describe('fast paths agree with the definition', () => {
  const naiveBelow = (values: number[]): number[] => {
    const present = values.filter((v) => !Number.isNaN(v));
    return values.map((v) =>
      Number.isNaN(v) ? Number.NaN : present.filter((w) => w < v).length / present.length,
    );
  };
  const naiveAbove = (values: number[], basis: 'value' | 'customers'): number[] => {
    const positive = values.filter((v) => v > 0);
    const total = positive.reduce((s, v) => s + (basis === 'value' ? v : 1), 0);
    return values.map((v) =>
      v > 0
        ? positive.filter((w) => w > v).reduce((s, w) => s + (basis === 'value' ? w : 1), 0) / total
        : Number.NaN,
    );
  };
  // Whole numbers (histogram), cents (histogram on a 0.01 grid), arbitrary doubles (sort + search).
  const value = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }),
    fc.integer({ min: -100_000, max: 100_000 }).map((c) => c / 100),
    // Documented approximation: values within 1e-6 of one cent are that cent (float noise in sums).
    fc
      .double({ min: -1e6, max: 1e6, noNaN: true })
      .filter((v) => Math.abs(v * 100 - Math.round(v * 100)) > 1e-5 || v * 100 === Math.round(v * 100)),
    fc.constant(Number.NaN),
  );

  it('property: shareBelow equals the share of strictly lower values', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 80 }), (list) => {
        const fast = [...shareBelow(Float64Array.from(list))];
        naiveBelow(list).forEach((expected, i) => {
          if (Number.isNaN(expected)) expect(fast[i]).toBeNaN();
          else expect(fast[i]).toBeCloseTo(expected, 12);
        });
      }),
    );
  });

  it('property: shareAbove equals the share held by strictly greater values', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 80 }),
        fc.constantFrom('value', 'customers'),
        (list, basis) => {
          const fast = [...shareAbove(Float64Array.from(list), basis as 'value' | 'customers')];
          naiveAbove(list, basis as 'value' | 'customers').forEach((expected, i) => {
            if (Number.isNaN(expected)) expect(fast[i]).toBeNaN();
            else expect(fast[i]).toBeCloseTo(expected, 9);
          });
        },
      ),
    );
  });
});
