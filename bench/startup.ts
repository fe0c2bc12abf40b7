/**
 * CLI startup: what a user waits for before any work, through the real binary (bin/tierwise.js →
 * dist/cli.js and the command's chunk). Each command runs `RUNS` times in a fresh `node`; the child's own
 * wall and CPU time (user + sys) are read by bash (EPOCHREALTIME and `times`, millisecond resolution), so
 * the benchmark's own process, however large, adds nothing. `node -e 0` is the floor no CLI can go under.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { line } from './util';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = 10;

/** Seconds of wall and CPU time for one run of `args` in a fresh node, or null without bash. */
function once(args: string[]): { wall: number; cpu: number } | null {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `s=$EPOCHREALTIME; ${quoted} >/dev/null 2>&1; e=$EPOCHREALTIME; echo "$s $e"; times`;
  const run = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0 || !run.stdout) return null;
  const [clock, , children] = run.stdout.trim().split('\n');
  const [start, end] = clock.split(' ').map(Number);
  // `times`: the shell's own user and sys, then its children's: "0m0.052s 0m0.011s".
  const seconds = (text: string) => {
    const [, m, s] = /(\d+)m([\d.]+)s/.exec(text) ?? [];
    return Number(m) * 60 + Number(s);
  };
  const [user, sys] = children.split(' ').map(seconds);
  return { wall: end - start, cpu: user + sys };
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

export function benchStartup(): void {
  console.log(`CLI startup (best and median of ${RUNS} runs each; wall, then CPU user + sys)`);
  const dir = mkdtempSync(join(tmpdir(), 'tierwise-startup-'));
  const tiny = join(dir, 'tiny.csv');
  writeFileSync(tiny, 'customer_id,date,amount\na,2024-01-05,10\nb,2024-02-01,20\na,2024-03-01,5\n');
  const cli = 'bin/tierwise.js';
  const cases: [string, string[]][] = [
    ['`node -e 0` (the floor: Node alone)', ['-e', '0']],
    ['`tierwise --help`', [cli, '--help']],
    ['`tierwise presets`', [cli, 'presets']],
    ['`tierwise score` of a 3-row file', [cli, 'score', tiny, '--as-of', '2024-06-30']],
  ];
  for (const [label, args] of cases) {
    const runs: { wall: number; cpu: number }[] = [];
    for (let k = 0; k < RUNS; k++) {
      const run = once(args);
      if (run) runs.push(run);
    }
    if (runs.length === 0) {
      line(label, 'skipped', 'needs bash');
      continue;
    }
    const walls = runs.map((r) => r.wall);
    const cpus = runs.map((r) => r.cpu);
    const ms = (s: number) => `${Math.round(s * 1000)} ms`;
    line(
      label,
      ms(Math.min(...walls)),
      `median ${ms(median(walls))}; CPU best ${ms(Math.min(...cpus))}, median ${ms(median(cpus))}${args[0] === cli ? '; target ≤ 150 ms' : ''}`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}
