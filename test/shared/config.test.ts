import { describe, expect, it } from 'vitest';
import {
  checkConfig,
  getPreset,
  PRESETS,
  parseConfig,
  type TierwiseConfig,
  TierwiseError,
} from '../../shared';

const preset = (name: string): TierwiseConfig => getPreset(name)!;

describe('presets', () => {
  it.each(PRESETS.map((p) => p.name))('%s passes every check', (name) => {
    const check = checkConfig(preset(name));
    expect(check.errors).toEqual([]);
    expect(check.valid).toBe(true);
  });

  it('the RFM segment preset covers all 125 score combinations, each rule winning some', () => {
    const check = checkConfig(preset('rfm-segments'));
    expect(check.uncovered).toEqual([]);
    expect(check.shadowed).toEqual([]);
  });

  it('ships Chinese labels as data', () => {
    expect(preset('cycle-spend-grid-zh').tiers.map((t) => t.label)).toEqual([
      '铂金',
      '黄金',
      '白银',
      '发展',
      '优化',
    ]);
    expect(preset('cycle-spend-grid-zh').locale).toBe('zh');
  });

  it('hands out copies: editing one does not change the next', () => {
    preset('rfm-segments').tiers[0].label = 'changed';
    expect(preset('rfm-segments').tiers[0].label).toBe('Champions');
  });
});

describe('configuration checks', () => {
  it('names the field path of every structural problem', () => {
    const config = JSON.parse(JSON.stringify(preset('rfm-segments'))); // untyped, to break it on purpose
    config.scores.recency = { method: 'thresholds', cuts: [30, 20, 120, 240] };
    config.tiers[2].action = '';
    config.tiers[3].channel = 'fax';
    config.model.rules[0].is = 'vip';
    const check = checkConfig(config);
    expect(check.valid).toBe(false);
    expect(check.errors.map((e) => e.path)).toEqual([
      'scores.recency.cuts[1]',
      'tiers[2].action',
      'tiers[3].channel',
      'model.rules[0].is',
    ]);
    expect(check.errors[2].message).toContain('"visit", "call", "email", "message", "none"');
  });

  // A widely copied public rule table: the segments by R and by the mean of F and M from the RFM
  // tutorials, where several combinations fall into "Others". Rebuilt here as rules over r, f, m.
  it('reports the cells a rule table leaves uncovered', () => {
    const config = preset('rfm-segments');
    config.model = {
      kind: 'rules',
      rules: [
        { when: { r: [4, 5], f: [4, 5], m: [4, 5] }, is: 'champions' },
        { when: { r: [2, 5], f: [3, 5], m: [3, 5] }, is: 'loyal' },
        { when: { r: [1, 2], f: [1, 2] }, is: 'lost' },
      ],
    };
    const check = checkConfig(config);
    expect(check.valid).toBe(false);
    expect(check.uncovered).toContain('r=5 f=1 m=1');
    expect(check.uncovered).toContain('r=1 f=3 m=3');
    expect(check.errors[0].message).toMatch(/^\d+ of 125 combinations fall through every rule/);
  });

  it("names each table's own gaps when the model and the segments both leave cells uncovered", () => {
    const config = preset('rfm-segments');
    config.model = { kind: 'rules', rules: [{ when: { r: [2, 5] }, is: 'champions' }] };
    const key = config.segments!.labels[0].key;
    config.segments!.rules = [{ when: { f: [1, 4] }, is: key }];
    const check = checkConfig(config);
    const [model, segments] = ['model.rules', 'segments.rules'].map(
      (path) => check.errors.find((e) => e.path === path)!.message,
    );
    expect(model).toBe('1 of 5 combinations fall through every rule: r=1');
    expect(segments).toBe('1 of 5 combinations fall through every rule: f=5'); // once also listed r=1
    expect(check.uncovered).toEqual(['r=1', 'f=5']);
  });

  it('names rules that can never match', () => {
    const config = preset('rfm-segments');
    config.model = {
      kind: 'rules',
      rules: [
        { when: { r: [3, 5] }, is: 'loyal' },
        { when: { r: [4, 5], f: [4, 5] }, is: 'champions' },
        { when: { r: [1, 2] }, is: 'lost' },
      ],
    };
    const check = checkConfig(config);
    expect(check.shadowed).toEqual(['model.rules[1]']);
    expect(check.errors[0]).toEqual({
      path: 'model.rules[1]',
      message:
        'rule for "champions" can never match: earlier rules (or its own ranges) leave it no combination',
    });
  });

  it('wants weights that add up to 1 and grades that reach the lowest score', () => {
    const config = preset('weighted-grade');
    if (config.model.kind !== 'weighted') throw new Error('expected a weighted preset');
    config.model.indicators[0].weight = 0.5;
    expect(checkConfig(config).errors).toEqual([
      { path: 'model.indicators', message: 'weights must add up to 1, they add up to 1.2' },
    ]);
    config.model.indicators[0].weight = 0.3;
    config.model.grades[3].minScore = 20;
    const check = checkConfig(config);
    expect(check.errors[0].path).toBe('model.grades[3].minScore');
    expect(check.uncovered).toEqual(['score 7.5 to 20']);
  });

  it('asks for a catch-all when coverage over a continuous metric cannot be proven', () => {
    const config = preset('rfm-segments');
    config.model = { kind: 'rules', rules: [{ when: { totalSpend: [1000, null] }, is: 'champions' }] };
    expect(checkConfig(config).errors[0].message).toContain('totalSpend is not a discrete input');
  });

  it('parseConfig throws a TierwiseError carrying the problems', () => {
    expect(() => parseConfig({ schemaVersion: 2 })).toThrow(TierwiseError);
    try {
      parseConfig({ schemaVersion: 1, name: 'x', locale: 'fr' });
    } catch (error) {
      expect((error as TierwiseError).problems.map((p) => p.path)).toEqual([
        'locale',
        'scores',
        'tiers',
        'model',
      ]);
    }
  });
});
