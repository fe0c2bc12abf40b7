import { isoDate, type Table } from '../../shared';

/** A seeded PRNG (mulberry32), so every run draws the same data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Population {
  customers: number;
  /** First day of the log (ISO day number); first purchases fall in its first `joinDays`. */
  start: number;
  joinDays: number;
  /** Days from `start` to the last day simulated. */
  days: number;
  /** Purchases per day of one customer while active (drawn once per customer). */
  rate: (random: () => number) => number;
  /** Probability of dropping out after each purchase (drawn once per customer). */
  dropout: (random: () => number) => number;
  /** Value of one purchase. */
  spend: (random: () => number, customer: number) => number;
  seed: number;
}

/**
 * A transaction log drawn from a BG/NBD-type process: a first purchase, then purchases at the
 * customer's rate, dropping out after each with the customer's probability. Ids are `c<number>`.
 */
export function simulateLog(p: Population): Table & { rows: (string | number)[][] } {
  const random = seeded(p.seed);
  const rows: (string | number)[][] = [];
  for (let c = 0; c < p.customers; c++) {
    const rate = p.rate(random);
    const dropout = p.dropout(random);
    let day = p.start + Math.floor(random() * p.joinDays);
    const end = p.start + p.days;
    for (;;) {
      rows.push([`c${c}`, isoDate(day), p.spend(random, c)]);
      if (random() < dropout) break;
      day += Math.max(1, Math.round(-Math.log(1 - random()) / rate));
      if (day > end) break;
    }
  }
  return { header: ['customer_id', 'date', 'amount'], rows, firstRowNumber: 2 };
}
