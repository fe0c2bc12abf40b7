/**
 * The number formatter every sentence uses (shared/messages.ts `fmt`: "1,234.50") against a cached
 * Intl.NumberFormat, the candidate issue 14 names, and toLocaleString (what `fmt` replaced). Also counts
 * where the outputs differ: a replacement must be byte-identical (Slack, sheet and CLI texts are checked).
 * V8's Intl rounds the shortest decimal form (30.15 → "30.2") where toFixed rounds the double itself
 * (30.149999… → "30.1"), and writes "-0" and "∞" where `fmt` writes "0" and "Infinity": so `fmt` stays
 * (issue 14; the figures are in the README's benchmarks when run on a quiet machine).
 */

import { fmt } from '../shared/messages';
import { line, seeded, time } from './util';

const N = 100_000;

const cached: Intl.NumberFormat[] = [];
function intl(n: number, digits = 0): string {
  cached[digits] ??= new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  return cached[digits].format(n);
}
/** Intl with toFixed's rounding first: the only way to get `fmt`'s digits from Intl (see the differences). */
const intlRounded = (n: number, digits = 0): string => intl(Number(n.toFixed(digits)), digits);
const locale = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** What the texts format: whole counts (customers, days, rows), amounts in cents, ratios to one decimal. */
function values(): { counts: Float64Array; amounts: Float64Array; ratios: Float64Array } {
  const random = seeded(14);
  const counts = Float64Array.from({ length: N }, () => Math.floor(random() * 200_000));
  const amounts = Float64Array.from({ length: N }, () => Math.round((random() - 0.05) * 2e8) / 100);
  const ratios = Float64Array.from({ length: N }, () => Math.round(random() * 1e5) / 1e3);
  return { counts, amounts, ratios };
}

function perCall(format: (n: number, digits?: number) => string, all: Float64Array, digits: number): number {
  // toLocaleString takes ~60 µs a call: a twentieth of the values is plenty to measure it.
  const xs = format === locale ? all.subarray(0, N / 20) : all;
  let chars = 0;
  const run = () => {
    for (let i = 0; i < xs.length; i++) chars += format(xs[i], digits).length;
  };
  run(); // warm-up
  let fastest = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 5; k++) fastest = Math.min(fastest, time(run).ms);
  if (chars < 0) throw new Error('unreachable'); // keeps the work observable
  return (fastest * 1000) / xs.length;
}

export function benchNumbers(): void {
  console.log(`\nNumber formatting (${N.toLocaleString('en-US')} values a case, best of 5, µs per call)`);
  const { counts, amounts, ratios } = values();
  const cases: [string, Float64Array, number][] = [
    ['counts, 0 decimals', counts, 0],
    ['amounts, 2 decimals', amounts, 2],
    ['ratios, 1 decimal', ratios, 1],
  ];
  for (const [name, xs, digits] of cases) {
    const figures = [fmt, intl, intlRounded, locale].map((f) => perCall(f, xs, digits).toFixed(3));
    line(`${name}: fmt / Intl cached / Intl after toFixed / toLocaleString`, figures.join(' / '));
    for (const [label, other] of [
      ['Intl cached', intl],
      ['Intl after toFixed', intlRounded],
    ] as const) {
      let differ = 0;
      let first = '';
      for (let i = 0; i < xs.length; i++) {
        if (fmt(xs[i], digits) !== other(xs[i], digits) && differ++ === 0)
          first = `e.g. ${xs[i]}: "${fmt(xs[i], digits)}" vs "${other(xs[i], digits)}"`;
      }
      line(`${name}: outputs where ${label} differs from fmt`, `${differ}`, first);
    }
  }
  const edges = [-0.001, 1.005, 38596.85, Number.POSITIVE_INFINITY];
  line(
    'edge values, fmt vs Intl cached (0 and 2 decimals)',
    '',
    edges.map((x) => `${x}: ${fmt(x)}|${intl(x)}, ${fmt(x, 2)}|${intl(x, 2)}`).join('; '),
  );
}
