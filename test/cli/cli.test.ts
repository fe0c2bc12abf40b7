import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { cli, ROOT, tierwise } from '../helpers/cli';
import { cdnowCsv, fixture } from '../helpers/data';

const scratch = mkdtempSync(join(tmpdir(), 'tierwise-cli-'));
const write = (name: string, text: string): string => {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
};

// Most tests run the CLI in this process (`cli`, through `run` in cli/main.ts). These go through the
// built binary: its exit status, the process's pipes, and each command's lazily loaded chunk of dist/.
describe('the tierwise binary', () => {
  it('loads every command from its own chunk of the bundle', () => {
    const missing = 'tierwise: cannot read nope.csv: no such file, or not readable\n';
    const commands = [
      ['summarize', 'nope.csv', '--as-of', '2024-06-30'],
      ['score', 'nope.csv', '--as-of', '2024-06-30'],
      ['fit', 'nope.csv', '--as-of', '2024-06-30', '--model', 'bgnbd'],
      ['predict', 'nope.csv', '--as-of', '2024-06-30', '--horizon', '4'],
      ['validate', 'nope.csv', '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30'],
    ];
    for (const args of commands)
      expect(tierwise(...args), args[0]).toEqual({ status: 1, stdout: '', stderr: missing });
    expect(tierwise('check-config', 'nope.json').stderr).toContain('cannot read nope.json');
    expect(tierwise('presets', 'nope')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('no preset "nope"'),
    });
  });

  it('prints its help with status 0, and status 1 without a command', () => {
    const help = tierwise('--help');
    expect(help).toMatchObject({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/^tierwise: grade customers/);
    expect(tierwise()).toMatchObject({ status: 1, stdout: help.stdout });
  });

  it('runs the demo on the example data shipped beside dist/', () => {
    const demo = tierwise('demo');
    expect(demo).toMatchObject({ status: 0, stderr: '' });
    expect(demo.stdout).toContain('20 customers, revenue');
  });

  it('stops quietly, status 0, when the reader of its output goes away (tierwise score … | head)', async () => {
    // 40,000 customers as CSV: megabytes, far more than a pipe holds, so writes go on after the close.
    const args = ['score', fixture('rfm/rfm_data_customer.csv'), '--as-of', '2007-01-01', '--csv'];
    const child = spawn(process.execPath, ['bin/tierwise.js', ...args, '--column', 'totalSpend=revenue'], {
      cwd: ROOT,
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});

describe('tierwise CLI', () => {
  it('scores the example file with a summary of the tiers', () => {
    const run = tierwise('score', 'examples/transactions.csv', '--as-of', '2024-06-30');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^customer_id\s+tier\s+segment\s+rfm/);
    expect(run.stdout).toContain('20 customers, revenue');
  });

  it('prints per-customer JSON with scores, tier, reasons and next action', async () => {
    const run = await cli(
      'score',
      'examples/transactions.csv',
      '--as-of',
      '2024-06-30',
      '--json',
      '--preset',
      'value-pyramid',
    );
    const out = JSON.parse(run.stdout);
    expect(out.customers).toHaveLength(20);
    const acme = out.customers.find((c: { customer_id: string }) => c.customer_id === 'C001');
    expect(acme).toMatchObject({ name: 'Acme Corp', owner: 'ana', tier: 'platinum', segment: 'Loyal' });
    expect(acme.reasons[0]).toBe('bought 41 days ago');
    expect(Object.keys(acme)).toEqual(
      expect.arrayContaining(['r', 'f', 'm', 'nextAction', 'nextContactDue', 'totalSpend']),
    );
    expect(out.population.tiers.map((t: { tier: string }) => t.tier)).toEqual([
      'platinum',
      'gold',
      'iron',
      'poor',
    ]);
  });

  it('writes CSV for programs', async () => {
    const run = await cli('score', 'examples/transactions.csv', '--as-of', '2024-06-30', '--csv');
    const [header, ...lines] = run.stdout.trim().split('\n');
    expect(header.split(',').slice(0, 3)).toEqual(['customer_id', 'name', 'owner']);
    expect(header).toContain('nextContactDue');
    expect(lines).toHaveLength(20);
  });

  it('writes names a spreadsheet would run as formulas as plain text, and negative amounts as numbers', async () => {
    const csv = write(
      'formulas.csv',
      'customer_id,name,date,amount\n' +
        'a,"=HYPERLINK(""http://evil"")",2024-06-01,10\n' +
        'b,@SUM(A1),2024-06-02,20\n' +
        'c,Plain,2024-06-03,30\n' +
        'c,Plain,2024-06-04,-40\n',
    );
    const run = await cli('score', csv, '--as-of', '2024-06-30', '--csv');
    const rows = run.stdout.trim().split('\n').slice(1);
    expect(rows.find((r) => r.startsWith('a,'))).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(rows.find((r) => r.startsWith('b,'))).toContain(`,'@SUM(A1),`);
    // c netted its refund: spend -10 stays a number, not text.
    expect(rows.find((r) => r.startsWith('c,'))).toMatch(/,-10(,|$)/);
  });

  it('summarizes CDNOW in weeks like the published calibration summary', async () => {
    const csv = write(
      'cdnow.csv',
      'id,date,amount\n1,19970101,29.33\n1,19970118,29.73\n1,19970802,14.96\n1,19971212,26.48\n',
    );
    const run = await cli('summarize', csv, '--as-of', '1997-09-30', '--unit', 'week', '--json');
    const [c] = JSON.parse(run.stdout).customers;
    expect(c).toMatchObject({
      customer_id: '1',
      repeatPurchases: 2,
      repeatAverageSpend: 22.35,
      unit: 'week',
    });
    expect(c.firstToLastPurchase).toBeCloseTo(30.43, 2);
    expect(c.tenure).toBeCloseTo(38.86, 2);
  });

  it('reports rejected rows on stderr, uses the rest, and exits 2', () => {
    const csv = write('bad.csv', 'customer_id,date,amount\na,2024-01-01,10\nb,someday,5\nc,2024-01-02,ten\n');
    const run = tierwise('score', csv, '--as-of', '2024-06-30', '--json');
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).customers).toHaveLength(1);
    expect(run.stderr).toContain('row 3, column date: "someday" is not a date');
    expect(run.stderr).toContain('row 4, column amount: "ten" is not an amount');
  });

  it('reads a customer table (the R rfm package sample) with mapped columns', async () => {
    const run = await cli(
      'score',
      fixture('rfm/rfm_data_customer.csv'),
      '--as-of',
      '2007-01-01',
      '--json',
      '--column',
      'totalSpend=revenue',
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).customers).toHaveLength(39_999);
  });

  it('fails with a clear message when --as-of or the file is missing', () => {
    expect(tierwise('score', 'examples/transactions.csv').stderr).toContain('give --as-of YYYY-MM-DD');
    const missing = tierwise('score', 'nope.csv', '--as-of', 'today');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('tierwise: cannot read nope.csv: no such file, or not readable\n');
  });

  it('check-config: exit 0 and valid for a preset, exit 1 with field paths otherwise', async () => {
    const good = write('good.json', JSON.stringify(getPreset('cycle-spend-grid')));
    expect((await cli('check-config', good)).status).toBe(0);
    const broken = getPreset('rfm-segments')!;
    broken.model = { kind: 'rules', rules: [{ when: { r: [3, 5] }, is: 'loyal' }] };
    const bad = write('bad.json', JSON.stringify(broken));
    const run = await cli('check-config', bad, '--json');
    expect(run.status).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ valid: false });
    expect(out.uncovered).toEqual(['r=1', 'r=2']); // cells over the metrics the rules use
    expect(out.errors[0].path).toBe('model.rules');
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['valid', 'errors', 'uncovered', 'shadowed']));
  });

  it('lists presets and prints one to edit', async () => {
    const list = JSON.parse((await cli('presets', '--json')).stdout);
    expect(list.map((p: { name: string }) => p.name)).toContain('cycle-spend-grid-zh');
    expect(JSON.parse((await cli('presets', 'lead-intent')).stdout).model.kind).toBe('rules');
    expect((await cli('presets', 'nope')).stderr).toContain('no preset "nope"');
  });

  it('refuses a configuration that fails its checks before scoring anything', async () => {
    const broken = getPreset('rfm-segments')!;
    broken.tiers[0].action = '';
    const path = write('noaction.json', JSON.stringify(broken));
    const run = await cli('score', 'examples/transactions.csv', '--as-of', '2024-06-30', '--config', path);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('tiers[0].action: every tier needs a next action');
    expect(run.stdout).toBe('');
  });
});

describe('tierwise CLI on hostile and careless files (issue 10)', () => {
  const writeBytes = (name: string, bytes: Buffer): string => {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('counts and reports transactions after --as-of instead of losing the customer', async () => {
    const csv = write(
      'future.csv',
      'customer_id,date,amount\na,2024-01-01,10\na,2024-07-02,5\nz,2024-08-01,7\n',
    );
    const run = await cli('score', csv, '--as-of', '2024-06-30', '--json');
    expect(run.status).toBe(0); // outside the analysis, not an error
    const out = JSON.parse(run.stdout);
    expect(out.customers.map((c: { customer_id: string }) => c.customer_id)).toEqual(['a']);
    expect(out.customers[0].totalSpend).toBe(10);
    expect(out.ignored.afterAsOf).toEqual({
      rows: 2,
      rowNumbers: [3, 4],
      customersLeftOut: 1,
      customerIds: ['z'],
    });
    expect(run.stderr).toContain(
      '2 transaction(s) dated after the as-of date 2024-06-30 were not counted (row 3, 4)',
    );
    expect(run.stderr).toContain('1 customer(s) with only such transactions are left out (z)');
  });

  it('rejects a row with an unquoted $1,000: 3 fields expected, 4 found', async () => {
    const csv = write(
      'money.csv',
      'customer_id,date,amount\na,2024-01-01,10\nb,2024-01-02,$1,000\nc,2024-01-03,"$1,000"\n',
    );
    const run = await cli('score', csv, '--as-of', '2024-06-30', '--json');
    expect(run.status).toBe(2);
    const out = JSON.parse(run.stdout);
    expect(out.rejected).toEqual([
      expect.objectContaining({ row: 3, reason: expect.stringMatching(/^3 fields expected, 4 found/) }),
    ]);
    expect(out.customers.find((c: { customer_id: string }) => c.customer_id === 'c').totalSpend).toBe(1000);
    expect(out.customers.some((c: { customer_id: string }) => c.customer_id === 'b')).toBe(false);
    expect(run.stderr).toContain('row 3: 3 fields expected, 4 found; a value with a "," in it');
  });

  it('names the line of an unterminated quote and exits 1', async () => {
    const csv = write(
      'quote.csv',
      'customer_id,date,amount\na,2024-01-01,10\n"b,2024-01-02,5\nc,2024-01-03,5\n',
    );
    const run = await cli('score', csv, '--as-of', '2024-06-30');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `tierwise: ${csv}: line 3: a quoted field starts here and its closing quote (") is missing; a quote inside a quoted field is written twice ("")\n`,
    );
  });

  it('reads UTF-16 (with and without a BOM) and a UTF-8 BOM', async () => {
    const text = 'customer_id,date,amount\r\nCafé,2024-01-01,10\r\n北京,2024-01-02,5\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(text, 'utf16le').swap16();
    for (const bytes of [
      le,
      Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
      Buffer.from(text, 'utf16le'),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    ]) {
      const run = await cli('summarize', writeBytes('enc.csv', bytes), '--as-of', '2024-06-30', '--json');
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout).customers.map((c: { customer_id: string }) => c.customer_id)).toEqual([
        'Café',
        '北京',
      ]);
    }
  });

  it('detects Latin-1 bytes, names the line, and reads them with --encoding', async () => {
    const csv = writeBytes(
      'latin1.csv',
      Buffer.from('customer_id,date,amount\nBob,2024-01-01,3\nCafé,2024-01-01,10\n', 'latin1'),
    );
    const run = await cli('score', csv, '--as-of', '2024-06-30');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${csv} is not UTF-8: line 3 has the byte 0xE9`);
    expect(run.stderr).toContain('--encoding latin1');
    const fixed = await cli('summarize', csv, '--as-of', '2024-06-30', '--json', '--encoding', 'latin1');
    expect(JSON.parse(fixed.stdout).customers[1].customer_id).toBe('Café');
    expect((await cli('summarize', csv, '--as-of', '2024-06-30', '--encoding', 'klingon')).stderr).toContain(
      '--encoding "klingon" is not an encoding',
    );
  });

  it('detects a ;-delimited file with decimal commas', async () => {
    const csv = write('semi.csv', 'customer_id;date;amount\na;2024-01-01;10,50\nb;2024-01-02;"1.234,50"\n');
    const run = await cli('summarize', csv, '--as-of', '2024-06-30', '--json');
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).customers.map((c: { totalSpend: number }) => c.totalSpend)).toEqual([
      10.5, 1234.5,
    ]);
  });

  it('says so when there is only a header, and exits 1', async () => {
    const run = await cli('score', write('header.csv', 'customer_id,date,amount\n'), '--as-of', '2024-06-30');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('has a header row but no data rows');
  });

  it('lists the reasons and exits 1 when every row is rejected', async () => {
    const csv = write('allbad.csv', 'customer_id,date,amount\na,someday,1\nb,2024-01-01,ten\n');
    const run = await cli('score', csv, '--as-of', '2024-06-30', '--json');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('row 2, column date: "someday" is not a date');
    expect(run.stderr).toContain('row 3, column amount: "ten" is not an amount');
    expect(run.stderr).toContain(`every data row of ${csv} was rejected (2)`);
  });
});

describe('tierwise fit and predict', () => {
  // The CDNOW sample as a CSV log: sample id, date, dollar value.
  const cdnow = write('cdnow-log.csv', cdnowCsv());

  it('fits BG/NBD on CDNOW to the published figures, with the fit time', async () => {
    const run = await cli(
      'fit',
      cdnow,
      '--as-of',
      '1997-09-30',
      '--unit',
      'week',
      '--model',
      'bgnbd',
      '--json',
    );
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ ok: true, model: 'bgnbd', unit: 'week', customers: 2357 });
    expect(out.params.r).toBeCloseTo(0.243, 3);
    expect(out.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(out.fitMs).toBeGreaterThan(0);
  });

  it('fits on small data when asked, but says predict and score --clv would not use the fit', async () => {
    const small = await cli('fit', 'examples/transactions.csv', '--as-of', '2024-06-30', '--model', 'bgnbd');
    expect(small.status).toBe(0);
    expect(small.stderr).toContain(
      'tierwise: note: only 20 customers with a purchase history; the model needs 200, so these estimates are unreliable',
    );
    const json = await cli(
      'fit',
      'examples/transactions.csv',
      '--as-of',
      '2024-06-30',
      '--model',
      'bgnbd',
      '--json',
    );
    expect(JSON.parse(json.stdout).smallData).toMatch(/^only 20 customers/);
    // CDNOW is large enough: no note.
    const large = await cli('fit', cdnow, '--as-of', '1997-09-30', '--unit', 'week', '--model', 'bgnbd');
    expect(large.stderr).not.toContain('note:');
  });

  it('fits Gamma-Gamma and prints it for people', async () => {
    const run = await cli('fit', cdnow, '--as-of', '1997-09-30', '--unit', 'week', '--model', 'gamma-gamma');
    expect(run.stdout).toMatch(
      /^gamma-gamma \(time unit: week\): p = 6\.2\d+, q = 3\.7\d+, gamma = 15\.4\d+; log-likelihood -4055\.\d+ over 946 customers, \d+ iterations, converged/,
    );
  });

  it('fits the Pareto/NBD to the published CDNOW figures (Fader, Hardie & Lee 2005 note)', async () => {
    const run = await cli(
      'fit',
      cdnow,
      '--as-of',
      '1997-09-30',
      '--unit',
      'week',
      '--model',
      'pareto-nbd',
      '--json',
    );
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ ok: true, model: 'pareto-nbd', converged: true, customers: 2357 });
    expect(out.params.s).toBeCloseTo(0.61, 2);
    expect(out.logLikelihood).toBeCloseTo(-9595.0, 1);
  });

  it('predicts per customer with the model and rule named', async () => {
    const run = await cli(
      'predict',
      cdnow,
      '--as-of',
      '1997-09-30',
      '--unit',
      'week',
      '--horizon',
      '39',
      '--csv',
    );
    const [header, first] = run.stdout.trim().split('\n');
    expect(header.split(',')).toEqual(
      expect.arrayContaining([
        'customer_id',
        'frequency',
        'recency',
        'T',
        'pAlive',
        'expectedPurchases',
        'pNoPurchase',
        'expectedSpend',
        'clv',
        'model',
        'rule',
      ]),
    );
    expect(first.startsWith('1,2,30.4286,38.8571,')).toBe(true);
    expect(run.stderr).toContain('CLV: mbgnbd fitted on 2357 customers; MBG/NBD');
  });

  it('falls back to the simple model on a small shop and says why', async () => {
    const run = await cli('predict', 'examples/transactions.csv', '--as-of', '2024-06-30', '--json');
    const out = JSON.parse(run.stdout);
    expect(out.method).toBe('simple');
    expect(out.fallbackReason).toBe('only 20 customers with a purchase history; the model needs 200');
    expect(out.customers[0].model).toBe('simple');
  });

  it('tiers by CLV and activity, explaining in plain words', async () => {
    const run = await cli(
      'score',
      cdnow,
      '--as-of',
      '1997-09-30',
      '--preset',
      'clv-activity',
      '--unit',
      'week',
      '--horizon',
      '39',
      '--json',
    );
    const first = JSON.parse(run.stdout).customers[0];
    expect(first.reasons).toContain('71 % likely still active');
    expect(first.reasons).toContain('about 1.3 purchases expected in the next 39 weeks');
    expect(first.tier).toBe('protect');
  });

  it('refuses an unknown model', async () => {
    const run = await cli('fit', cdnow, '--as-of', '1997-09-30', '--model', 'pareto');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'tierwise: --model "pareto" is not one of mbgnbd, bgnbd, pareto-nbd, gamma-gamma\n',
    );
  });
});
