import { describe, expect, it } from 'vitest';
import {
  checkConfig,
  dayFromParts,
  formatMoney,
  funnelCounts,
  getPreset,
  longDate,
  parseConfig,
  parseCustomerTable,
  relativeDue,
  scoreBook,
  stageNumber,
  summarizePopulation,
  timeAgo,
  weekday,
} from '../../shared';

const asOf = dayFromParts(2024, 7, 1)!;

describe('funnel stages', () => {
  it.each([
    ['Suspect', 1],
    ['  lead ', 3],
    ['OPPORTUNITY', 4],
    ['商机', 4],
    ['线索', 3],
    ['拥护者', 7],
    ['5', 5],
    [6, 6],
    ['Leed', null],
    [0, null],
    [8, null],
    ['', null],
  ])('%j is stage %j', (text, stage) => {
    expect(stageNumber(text)).toBe(stage);
  });

  it('the funnel preset reads a stage column, in English or Chinese, with each stage’s content action', () => {
    for (const name of ['funnel', 'funnel-zh']) {
      const config = getPreset(name)!;
      expect(checkConfig(config)).toMatchObject({ valid: true, errors: [], uncovered: [] });
      expect(config.tiers.map((t) => t.key)).toEqual([
        'advocate',
        'fan',
        'customer',
        'opportunity',
        'lead',
        'prospect',
        'suspect',
      ]);
    }
    const { customers, rejected } = parseCustomerTable(
      {
        header: ['customer_id', 'last_purchase', 'orders', 'total_spend', '阶段'],
        rows: [
          ['a', '2024-06-01', 0, 0, 'Lead'],
          ['b', '2024-06-01', 1, 100, '商机'],
          ['c', '2024-06-01', 0, 0, 'no idea'],
        ],
      },
      { asOf },
    );
    expect(rejected).toEqual([]);
    const book = scoreBook(customers, getPreset('funnel')!, { asOf });
    const tiers = [...book.tier].map((t) => (t < 0 ? null : book.config.tiers[t].label));
    expect(tiers).toEqual(['Lead', 'Opportunity', null]);
    expect(book.config.tiers[book.tier[0]].action).toMatch(/^Prove/);
    expect(getPreset('funnel-zh')!.tiers.find((t) => t.key === 'opportunity')?.label).toBe('商机');
  });

  it('counts conversion between stages, worked by hand', () => {
    // 4 suspects, 3 prospects, 2 leads, 1 opportunity: reached 10, 6, 3, 1, 0, 0, 0.
    const stages = [
      'Suspect',
      'Suspect',
      'Suspect',
      'Suspect',
      'Prospect',
      'Prospect',
      'Prospect',
      'Lead',
      'Lead',
    ];
    stages.push('Opportunity');
    const { customers } = parseCustomerTable(
      {
        header: ['customer_id', 'last_purchase', 'orders', 'total_spend', 'stage'],
        rows: stages.map((s, i) => [`c${i}`, '2024-06-01', 0, 0, s]),
      },
      { asOf },
    );
    const book = scoreBook(customers, getPreset('funnel')!, { asOf });
    const funnel = funnelCounts(book)!;
    expect(funnel.map((s) => [s.label, s.customers, s.reached])).toEqual([
      ['Suspect', 4, 10],
      ['Prospect', 3, 6],
      ['Lead', 2, 3],
      ['Opportunity', 1, 1],
      ['Customer', 0, 0],
      ['Fan', 0, 0],
      ['Advocate', 0, 0],
    ]);
    expect(funnel.map((s) => s.conversion)).toEqual([0.6, 0.5, 1 / 3, 0, null, null, null]);
    expect(summarizePopulation(book).funnel).toEqual(funnel);
    expect(summarizePopulation(scoreBook(customers, getPreset('rfm-segments')!, { asOf })).funnel).toBeNull();
  });
});

describe('dates and amounts as people say them', () => {
  it('says how late or how soon, with weekday names within the week', () => {
    expect(weekday(asOf)).toBe(1); // 2024-07-01 was a Monday
    expect(relativeDue(asOf - 12, asOf, 'en')).toBe('12 days overdue');
    expect(relativeDue(asOf - 1, asOf, 'en')).toBe('1 day overdue');
    expect(relativeDue(asOf, asOf, 'en')).toBe('due today');
    expect(relativeDue(asOf + 1, asOf, 'en')).toBe('due tomorrow');
    expect(relativeDue(asOf + 3, asOf, 'en')).toBe('due Thursday');
    expect(relativeDue(asOf + 9, asOf, 'en')).toBe('due in 9 days');
    expect(relativeDue(asOf - 12, asOf, 'zh')).toBe('逾期 12 天');
    expect(relativeDue(asOf + 3, asOf, 'zh')).toBe('周四到期');
    expect(longDate(asOf, 'en')).toBe('1 July 2024');
    expect(longDate(asOf, 'zh')).toBe('2024年7月1日');
  });

  it('says how long ago a sync was', () => {
    const now = Date.UTC(2024, 6, 1, 12);
    expect(timeAgo(now - 20_000, now, 'en')).toBe('just now');
    expect(timeAgo(now - 2 * 3_600_000, now, 'en')).toBe('2 hours ago');
    expect(timeAgo(now - 1 * 60_000, now, 'en')).toBe('1 minute ago');
    expect(timeAgo(now - 3 * 86_400_000, now, 'zh')).toBe('3 天前');
  });

  it('formats amounts in the organisation’s currency, and validates the code', () => {
    expect(formatMoney(1234.5, 'USD', 'en')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'CNY', 'zh')).toBe('¥1,234.50');
    expect(formatMoney(-3, 'EUR', 'en')).toBe('-€3.00');
    expect(formatMoney(1234.5, undefined, 'en')).toBe('1,234.50');
    const config = { ...getPreset('rfm-segments')!, currency: 'usd' };
    expect(() => parseConfig(config)).toThrow(/currency: must be a three-letter ISO 4217 code/);
    expect(parseConfig({ ...config, currency: 'USD' }).currency).toBe('USD');
  });
});
