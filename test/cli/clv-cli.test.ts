/** The CLV commands through the real binary: validate with its chart, and runs past the spread limit. */

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli';
import { cdnowCsv } from '../helpers/data';
import { simulateLog } from '../helpers/simulate';

const scratch = mkdtempSync(join(tmpdir(), 'tierwise-clv-'));
const write = (name: string, text: string): string => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

const cdnow = write('cdnow-log.csv', cdnowCsv());

describe('tierwise validate', () => {
  it('compares the holdout on CDNOW as a table and an SVG chart', async () => {
    const svg = join(scratch, 'holdout.svg');
    const run = await cli(
      'validate',
      cdnow,
      '--calibration-end',
      '1997-09-30',
      '--holdout-end',
      '1998-06-30',
      '--model',
      'bgnbd',
      '--svg',
      svg,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2357 customers first bought by 1997-09-30');
    expect(run.stdout).toMatch(/^0 +1411 +0\.237 +0\.2\d\d$/m);
    expect(run.stdout).toMatch(/Holdout total: actual 1882, predicted 1\d{3}\.\d/);
    const chart = readFileSync(svg, 'utf8');
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(chart.match(/<path d="M/g)).toHaveLength(4); // actual and model, in both panels
    expect(chart).toContain('calibration end');
  });

  it('gives JSON with the same figures', async () => {
    const run = await cli(
      'validate',
      cdnow,
      '--calibration-end',
      '1997-09-30',
      '--holdout-end',
      '1998-06-30',
      '--json',
    );
    const out = JSON.parse(run.stdout);
    expect(out.fit).toMatchObject({ model: 'mbgnbd', ok: true, converged: true });
    expect(out.errors.actualTotal).toBe(1882);
    expect(out.tracking).toHaveLength(78);
  });

  it('refuses dates outside the data before fitting, naming the span', async () => {
    const run = await cli(
      'validate',
      cdnow,
      '--calibration-end',
      '1997-09-30',
      '--holdout-end',
      '1998-12-31',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'tierwise: --holdout-end 1998-12-31 is after the last transaction (1998-06-30): days without data would count as days without purchases; the data run from 1997-01-01 to 1998-06-30\n',
    );
  });

  it('takes a holdout that ends days after the last purchase (an export made later), with a note', async () => {
    const run = await cli(
      'validate',
      cdnow,
      '--calibration-end',
      '1997-09-30',
      '--holdout-end',
      '1998-07-05',
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(
      "note: the last transaction is on 1998-06-30, 5 day(s) before --holdout-end; if the file stops earlier than that, the holdout's actual purchases are too low\n",
    );
    expect(run.stdout).toContain('1998-07-05');
  });

  it('lists the rejected rows also when the dates are refused', async () => {
    const bad = write('bad-dates.csv', `${cdnowCsv().trimEnd()}\n2,1998-02-30,10\n`);
    const run = await cli('validate', bad, '--calibration-end', '1997-09-30', '--holdout-end', '1998-12-31');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('"1998-02-30" is not a date');
    expect(run.stderr).toContain('--holdout-end 1998-12-31 is after the last transaction');
  });

  it('refuses a log that spans centuries (a mistyped year) instead of tracking it week by week', async () => {
    const typo = write('typo.csv', `${cdnowCsv().trimEnd()}\n1,18970105,10\n`);
    const run = await cli('validate', typo, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'from the first transaction (1897-01-05) to --holdout-end 1998-06-30 is more than 40 years',
    );
  });

  it('refuses a holdout that ends before the calibration', async () => {
    const run = await cli(
      'validate',
      cdnow,
      '--calibration-end',
      '1997-09-30',
      '--holdout-end',
      '1997-09-01',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'tierwise: --holdout-end 1997-09-01 must be after --calibration-end 1997-09-30\n',
    );
  });
});

describe('fit and predict report what they did not use, as score does', () => {
  // One unreadable row, one transaction after the as-of date, one customer with only such a one.
  const log = write(
    'ignored.csv',
    `${cdnowCsv().trimEnd()}\n9001,19970105,oops\n1,19990101,10\n9002,19990102,20\n`,
  );
  const lines = cdnowCsv().trimEnd().split('\n').length;

  it.each(['fit', 'predict'])('%s --json has rejected and ignored', async (command) => {
    const run = await cli(command, log, '--as-of', '1998-06-30', '--json');
    expect(run.status).toBe(2); // some rows rejected
    const out = JSON.parse(run.stdout);
    expect(out.rejected).toEqual([
      expect.objectContaining({ row: lines + 1, column: 'amount', value: 'oops' }),
    ]);
    expect(out.ignored.afterAsOf).toEqual({
      rows: 2,
      rowNumbers: [lines + 2, lines + 3],
      customersLeftOut: 1,
      customerIds: ['9002'],
    });
    expect(out.notes).toEqual([]);
  });
});

describe('CLV past the spread limit (more than 125,000 customers)', () => {
  // 130,000 customers of varied habits over a year: enough to overflow any Math.min(...array).
  const start = Date.UTC(2024, 0, 1) / 86_400_000;
  const { header, rows } = simulateLog({
    customers: 130_000,
    start,
    joinDays: 180,
    days: 365,
    rate: (random) => (0.02 + 0.5 * random() ** 2) / 7,
    dropout: (random) => 0.05 + 0.5 * random(),
    spend: (random) => Math.round(500 + 9500 * random()) / 100,
    seed: 5,
  });
  const big = write('big.csv', `${[header, ...rows].map((r) => r.join(',')).join('\n')}\n`);

  it('predicts every customer with the fitted model, as text', { timeout: 120_000 }, async () => {
    const run = await cli('predict', big, '--as-of', '2024-12-31');
    expect(run.stderr).toMatch(/^CLV: mbgnbd fitted on 130000 customers; MBG\/NBD/);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(130_002); // header, rule, one row each
    expect(run.stdout).not.toMatch(/NaN|Invalid|simple/);
  });

  it('scores with --clv', { timeout: 120_000 }, async () => {
    const run = await cli(
      'score',
      big,
      '--as-of',
      '2024-12-31',
      '--clv',
      '--preset',
      'clv-activity',
      '--csv',
    );
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(130_001);
  });
});
