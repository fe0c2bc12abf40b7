/** Small helpers for benchmarks that print figures. */

export function time<T>(run: () => T): { result: T; ms: number } {
  const start = process.hrtime.bigint();
  const result = run();
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Best of `repeats` runs after one warm-up, so JIT and GC noise count less. */
export function best<T>(repeats: number, run: () => T): { result: T; ms: number; coldMs: number } {
  const cold = time(run);
  let fastest = Number.POSITIVE_INFINITY;
  let result = cold.result;
  for (let k = 0; k < repeats; k++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = time(run);
    if (t.ms < fastest) {
      fastest = t.ms;
      result = t.result;
    }
  }
  return { result, ms: fastest, coldMs: cold.ms };
}

/** The tests' seeded PRNG (mulberry32), so every run draws the same synthetic data. */
export { seeded } from '../test/helpers/simulate';

export const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const line = (label: string, figure: string, note = ''): void =>
  console.log(`  ${label.padEnd(62)} ${figure.padStart(12)}${note ? `   ${note}` : ''}`);
