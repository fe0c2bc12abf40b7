/**
 * CLV figures (issues 3 and 11), like for like: the same data for Tierwise and the peer, and both the
 * cold figure (the first call in this process, before the JIT has warmed up: what one CLI run pays)
 * and the warm one (best of several). lifetimes 0.11.3 cannot be installed here; its figures were
 * measured elsewhere, cold, on the same data: the CDNOW sample, and 1,000,000 distinct histories from
 * the generator below (written out by this benchmark for bench/peers/clv_peer.py to read). SciPy, when
 * installed here, is timed on the very same file with the same BG/NBD likelihood.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALL_COUNT_MODELS,
  type BgParams,
  type CustomerSummary,
  DEFAULT_CLV_OPTIONS,
  dayFromParts,
  fitCountModel,
  fitGammaGamma,
  type Histories,
  historiesFrom,
  parseTransactions,
  predictClv,
  summarize,
} from '../shared';
import { best, line, mb, seeded, time } from './util';

const CDNOW_END = dayFromParts(1997, 9, 30)!;

function cdnowSummary() {
  const rows = readFileSync(new URL('../test/fixtures/cdnow/CDNOW_sample.txt', import.meta.url), 'utf8')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trim().split(/\s+/))
    .map(([, id, date, , value]) => [id, date, value]);
  const { log } = parseTransactions({ header: ['customer_id', 'date', 'amount'], rows });
  return summarize(log, { asOf: CDNOW_END });
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
 * 12 weeks of a 39-week calibration period. `toDays` keeps purchase times to the day as real logs are
 * (about 107,000 distinct histories in a million); without it every history is distinct, as in the
 * peer's 1M benchmark.
 */
export function simulateBgnbd(truth: BgParams, customers: number, seed = 3, toDays = true): Histories {
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
    tx[i] = toDays ? Math.floor(last * 7) / 7 : last;
    T[i] = toDays ? length : length + random() / 7;
  }
  return { unit: 'week', x, tx, T };
}

/** `cold ms / warm ms`: the first call, then the best of `repeats`; CPU time of the cold call beside. */
function coldWarm<T>(repeats: number, run: () => T): { result: T; text: string; coldMs: number } {
  const cpu = process.cpuUsage();
  const cold = time(run);
  const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
  const warm = best(repeats, run);
  return {
    result: cold.result,
    coldMs: cold.ms,
    text: `${cold.ms.toFixed(1)} (CPU ${cpuMs.toFixed(0)}) / ${warm.ms.toFixed(1)} ms`,
  };
}

/** Customer summaries for predictClv from simulated histories: one purchase day a unit of spend 10–60. */
function summariesFrom(h: Histories, asOf: number): CustomerSummary[] {
  const random = seeded(11);
  return Array.from(h.x, (x, i) => {
    const first = asOf - Math.round(h.T[i] * 7);
    const spend = 10 + 50 * random();
    return {
      customerId: `c${i}`,
      name: null,
      owner: null,
      firstPurchase: first,
      lastPurchase: first + Math.round(h.tx[i] * 7),
      lastContact: null,
      orders: x + 1,
      purchaseDays: x + 1,
      repeatPurchases: x,
      // Histories count in weeks, summaries in days.
      sinceLastPurchase: (h.T[i] - h.tx[i]) * 7,
      firstToLastPurchase: h.tx[i] * 7,
      tenure: h.T[i] * 7,
      totalSpend: spend * (x + 1),
      averageOrderValue: spend,
      repeatAverageSpend: x > 0 ? spend : null,
      averageCycle: x > 0 ? (h.tx[i] / x) * 7 : null,
      profit: null,
      attributes: {},
    };
  });
}

/** The peer on the same file, when Python with SciPy is installed here; null otherwise. */
function scipyPeer(file: string): string | null {
  const script = new URL('../bench/peers/clv_peer.py', import.meta.url).pathname; // from dist/
  const run = spawnSync('python3', [script, file], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) return null;
  return run.stdout.trim();
}

export function benchClv(): void {
  console.log(
    '\nCustomer lifetime value (issues 3, 11): cold / warm (best of 10) on the same data as the peer',
  );
  const cdnow = cdnowSummary();
  const { histories } = historiesFrom(cdnow, 'week');
  const repeaters = cdnow.filter((c) => c.repeatPurchases > 0);
  const spend = {
    x: Float64Array.from(repeaters, (c) => c.repeatPurchases),
    meanSpend: Float64Array.from(repeaters, (c) => c.repeatAverageSpend!),
  };
  const bg = coldWarm(10, () => fitCountModel(histories, 'bgnbd'));
  line('CDNOW (2,357 customers): BG/NBD fit', bg.text, 'lifetimes 57 ms cold');
  const gg = coldWarm(10, () => fitGammaGamma(spend));
  line('CDNOW: Gamma-Gamma fit (946 repeat buyers)', gg.text, 'lifetimes 27 ms cold');
  line(
    '  BG/NBD + Gamma-Gamma, cold against cold',
    `${(bg.coldMs + gg.coldMs).toFixed(1)} ms`,
    `lifetimes 84 ms: ${(84 / (bg.coldMs + gg.coldMs)).toFixed(1)}× faster`,
  );
  line('CDNOW: MBG/NBD fit', coldWarm(10, () => fitCountModel(histories, 'mbgnbd')).text);
  const pareto = coldWarm(5, () => fitCountModel(histories, 'pareto-nbd'));
  const pFit = pareto.result;
  line(
    'CDNOW: Pareto/NBD fit',
    pareto.text,
    pFit.ok
      ? `r ${pFit.params.r.toFixed(3)}, s ${(pFit.params as { s: number }).s.toFixed(3)}; LL ${pFit.logLikelihood?.toFixed(1)}`
      : pFit.reason,
  );
  const options = { ...DEFAULT_CLV_OPTIONS, asOf: CDNOW_END };
  line(
    'CDNOW: predictClv (fits + every customer, 12 months)',
    coldWarm(5, () => predictClv(cdnow, options)).text,
  );

  const truth: BgParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const distinct = time(() => simulateBgnbd(truth, 1_000_000, 3, false));
  line('simulate 1,000,000 customers, every history distinct (peer’s data)', `${distinct.ms.toFixed(0)} ms`);
  const cpuBefore = process.cpuUsage();
  const fitted = time(() => fitCountModel(distinct.result, 'bgnbd'));
  const cpu = process.cpuUsage(cpuBefore);
  const again = time(() => fitCountModel(distinct.result, 'bgnbd'));
  line(
    'fit BG/NBD, 1,000,000 distinct histories',
    `${fitted.ms.toFixed(0)} / ${again.ms.toFixed(0)} ms`,
    `CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms cold; lifetimes 10,700 ms cold on this data (elsewhere)`,
  );
  recovered(truth, fitted.result);
  const file = join(mkdtempSync(join(tmpdir(), 'tierwise-bench-')), 'bgnbd-1m.csv');
  writeHistories(distinct.result, file);
  const peer = scipyPeer(file);
  line(
    '  SciPy on the same file (bench/peers/clv_peer.py)',
    peer ?? 'not installed',
    peer ? '' : 'python3 with numpy and scipy',
  );

  const days = time(() => simulateBgnbd(truth, 1_000_000));
  const dayFit = time(() => fitCountModel(days.result, 'bgnbd'));
  line(
    'fit BG/NBD, 1,000,000 customers kept to the day (~107k distinct)',
    `${dayFit.ms.toFixed(0)} ms`,
    'cold',
  );

  // A 1,000,000-customer CLV run: the fits, then P(alive), purchases, spend and 12 monthly values each.
  const book = summariesFrom(days.result, CDNOW_END);
  const heapBefore = process.memoryUsage().heapUsed;
  const clv = time(() => predictClv(book, options, ALL_COUNT_MODELS));
  const heapAfter = process.memoryUsage().heapUsed;
  line(
    'predictClv, 1,000,000 customers (MBG/NBD + Gamma-Gamma, 12 months)',
    `${clv.ms.toFixed(0)} ms`,
    `${clv.result.method}; heap +${mb(heapAfter - heapBefore)}`,
  );
}

function recovered(truth: BgParams, fit: ReturnType<typeof fitCountModel>): void {
  if (!fit.ok) {
    line('  fit failed', '', fit.reason);
    return;
  }
  const p = fit.params as BgParams;
  const errors = (Object.keys(truth) as (keyof BgParams)[]).map(
    (k) => `${k} ${p[k].toFixed(4)} (${(((p[k] - truth[k]) / truth[k]) * 100).toFixed(2)} %)`,
  );
  line('  recovered vs true parameters', '', errors.join(', '));
}

/** x, t_x, T as CSV (lifetimes' frequency, recency, T), for the peer to read. */
function writeHistories(h: Histories, file: string): void {
  const lines = ['frequency,recency,T'];
  for (let i = 0; i < h.x.length; i++) lines.push(`${h.x[i]},${h.tx[i]},${h.T[i]}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}
