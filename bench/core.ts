/** Issue 2's figures: summarise 10M transactions, score and tier 1M customers, parse CSV. */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsvFile } from '../cli/csv';
import {
  dayFromParts,
  explainCustomer,
  getPreset,
  scoreBook,
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
  console.log('\nScoring core (issue 2)');
  const log = syntheticLog(10_000_000, 1_000_000);
  const summarised = best(3, () => summarize(log, { asOf: ASOF, unit: 'day' }));
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
    const csvRows = 1_000_000;
    const random = seeded(2);
    const lines = ['customer_id,date,amount'];
    for (let i = 0; i < csvRows; i++) {
      const d = new Date(Date.UTC(2022, 6, 1) + Math.floor(random() * 730) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      lines.push(`C${Math.floor(random() * 100_000)},${d},${(random() * 500).toFixed(2)}`);
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
