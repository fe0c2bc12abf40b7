/**
 * The core's figures (summarise 10M transactions, score and tier 1M customers) and the CLI's end to
 * end: a 1M-row CSV through `tierwise score`, next to the pandas peer in `bench/peers/` on the same
 * file, and R/F/M on the same float data as pandas. Peers run only when `/usr/bin/python3` has pandas.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvFile } from '../cli/csv';
import {
  dayFromParts,
  explainCustomer,
  getPreset,
  scoreBook,
  scoreValues,
  summarize,
  type TransactionLog,
  type TransactionLogBuilder,
  transactionLogBuilder,
} from '../shared';
import { best, line, seeded, time } from './util';

const ASOF = dayFromParts(2024, 6, 30)!;

/** `rows` transactions over `customers` customers and two years, with integer ids. */
export function syntheticLog(rows: number, customers: number, seed = 1): TransactionLog {
  const random = seeded(seed);
  const customer = new Int32Array(rows);
  const day = new Int32Array(rows);
  const amount = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    customer[i] = Math.floor(random() * customers);
    day[i] = ASOF - Math.floor(random() * 730);
    amount[i] = Math.round(random() * 50_000) / 100;
  }
  const infos = Array.from({ length: customers }, (_, id) => ({ id: String(id), name: null, owner: null }));
  return { customers: infos, customer, day, amount, profit: null };
}

export function benchCore(): void {
  const load = loadavg()[0];
  console.log(
    `\nScoring core (issue 2); load average ${load.toFixed(1)} on ${cpus().length} cores${load > 1.5 ? ': figures taken under load' : ''}`,
  );
  const log = syntheticLog(10_000_000, 1_000_000);
  const summarised = best(3, () => summarize(log, { asOf: ASOF }));
  line(
    'summarise 10,000,000 transactions (1M customers)',
    `${summarised.ms.toFixed(0)} ms`,
    `cold ${summarised.coldMs.toFixed(0)} ms; pandas groupby 1,950 ms`,
  );

  const customers = summarised.result;
  const config = getPreset('rfm-segments')!;
  const scored = best(3, () => scoreBook(customers, config, { asOf: ASOF }));
  line(
    'score R/F/M quintiles + 11 segments, 1,000,000 customers',
    `${scored.ms.toFixed(0)} ms`,
    `cold ${scored.coldMs.toFixed(0)} ms; pandas qcut + 4 rules 730 ms`,
  );
  const pyramid = best(3, () => scoreBook(customers, getPreset('value-pyramid')!, { asOf: ASOF }));
  line('score + Pareto value pyramid + segments, 1M customers', `${pyramid.ms.toFixed(0)} ms`);
  const explained = time(() => {
    let n = 0;
    for (let i = 0; i < customers.length; i++) n += explainCustomer(scored.result, i).reasons.length;
    return n;
  });
  line('reasons, next action and due date for 1M customers', `${explained.ms.toFixed(0)} ms`);

  const dir = mkdtempSync(join(tmpdir(), 'tierwise-bench-'));
  try {
    const path = join(dir, 'transactions.csv');
    writeFileSync(path, transactionCsv(1_000_000, 100_000));
    const parsed = time(() => {
      let builder: TransactionLogBuilder | null = null;
      readCsvFile(
        path,
        {},
        ({ header }) => {
          builder = transactionLogBuilder(header);
        },
        (cells, { line }) => builder!.add(cells, line),
      );
      return builder!.finish();
    });
    line('CSV read + validate 1,000,000 rows (streaming reader + intake)', `${parsed.ms.toFixed(0)} ms`);
    benchEndToEnd(path, dir);
    benchRfmLikeForLike(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PEERS = join(ROOT, 'bench/peers');
const PYTHON = '/usr/bin/python3';
const TIME = '/usr/bin/time';

/** `rows` transactions of `customers` customers over two years, amounts in cents: the CSV both sides read. */
function transactionCsv(rows: number, customers: number): string {
  const random = seeded(2);
  const lines = ['customer_id,date,amount'];
  for (let i = 0; i < rows; i++) {
    const d = new Date(Date.UTC(2022, 6, 1) + Math.floor(random() * 730) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    lines.push(`C${Math.floor(random() * customers)},${d},${(random() * 500).toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

const hasPandas = (): boolean =>
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;

/** Wall time, CPU time (user + system) and peak RSS of a whole process, as `/usr/bin/time` sees them. */
function measure(
  command: string,
  args: string[],
): { seconds: number; cpu: number | null; mb: number | null; status: number | null } {
  const report = join(tmpdir(), `tierwise-time-${process.pid}.txt`);
  const timed = existsSync(TIME);
  const started = process.hrtime.bigint();
  const run = timed
    ? spawnSync(TIME, ['-f', '%e %M %U %S', '-o', report, command, ...args], { cwd: ROOT, stdio: 'ignore' })
    : spawnSync(command, args, { cwd: ROOT, stdio: 'ignore' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!timed) return { seconds, cpu: null, mb: null, status: run.status };
  const [, kb, user, system] = readFileSync(report, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  rmSync(report, { force: true });
  return { seconds, cpu: user + system, mb: kb / 1024, status: run.status };
}

/** "2.41 s (CPU 2.10 s), 245 MB": on a busy machine the CPU time is the steadier figure. */
const shown = (m: { seconds: number; cpu: number | null; mb: number | null }): string =>
  `${m.seconds.toFixed(2)} s${m.cpu === null ? '' : ` (CPU ${m.cpu.toFixed(2)} s)`}${m.mb === null ? '' : `, ${m.mb.toFixed(0)} MB`}`;

/** The same file through `tierwise score --csv` and the pandas peer, parsing and writing included. */
function benchEndToEnd(path: string, dir: string): void {
  const cli = [join(ROOT, 'bin/tierwise.js')];
  const out = join(dir, 'scored.csv');
  const runs = [0, 1].map(() =>
    measure('/bin/sh', [
      '-c',
      `"${process.execPath}" "${cli[0]}" score "${path}" --as-of 2024-06-30 --csv > "${out}"`,
    ]),
  );
  const peer = hasPandas()
    ? [0, 1].map(() =>
        measure(PYTHON, [join(PEERS, 'score_pandas.py'), path, '2024-06-30', join(dir, 'pandas.csv')]),
      )
    : null;
  line(
    '`tierwise score` 1M-row CSV → scored CSV, cold (1st run)',
    shown(runs[0]),
    `warm (2nd run) ${shown(runs[1])}; parsing and writing included; target ≤ 1.6 s, ≤ 400 MB`,
  );
  line(
    '  pandas peer, same file, same machine, cold (1st run)',
    peer ? shown(peer[0]) : 'skipped',
    peer ? `warm (2nd run) ${shown(peer[1])}` : 'pandas not installed (apt-get install python3-pandas)',
  );
  if (peer) line('  identical R/F/M scores, Tierwise vs pandas', sameScores(out, join(dir, 'pandas.csv')));
}

/** Whether two scored CSVs give every customer the same r, f and m. */
function sameScores(a: string, b: string): string {
  const read = (file: string) => {
    const [head, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
    const h = head.split(',');
    const at = ['customer_id', 'r', 'f', 'm'].map((n) => h.indexOf(n));
    // Scored CSVs quote only the reasons column, after r/f/m: splitting the first fields is safe.
    return new Map(
      rows.map((row) => row.split(',')).map((c) => [c[at[0]], `${c[at[1]]}${c[at[2]]}${c[at[3]]}`]),
    );
  };
  const x = read(a);
  const y = read(b);
  let differ = 0;
  for (const [id, s] of x) if (y.get(id) !== s) differ++;
  return differ === 0 && x.size === y.size ? `yes, ${x.size} customers` : `NO: ${differ} of ${x.size} differ`;
}

/** R/F/M quintiles on 1M customers whose spend is arbitrary floats (no cent histogram): both sides. */
function benchRfmLikeForLike(dir: string): void {
  const n = 1_000_000;
  const random = seeded(3);
  const recency = new Float64Array(n);
  const orders = new Float64Array(n);
  const spend = new Float64Array(n);
  const lines = ['recency,orders,spend'];
  for (let i = 0; i < n; i++) {
    recency[i] = Math.floor(random() * 730);
    orders[i] = 1 + Math.floor(-Math.log(1 - random()) * 3);
    spend[i] = Number((random() * 5000).toPrecision(15)); // what the CSV holds, read back
    lines.push(`${recency[i]},${orders[i]},${spend[i]}`);
  }
  const file = join(dir, 'customers.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const quantile = { method: 'quantile' } as const;
  const run = () => ({
    r: scoreValues(recency, quantile, 5, true),
    f: scoreValues(orders, quantile, 5, false),
    m: scoreValues(spend, quantile, 5, false),
  });
  const ours = best(3, run);
  let peer = 'pandas not installed: peer skipped';
  if (hasPandas()) {
    const scores = join(dir, 'rfm-pandas.csv');
    const result = spawnSync(PYTHON, [join(PEERS, 'rfm_pandas.py'), file, scores], { encoding: 'utf8' });
    const figures = JSON.parse(result.stdout) as { coldMs: number; warmMs: number };
    const theirs = readFileSync(scores, 'utf8').trim().split('\n').slice(1);
    const { r, f, m } = ours.result;
    const differ = theirs.filter((row, i) => row !== `${r[i]},${f[i]},${m[i]}`).length;
    peer = `pandas ${figures.warmMs.toFixed(0)} ms (cold ${figures.coldMs.toFixed(0)} ms); ${differ === 0 ? 'identical scores' : `${differ} scores differ`}`;
  }
  line(
    'R/F/M quintiles, 1M customers, float spend (same data as pandas)',
    `${ours.ms.toFixed(0)} ms`,
    `cold ${ours.coldMs.toFixed(0)} ms; ${peer}`,
  );
}
