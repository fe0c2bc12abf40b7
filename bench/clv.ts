/** Issue 3's figures: BG/NBD + Gamma-Gamma on CDNOW, and fit + predict on 1M simulated customers. */

import { readFileSync } from 'node:fs';
import {
  type BgParams,
  dayFromParts,
  expectedPurchases,
  fitGammaGamma,
  fitRepeatModel,
  type Histories,
  historiesFrom,
  parseTransactions,
  probabilityAlive,
  summarize,
} from '../shared';
import { best, line, seeded, time } from './util';

function cdnowSummary() {
  const rows = readFileSync(new URL('../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url), 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/))
    .map(([, id, date, , value]) => [id, date, value]);
  const { log } = parseTransactions({ header: ['customer_id', 'date', 'amount'], rows });
  return summarize(log, { asOf: dayFromParts(1997, 9, 30)!, unit: 'week' });
}

/** Gamma(shape, rate) by Marsaglia & Tsang, boosted for shape < 1. */
function gammaSampler(random: () => number) {
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const sample = (shape: number): number => {
    if (shape < 1) return sample(shape + 1) * random() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const z = normal();
      const v = (1 + c * z) ** 3;
      if (v <= 0) continue;
      const u = random();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return sample;
}

/**
 * Customers drawn from a known BG/NBD: λ ~ Gamma(r, α), p ~ Beta(a, b), first purchases spread over
 * 12 weeks of a 39-week calibration period, purchase times kept to the day as real logs are.
 */
export function simulateBgnbd(truth: BgParams, customers: number, seed = 3): Histories {
  const random = seeded(seed);
  const gamma = gammaSampler(random);
  const x = new Float64Array(customers);
  const tx = new Float64Array(customers);
  const T = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const lambda = gamma(truth.r) / truth.alpha;
    const g1 = gamma(truth.a);
    const p = g1 / (g1 + gamma(truth.b));
    const lengthDays = 273 - Math.floor(random() * 84);
    const length = lengthDays / 7;
    let t = 0;
    let count = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(1 - random()) / lambda;
      if (t > length) break;
      count++;
      last = t;
      if (random() < p) break;
    }
    x[i] = count;
    tx[i] = Math.floor(last * 7) / 7;
    T[i] = length;
  }
  return { unit: 'week', x, tx, T };
}

export function benchClv(): void {
  console.log('\nCustomer lifetime value (issue 3)');
  const cdnow = cdnowSummary();
  const { histories } = historiesFrom(cdnow, 'week');
  const repeaters = cdnow.filter((c) => c.repeatPurchases > 0);
  const spend = {
    x: Float64Array.from(repeaters, (c) => c.repeatPurchases),
    meanSpend: Float64Array.from(repeaters, (c) => c.repeatAverageSpend!),
  };
  const both = best(20, () => [fitRepeatModel(histories, 'bgnbd'), fitGammaGamma(spend)]);
  line(
    'CDNOW: BG/NBD + Gamma-Gamma fits (2,357 customers)',
    `${both.ms.toFixed(1)} ms`,
    `cold ${both.coldMs.toFixed(1)} ms; lifetimes 57 + 27 ms`,
  );
  const mbg = best(20, () => fitRepeatModel(histories, 'mbgnbd'));
  line('CDNOW: MBG/NBD fit', `${mbg.ms.toFixed(1)} ms`);

  const truth: BgParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const simulated = time(() => simulateBgnbd(truth, 1_000_000));
  line('simulate 1,000,000 customers from BG/NBD (CDNOW parameters)', `${simulated.ms.toFixed(0)} ms`);
  const fitted = time(() => fitRepeatModel(simulated.result, 'bgnbd'));
  const fit = fitted.result;
  line('fit BG/NBD on 1,000,000 customers', `${fitted.ms.toFixed(0)} ms`, 'lifetimes 10,700 ms');
  if (fit.ok) {
    const errors = (Object.keys(truth) as (keyof BgParams)[]).map(
      (k) =>
        `${k} ${fit.params[k].toFixed(4)} (${(((fit.params[k] - truth[k]) / truth[k]) * 100).toFixed(2)} %)`,
    );
    line('  recovered vs true parameters', '', errors.join(', '));
  } else {
    line('  fit failed', '', fit.reason);
  }
  const h = simulated.result;
  const predicted = time(() => {
    if (!fit.ok) return 0;
    let total = 0;
    for (let i = 0; i < h.x.length; i++) {
      total += probabilityAlive('bgnbd', fit.params, h.x[i], h.tx[i], h.T[i]);
      total += expectedPurchases('bgnbd', fit.params, 39, h.x[i], h.tx[i], h.T[i]);
    }
    return total;
  });
  line('predict P(alive) + 39-week purchases, 1,000,000 customers', `${predicted.ms.toFixed(0)} ms`);
}
