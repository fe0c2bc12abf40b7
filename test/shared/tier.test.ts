import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CustomerSummary,
  dayFromParts,
  explainAll,
  explainCustomer,
  getPreset,
  parseCustomerTable,
  scoreBook,
  summarizePopulation,
  type TierwiseConfig,
} from '../../shared';

const asOf = dayFromParts(2024, 6, 30)!;

/** A customer table: id, days since the last purchase, orders, total spend, then any attributes. */
function book(header: string[], rows: unknown[][]): CustomerSummary[] {
  const { customers, rejected } = parseCustomerTable({ header, rows }, { asOf });
  expect(rejected).toEqual([]);
  return customers;
}

const tiersOf = (customers: CustomerSummary[], config: TierwiseConfig): (string | null)[] => {
  const scored = scoreBook(customers, config, { asOf });
  return [...scored.tier].map((t) => (t < 0 ? null : config.tiers[t].key));
};

describe('tier models, worked by hand', () => {
  it('RFM rules with a manager’s thresholds', () => {
    const config = getPreset('rfm-segments')!;
    config.scores = {
      scale: 5,
      recency: { method: 'thresholds', cuts: [30, 60, 120, 240] },
      frequency: { method: 'thresholds', cuts: [2, 3, 5, 10] },
      monetary: { method: 'thresholds', cuts: [100, 300, 1000, 3000] },
    };
    const customers = book(
      ['id', 'recency_days', 'orders', 'total_spend'],
      [
        ['champ', 10, 12, 5000], // R5 F5 M5
        ['new', 5, 1, 50], // R5 F1 M1
        ['cant-lose', 400, 10, 4000], // R1 F5 M5
        ['lost', 300, 1, 20], // R1 F1 M1
        ['sleepy', 100, 1, 80], // R3 F1 M1
      ],
    );
    expect(tiersOf(customers, config)).toEqual(['champions', 'new', 'cant-lose', 'lost', 'about-to-sleep']);
  });

  it('Pareto: platinum until better customers hold 80 % of revenue; ties share a tier; ≤ 0 is poor', () => {
    const customers = book(
      ['id', 'recency_days', 'orders', 'total_spend'],
      [
        ['a', 1, 5, 500],
        ['b', 1, 3, 300],
        ['c', 1, 1, 100],
        ['d', 1, 1, 50],
        ['e', 1, 1, 50],
        ['f', 1, 1, 0],
      ],
    );
    // Shares held by better customers: a 0, b 0.5, c 0.8, d and e 0.9.
    expect(tiersOf(customers, getPreset('value-pyramid')!)).toEqual([
      'platinum',
      'platinum',
      'gold',
      'gold',
      'gold',
      'poor',
    ]);
  });

  it('purchase cycle × order value grid with absolute cuts', () => {
    const config = getPreset('cycle-spend-grid')!;
    config.model = {
      kind: 'matrix',
      rows: { metric: 'averageOrderValue', cuts: [50, 200] },
      columns: { metric: 'averageCycle', cuts: [30, 90], missingBand: 2 },
      cells: [
        ['silver', 'development', 'optimise'],
        ['gold', 'silver', 'development'],
        ['platinum', 'gold', 'silver'],
      ],
    };
    const customers = book(
      ['id', 'last_purchase', 'first_purchase', 'orders', 'total_spend'],
      [
        ['big-often', '2024-06-01', '2024-01-01', 11, 3300], // 300 per order, every 15 days
        ['small-rare', '2024-06-01', '2023-06-01', 2, 40], // 20 per order, every 366 days
        ['medium-mid', '2024-06-01', '2024-01-03', 3, 300], // 100 per order, every 75 days
        ['big-once', '2024-06-01', '', 1, 500], // no cycle yet → long
      ],
    );
    expect(tiersOf(customers, config)).toEqual(['platinum', 'optimise', 'silver', 'silver']);
  });

  it('nine-grid from the customer table’s potential and adoption columns', () => {
    const customers = book(
      ['id', 'recency_days', 'orders', 'total_spend', 'potential', 'adoption'],
      [
        ['a', 1, 1, 1, 9, 3],
        ['b', 1, 1, 1, 8, 0],
        ['c', 1, 1, 1, 5, 1],
        ['d', 1, 1, 1, 2, 3],
        ['e', 1, 1, 1, '', 3],
      ],
    );
    expect(tiersOf(customers, getPreset('nine-grid')!)).toEqual([
      'reinforce',
      'develop',
      'maintain',
      'remote',
      null,
    ]);
    const scored = scoreBook(customers, getPreset('nine-grid')!, { asOf });
    expect(explainCustomer(scored, 4).reasons).toContain('no tier: potential is unknown for this customer');
  });

  it('weighted grade: 0.3 credit + 0.3 spend rank + 0.2 growth + 0.2 profit', () => {
    const customers = book(
      ['id', 'recency_days', 'orders', 'total_spend', 'daysLate', 'growth'],
      [
        ['punctual-big', 1, 9, 9000, 0, 5], // 0.3·100 + 0.3·50 (beats 2 of 3) + 0.2·100 + 0.2·50 = 75
        ['late-small', 1, 1, 10, 45, 1], // 0 + 0.3·25 + 0 + 0.2·50 = 17.5
        ['average', 1, 3, 300, 5, 3], // 0.3·70 + 0.3·25 + 0.2·50 + 0.2·50 = 48.5
      ],
    );
    expect(tiersOf(customers, getPreset('weighted-grade')!)).toEqual(['grade-b', 'grade-d', 'grade-c']);
    const scored = scoreBook(customers, getPreset('weighted-grade')!, { asOf });
    expect(explainCustomer(scored, 0).reasons).toContain('weighted score 75.0');
  });

  it('lead intent A/B/C from money, authority and need', () => {
    const customers = book(
      ['id', 'recency_days', 'orders', 'total_spend', 'money', 'authority', 'need'],
      [
        ['a', 1, 0, 0, 2, 2, 2],
        ['b', 1, 0, 0, 1, 2, 1],
        ['c', 1, 0, 0, 0, 2, 2],
        ['x', 1, 0, 0, 2, 2, 0],
      ],
    );
    expect(tiersOf(customers, getPreset('lead-intent')!)).toEqual([
      'intent-a',
      'intent-b',
      'intent-c',
      'invalid',
    ]);
  });

  it('risk level from how many purchase cycles have passed', () => {
    const customers = book(
      ['id', 'last_purchase', 'first_purchase', 'orders', 'total_spend'],
      [
        ['good', '2024-06-20', '2024-01-01', 6, 600], // cycle ~34 days, 10 days ago
        ['watch', '2024-04-01', '2024-01-01', 4, 400], // cycle ~30 days, 90 days ago → 3 cycles
        ['risk', '2023-12-01', '2023-10-01', 3, 300], // cycle ~30 days, 212 days ago
        ['once', '2024-06-01', '', 1, 100],
      ],
    );
    expect(tiersOf(customers, getPreset('risk-revisit')!)).toEqual(['good', 'watch', 'risk', 'normal']);
  });
});

describe('reasons, actions and due dates', () => {
  const customers = book(
    ['id', 'name', 'owner', 'last_purchase', 'first_purchase', 'orders', 'total_spend', 'last_contact'],
    [
      ['acme', 'Acme Ltd', 'ana', '2024-05-20', '2024-01-01', 5, 1000, ''], // cycle 35 days, 41 days ago
      ['beta', 'Beta', 'bo', '2024-06-25', '2024-06-25', 1, 100, '2024-06-28'],
    ],
  );

  it('says why, what to do and when, in plain language', () => {
    const scored = scoreBook(customers, getPreset('value-pyramid')!, { asOf });
    const [acme, beta] = explainAll(scored);
    expect(acme).toMatchObject({ tier: 'platinum', tierLabel: 'Platinum', owner: 'ana', overdue: true });
    expect(acme.reasons.slice(0, 3)).toEqual([
      'bought 41 days ago',
      'usually buys every 35 days',
      'top 50 % by spend',
    ]);
    expect(acme.reasons).toContain('overdue: 41 days since the last purchase, usual cycle 35 days');
    expect(acme.nextContactDue).toBe(dayFromParts(2024, 6, 3)); // 14-day cadence from the last purchase, already past
    // Of two customers, the older purchase scores R1; the more orders and spend score F5 M5.
    expect(acme.segment).toBe("Can't Lose Them");
    expect(beta).toMatchObject({ tier: 'gold', overdue: false, nextContactDue: dayFromParts(2024, 7, 28) }); // 30 days after contact
    expect(beta.reasons[1]).toBe('one purchase so far');
  });

  it('speaks Chinese when the configuration does', () => {
    const scored = scoreBook(customers, getPreset('value-pyramid-zh')!, { asOf });
    const acme = explainCustomer(scored, 0);
    expect(acme.tierLabel).toBe('铂金');
    expect(acme.reasons[0]).toBe('41 天前购买');
  });

  it('sums customers and revenue per tier and draws the Pareto curve', () => {
    const summary = summarizePopulation(scoreBook(customers, getPreset('value-pyramid')!, { asOf }));
    expect(summary.tiers[0]).toMatchObject({ tier: 'platinum', customers: 1, revenue: 1000 });
    expect(summary.tiers[0].revenueShare).toBeCloseTo(1000 / 1100, 12);
    expect(summary.paretoCurve.at(-1)).toEqual({ customerShare: 1, revenueShare: 1 });
  });
});

describe('properties of the whole pipeline', () => {
  const customerRows = fc.array(
    fc.record({
      recency: fc.integer({ min: 0, max: 720 }),
      orders: fc.integer({ min: 1, max: 40 }),
      spend: fc.integer({ min: 1, max: 50_000 }),
    }),
    { minLength: 2, maxLength: 60 },
  );
  const toBook = (rows: { recency: number; orders: number; spend: number }[]) =>
    book(
      ['id', 'recency_days', 'orders', 'total_spend'],
      rows.map((r, i) => [`c${i}`, r.recency, r.orders, r.spend]),
    );

  it('more spend never lowers a value tier, all else equal', () => {
    const config = getPreset('value-pyramid')!;
    fc.assert(
      fc.property(customerRows, fc.nat(), fc.integer({ min: 1, max: 100_000 }), (rows, pick, extra) => {
        const i = pick % rows.length;
        const before = scoreBook(toBook(rows), config, { asOf }).tier[i];
        const richer = rows.map((r, k) => (k === i ? { ...r, spend: r.spend + extra } : r));
        const after = scoreBook(toBook(richer), config, { asOf }).tier[i];
        expect(after).toBeLessThanOrEqual(before); // tiers are listed best first
      }),
    );
  });

  it('results are deterministic and independent of row order', () => {
    const config = getPreset('rfm-segments')!;
    fc.assert(
      fc.property(customerRows, (rows) => {
        const forward = explainAll(scoreBook(toBook(rows), config, { asOf }));
        const backward = explainAll(scoreBook(toBook([...rows].reverse()), config, { asOf }));
        const byId = (list: typeof forward) => Object.fromEntries(list.map((r) => [r.customerId, r]));
        const renamed = backward.map((r) => ({
          ...r,
          customerId: `c${rows.length - 1 - Number(r.customerId.slice(1))}`,
        }));
        expect(byId(renamed)).toEqual(byId(forward));
      }),
    );
  });

  it('every customer of the RFM preset gets a segment, whatever the scores', () => {
    fc.assert(
      fc.property(customerRows, (rows) => {
        const scored = scoreBook(toBook(rows), getPreset('rfm-segments')!, { asOf });
        expect([...scored.tier].every((t) => t >= 0)).toBe(true);
      }),
    );
  });
});
