import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyOf, currencyOfFormat } from '../../appsscript/sidebar/format';
import { words } from '../../appsscript/sidebar/i18n';
import { largestMoves, movement } from '../../appsscript/sidebar/movement';
import {
  cellCount,
  cellsOf,
  type Dim,
  gridDims,
  idleRules,
  rulesOf,
} from '../../appsscript/sidebar/rule-grid';
import { syntheticLog } from '../../bench/core';
import {
  checkConfig,
  defaultConfig,
  getPreset,
  parseDay,
  type Rule,
  scoreBook,
  summarize,
} from '../../shared';

// The sidebar's pure parts, in node: the grid ↔ rules translation, the movement table, formats, words.

const RFM: Dim[] = ['r', 'f', 'm'].map((metric) => ({ metric, values: [1, 2, 3, 4, 5] }));
const keys = ['a', 'b', 'c', 'd'];

describe('painting a grid back into first-match rules', () => {
  it('gives every cell exactly its painted tier, gaps stay gaps, and no rule is idle (property)', () => {
    const cell = fc.integer({ min: -1, max: keys.length - 1 });
    fc.assert(
      fc.property(fc.array(cell, { minLength: 125, maxLength: 125 }), (painted) => {
        const cells = Int16Array.from(painted);
        const rules = rulesOf(cells, RFM, keys);
        expect(Array.from(cellsOf(rules, RFM, keys))).toEqual(painted);
        expect(idleRules(rules, RFM)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('turns the default RFM segments into an equivalent rule list the core accepts', () => {
    const config = defaultConfig();
    if (config.model.kind !== 'rules') throw new Error('the default is a rules model');
    const tierKeys = config.tiers.map((t) => t.key);
    const dims = gridDims(config.model.rules, undefined, 5)!;
    expect(dims.map((d) => d.metric)).toEqual(['r', 'f', 'm']);
    const cells = cellsOf(config.model.rules, dims, tierKeys);
    expect(cells.every((c) => c >= 0)).toBe(true); // the preset covers all 125 cells
    const rules = rulesOf(cells, dims, tierKeys);
    expect(Array.from(cellsOf(rules, dims, tierKeys))).toEqual(Array.from(cells));
    expect(rules.length).toBeLessThanOrEqual(25); // short enough to read in the JSON
    const check = checkConfig({ ...config, model: { kind: 'rules', rules } });
    expect(check.errors).toEqual([]);
  });

  it('leaves an axis a rule spans whole out of its "when"', () => {
    const cells = new Int16Array(cellCount(RFM)).fill(1);
    expect(rulesOf(cells, RFM, keys)).toEqual([{ when: {}, is: 'b' }]);
  });

  it('grids declared inputs (lead intent) and refuses metrics without a range', () => {
    const lead = getPreset('lead-intent')!;
    if (lead.model.kind !== 'rules') throw new Error('lead-intent is a rules model');
    const dims = gridDims(lead.model.rules, lead.model.inputs, 5)!;
    expect(dims.map((d) => `${d.metric}:${d.values.join('')}`)).toEqual([
      'need:012',
      'money:012',
      'authority:012',
    ]);
    const open: Rule[] = [
      { when: { totalSpend: [1000, null] }, is: 'a' },
      { when: {}, is: 'b' },
    ];
    expect(gridDims(open, undefined, 5)).toBeNull();
  });
});

describe('the movement table', () => {
  it('accounts for every customer and every amount, at 100,000 customers', () => {
    const asOf = parseDay('2024-06-30')!;
    const customers = summarize(syntheticLog(300_000, 100_000), { asOf });
    const before = scoreBook(customers, getPreset('rfm-segments')!, { asOf });
    const after = scoreBook(customers, getPreset('value-pyramid')!, { asOf });
    const m = movement(before, after, 'No tier');
    const sum = (rows: number[][]) => rows.flat().reduce((a, b) => a + b, 0);
    expect(sum(m.customers)).toBe(customers.length);
    expect(sum(m.revenue)).toBeCloseTo(
      customers.reduce((s, c) => s + c.totalSpend, 0),
      2,
    );
    expect(m.moved.customers).toBe(customers.length); // no tier key is shared between the two
    const moves = largestMoves(m);
    expect(moves.reduce((n, mv) => n + mv.customers, 0)).toBe(customers.length);
    expect(moves[0].revenue).toBeGreaterThanOrEqual(moves[moves.length - 1].revenue);
  });

  it('counts nobody as moved when the configuration is unchanged', () => {
    const asOf = parseDay('2024-06-30')!;
    const customers = summarize(syntheticLog(4_000, 2_000), { asOf });
    const book = scoreBook(customers, defaultConfig(), { asOf });
    const m = movement(book, book, 'No tier');
    expect(m.moved).toEqual({ customers: 0, revenue: 0 });
    expect(largestMoves(m)).toEqual([]);
  });
});

describe('formats and words', () => {
  it('reads the currency from Sheets number formats', () => {
    // Formats as Sheets writes them (Format → Number → Currency / Custom currency).
    expect(currencyOfFormat('"$"#,##0.00')).toBe('USD');
    expect(currencyOfFormat('[$$-409]#,##0.00')).toBe('USD');
    expect(currencyOfFormat('[$¥-804]#,##0.00')).toBe('CNY');
    expect(currencyOfFormat('#,##0.00 [$€-407]')).toBe('EUR');
    expect(currencyOfFormat('[$CHF] #,##0.00')).toBe('CHF');
    expect(currencyOfFormat('#,##0.00')).toBeNull();
    expect(currencyOfFormat('yyyy-mm-dd')).toBeNull();
    expect(currencyOf(['yyyy-mm-dd', '0', '"£"#,##0'])).toBe('GBP');
  });

  it('has every sidebar text in Chinese as in English', () => {
    const en = words('en');
    const zh = words('zh');
    const shape = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? shape(v).map((s) => `${k}.${s}`) : [`${k}:${typeof v}`],
      );
    expect(shape(zh).sort()).toEqual(shape(en).sort());
    expect(zh.saveVersion(3)).toBe('保存为版本 3');
  });
});
