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
    // One value left: nobody is better or worse, so it takes the middle band.
    expect([...quantileBands(Float64Array.of(Number.NaN, 1), 3)]).toEqual([-1, 1]);
  });

  it('is fair at the best end: 6 of 10 customers bought on the as-of date score R5, as in R rfm', () => {
    const days = Float64Array.of(0, 0, 0, 0, 0, 0, 12, 40, 90, 200);
    const r = scoreValues(days, quantile, 5, true);
    expect([...r]).toEqual([5, 5, 5, 5, 5, 5, 2, 2, 1, 1]);
    // R rfm 0.3.0's recency scores of the same customers (its rule, re-implemented below) are the
    // same: a value on a quantile boundary takes the better band.
    expect(rfmPackageScores([...days], 5, true)).toEqual([...r]);
  });

  it('gives the middle score when everyone has the same value', () => {
    expect([...scoreValues(new Float64Array(7), quantile, 5, true)]).toEqual([3, 3, 3, 3, 3, 3, 3]);
  });

  it('scores 0.10 + 0.20 and 0.30 the same, also when spends span more than a cent histogram', () => {
    // 50,000.00 spans 5M cents, past the histogram: the sorted path must see the float noise as equal.
    for (const top of [500, 50_000, 5e9]) {
      const spend = Float64Array.of(0.1 + 0.2, 0.3, 0.29, 0.31, 10, top);
      const m = scoreValues(spend, quantile, 5, false);
      expect(m[0]).toBe(m[1]);
      expect(m[2]).toBeLessThan(m[1]);
      expect(m[3]).toBeGreaterThan(m[1]);
      const below = shareBelow(spend);
      expect(below[0]).toBe(below[1]);
      const above = shareAbove(spend, 'value');
      expect(above[0]).toBe(above[1]);
    }
  });

  it('keeps distinct large amounts apart: 10,000,000.00 and 10,000,000.01', () => {
    const spend = Float64Array.of(1e7, 1e7 + 0.01, 1e7 + 0.02, 0.5);
    expect([...scoreValues(spend, quantile, 4, false)]).toEqual([2, 3, 4, 1]);
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

  it('property: the worst value scores 1 and the best scores the top, however many share them', () => {
    fc.assert(
      fc.property(values, scale, fc.boolean(), (list, n, lower) => {
        fc.pre(new Set(list).size > 1);
        const scores = scoreValues(Float64Array.from(list), quantile, n, lower);
        const best = lower ? Math.min(...list) : Math.max(...list);
        const worst = lower ? Math.max(...list) : Math.min(...list);
        for (const [i, v] of list.entries()) {
          if (v === best) expect(scores[i]).toBe(n);
          if (v === worst) expect(scores[i]).toBe(1);
        }
      }),
    );
  });

  it('property: float noise in a sum never splits equal amounts', () => {
    const cents = fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.array(cents, { minLength: 2, maxLength: 40 }), fc.boolean(), (baskets, wide) => {
        // Each customer twice: amounts summed in order and in reverse, as two logs would.
        const sum = (list: number[]) => list.reduce((s, c) => s + c / 100, 0);
        const spend = baskets.flatMap((b) => [sum(b), sum([...b].reverse())]);
        if (wide) spend.push(1e6); // past the cent histogram
        const m = scoreValues(Float64Array.from(spend), quantile, 5, false);
        for (let k = 0; k < baskets.length; k++) expect(m[2 * k]).toBe(m[2 * k + 1]);
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
    // Values within the tie tolerance of another are one value (tested above), so keep clear of 0.
    fc
      .double({ min: -1e6, max: 1e6, noNaN: true })
      .filter((v) => v === 0 || Math.abs(v) > 1e-6)
      .filter((v) => Math.abs(v * 100 - Math.round(v * 100)) > 1e-5 || v * 100 === Math.round(v * 100)),
    fc.constant(Number.NaN),
  );

  it('property: quantile bands follow the documented rule (worse / (worse + better))', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 80 }), fc.constantFrom(3, 5), (list, bands) => {
        const present = list.filter((v) => !Number.isNaN(v));
        const fast = quantileBands(Float64Array.from(list), bands);
        for (const [i, v] of list.entries()) {
          if (Number.isNaN(v)) {
            expect(fast[i]).toBe(-1);
            continue;
          }
          const worse = present.filter((w) => w < v).length;
          const better = present.filter((w) => w > v).length;
          const p = worse + better === 0 ? 0.5 : worse / (worse + better);
          expect(fast[i]).toBe(Math.min(bands - 1, Math.floor(p * bands + 1e-9)));
        }
      }),
    );
  });

  it('property: the radix sort groups ties exactly as sorting and searching did (±0, ±Infinity, noise)', () => {
    // The grouping before the radix sort (before issue 11): sort, anchor, binary search.
    const reference = (values: Float64Array, bands: number): number[] => {
      const sorted = values.filter((v) => !Number.isNaN(v)).sort();
      const anchor = new Int32Array(sorted.length);
      for (let k = 1, a = 0; k < sorted.length; k++) {
        if (!(sorted[k] - sorted[a] <= 1e-12 * Math.max(1, Math.abs(sorted[a])))) a = k;
        anchor[k] = a;
      }
      const first = (v: number) => sorted.findIndex((w) => !(w < v));
      const cells = [...values].map((v) => (Number.isNaN(v) ? -1 : anchor[first(v)]));
      return cells.map((g) => {
        if (g < 0) return -1;
        const worse = cells.filter((h) => h >= 0 && h < g).length;
        const better = cells.filter((h) => h > g).length;
        const p = worse + better === 0 ? 0.5 : worse / (worse + better);
        return Math.min(bands - 1, Math.floor(p * bands + 1e-9));
      });
    };
    const base = fc.oneof(
      fc.double({ noNaN: true }),
      fc.constantFrom(0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5e-324, 0.1 + 0.2, 0.3),
    );
    // Off every grid (0.123…), with near-equal neighbours (within and just beyond the tolerance).
    const noisy = fc.tuple(base, fc.constantFrom(0, 1e-13, -1e-13, 3e-12, 1e-9)).map(([v, e]) => v * (1 + e));
    fc.assert(
      fc.property(fc.array(fc.oneof(noisy, fc.constant(Number.NaN)), { maxLength: 60 }), (list) => {
        const values = Float64Array.from([0.123456789, ...list]);
        expect([...quantileBands(values, 5)]).toEqual(reference(values, 5));
      }),
      { numRuns: 500 },
    );
  });

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

/**
 * R `rfm` 0.3.0's recency/frequency scores (rsquaredacademy/rfm, R/rfm-table-transaction.R and
 * R/utils.R): breaks are the inner quantiles (R's default type 7) plus 1, and a value v is in band k
 * when lower[k] <= v < upper[k]; recency bands are numbered from the best. For comparison only.
 */
function rfmPackageScores(values: number[], bins: number, recency: boolean): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const quantile = (p: number): number => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]);
  };
  const breaks = Array.from({ length: bins - 1 }, (_, k) => quantile((k + 1) / bins) + 1);
  const lower = [sorted[0], ...breaks];
  const upper = [...breaks, sorted[sorted.length - 1] + 1];
  return values.map((v) => {
    let score = Number.NaN; // R assigns in order, so a later band overwrites an earlier one
    for (let k = 0; k < bins; k++) if (v >= lower[k] && v < upper[k]) score = recency ? bins - k : k + 1;
    return score;
  });
}
