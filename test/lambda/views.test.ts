import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  button,
  cut,
  escapeMrkdwn,
  fieldsSection,
  header,
  LIMITS,
  label,
  linesBlocks,
  listBlocks,
  section,
} from '../../lambda/slack/blocks';
import { parseTierCommand, unescapeSlack } from '../../lambda/slack/command';
import {
  chooser,
  customerCard,
  DUE_LISTED,
  dueList,
  homeView,
  noMatch,
  summaryMessage,
} from '../../lambda/slack/views';
import {
  customerKey,
  type DueEntry,
  dayFromParts,
  dueContacts,
  explainAll,
  getPreset,
  parseCustomerTable,
  scoreBook,
  summarizePopulation,
  type TierwiseConfig,
} from '../../shared';
import { blockKitProblems } from '../helpers/block-kit';

const asOf = dayFromParts(2024, 7, 1)!;
const { customers } = parseCustomerTable(
  {
    header: ['id', 'name', 'owner', 'last_purchase', 'first_purchase', 'orders', 'total_spend'],
    rows: [
      ['C1', 'Acme <Corp> & Co', 'ana', '2024-06-01', '2024-01-01', 6, 3000],
      ['C2', '北京永安商行', 'li', '2024-05-01', '2023-05-01', 2, 200],
    ],
  },
  { asOf },
);
const book = scoreBook(customers, getPreset('value-pyramid')!, { asOf });
const results = explainAll(book);

describe('Block Kit builders', () => {
  it('build a customer card: tier, figures, reasons, action, due, share button', () => {
    const card = customerCard(results[0], customers[0], 'en');
    expect(card.response_type).toBe('ephemeral');
    // The notification text is mrkdwn too: a name with <…> must not become a link or a mention there.
    expect(card.text).toBe('Acme &lt;Corp&gt; &amp; Co: Platinum');
    expect(card.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Acme &lt;Corp&gt; &amp; Co* (C1)\n*Platinum* · ${results[0].segment}` },
    });
    expect(card.blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [{ action_id: 'tier_share', value: customerKey('C1') }],
    });
    const shared = customerCard(results[0], customers[0], 'en', { shared: true });
    expect(shared.response_type).toBe('in_channel');
    expect(shared.text).toBe('Acme &lt;Corp&gt; &amp; Co: Platinum');
    expect(shared.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('speak Chinese with a Chinese configuration', () => {
    const zh = scoreBook(customers, getPreset('value-pyramid-zh')!, { asOf });
    const card = customerCard(explainAll(zh)[1], customers[1], 'zh');
    expect(JSON.stringify(card.blocks)).toContain('最近购买');
    expect(card.text).toBe('北京永安商行: 黄金');
  });

  it('offer a choice with one button per customer, saying how many match in all', () => {
    const message = chooser(
      'acme',
      customers.map((summary) => ({ summary, tier: 'Gold' })),
      1204,
      'en',
    );
    expect(message.text).toBe('1,204 customers match "acme"; the 2 closest:');
    expect(message.blocks[1]).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: 'tier_pick_0', value: customerKey('C1') },
        { action_id: 'tier_pick_1', value: customerKey('C2') },
      ],
    });
    const all = customers.map((summary) => ({ summary, tier: null }));
    expect(chooser('acme', all, 2, 'en').text).toBe('2 customers match "acme". Which one?');
    expect(noMatch('zzz', [], 'en').blocks).toHaveLength(1);
  });

  it('list at most DUE_LISTED customers and count the rest', () => {
    const entries: DueEntry[] = Array.from({ length: DUE_LISTED + 3 }, (_, i) => ({
      index: 0,
      result: results[0],
      due: asOf + i,
      daysOverdue: -i,
      reason: 'cadence',
      value: 0,
      priority: 0,
    }));
    const message = dueList(entries, 'ana', 'en');
    expect(message.text).toBe(`${DUE_LISTED + 3} customers to contact this week for ana`);
    expect(message.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '…and 3 more.' }],
    });
    expect(dueList([], null, 'en').text).toBe('Nobody is due this week.');
  });

  it('escape Slack control characters', () => {
    expect(escapeMrkdwn('<@U1> & co')).toBe('&lt;@U1&gt; &amp; co');
    expect(escapeMrkdwn('<!channel>')).toBe('&lt;!channel&gt;');
  });
});

describe('limits by construction', () => {
  const family = '👨‍👩‍👧'; // 8 code units, one grapheme
  it('cut on grapheme boundaries, never half an emoji or half an entity, with an ellipsis', () => {
    const text = `${'a'.repeat(72)}${family}tail`;
    const cut75 = cut(text, 75);
    expect(cut75).toBe(`${'a'.repeat(72)}…`);
    expect(cut(`${'a'.repeat(70)}${family}`, 80)).toBe(`${'a'.repeat(70)}${family}`);
    expect(cut('😀'.repeat(100), 75)).toBe(`${'😀'.repeat(37)}…`);
    // "&amp;" is 5 units: a cut inside one drops it whole.
    const amps = label('&'.repeat(100), 75);
    expect(amps).toBe(`${'&amp;'.repeat(14)}…`);
    expect(cut('short', 75)).toBe('short');
  });

  it('keep each builder inside its field’s limit', () => {
    const huge = 'x'.repeat(10_000);
    expect((section(huge).text?.text ?? '').length).toBe(LIMITS.sectionText);
    const fields = fieldsSection(Array.from({ length: 12 }, () => huge)).fields ?? [];
    expect(fields).toHaveLength(10);
    expect(fields.every((f) => f.text.length === LIMITS.field)).toBe(true);
    expect(header(huge).text.text.length).toBe(LIMITS.header);
    expect(button({ actionId: 'a', text: huge, value: 'k' }).text.text.length).toBe(LIMITS.buttonText);
    expect(() => button({ actionId: 'a', text: 'x', value: huge })).toThrow(/short key/);
    expect(() => button({ actionId: 'a'.repeat(256), text: 'x', value: 'k' })).toThrow(/action_id/);
  });

  it('stop a list at its block budget and say how many more there are', () => {
    const blocks = listBlocks(
      Array.from({ length: 500 }, (_, i) => i),
      (i) => [section(`item ${i}`), section('detail')],
      { maxBlocks: 49, more: (n) => `…and ${n} more.` },
    );
    expect(blocks).toHaveLength(49);
    expect(blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '…and 476 more.' }],
    });
    const lines = linesBlocks(
      Array.from({ length: 500 }, () => 'y'.repeat(2_000)),
      { maxBlocks: 10, more: (n) => `…and ${n} more.` },
    );
    expect(lines).toHaveLength(10);
    expect(lines.at(-1)).toMatchObject({ elements: [{ text: '…and 491 more.' }] });
  });
});

/** A book where every customer is hostile: huge names and ids, mentions, emoji at the cut points. */
function hostileBook(n: number, name: (i: number) => string, id: (i: number) => string) {
  const base = getPreset('value-pyramid')!;
  const config: TierwiseConfig = {
    ...base,
    tiers: base.tiers.map((t) => ({
      ...t,
      label: `<!channel> ${'★'.repeat(140)}`,
      action: `<!here> call <https://evil.example|now> ${'a'.repeat(123)}`,
    })),
  };
  const rows = Array.from({ length: n }, (_, i) => [
    id(i),
    name(i),
    `<@U${i}> ${'o'.repeat(3_000)}`,
    '2023-01-01',
    '2020-01-01',
    3,
    100 + i,
  ]);
  const parsed = parseCustomerTable(
    {
      header: ['id', 'name', 'owner', 'last_purchase', 'first_purchase', 'orders', 'total_spend'],
      rows,
    },
    { asOf },
  );
  const scored = scoreBook(parsed.customers, config, { asOf });
  return { scored, customers: parsed.customers };
}

describe('hostile data stays inside every limit and pings nobody', () => {
  const emojiName = (i: number) => `<!channel> & ${'😀'.repeat(5_000 + (i % 2))}`;
  const { scored, customers: hostile } = hostileBook(
    500,
    (i) => (i % 3 === 0 ? emojiName(i) : `${'<@U123>'.repeat(1_400)}${i}`),
    (i) => `${'I'.repeat(2_500)}${i}`,
  );
  const explained = explainAll(scored);
  // Bought in 2023: all months overdue, kept in the list here (not the backlog) to fill it.
  const due = dueContacts(scored, { longOverdueDays: Number.POSITIVE_INFINITY });

  it('500 due customers, 10,000-character names, 2,500-character ids, long actions', () => {
    expect(due.length).toBe(500);
    const list = dueList(due, '<!channel> & friends', 'en');
    expect(blockKitProblems(list)).toEqual([]);
    expect(JSON.stringify(list.blocks.at(-1))).toContain('…and 485 more.');
    const card = customerCard(explained[0], hostile[0], 'en');
    expect(blockKitProblems(card)).toEqual([]);
    expect(blockKitProblems(customerCard(explained[1], hostile[1], 'en', { shared: true }))).toEqual([]);
    const pick = chooser(
      '<!channel>',
      hostile.slice(0, 8).map((summary, i) => ({ summary, tier: explained[i].tierLabel })),
      500,
      'en',
    );
    expect(blockKitProblems(pick)).toEqual([]);
    expect(blockKitProblems(noMatch('<!everyone>', hostile.slice(0, 3), 'zh'))).toEqual([]);
    const home = homeView(due, '<@U1>', summarizePopulation(scored), 'en');
    expect(blockKitProblems(home, { home: true })).toEqual([]);
    expect(blockKitProblems(summaryMessage(summarizePopulation(scored), null, 'zh'))).toEqual([]);
  });

  it('property: any name, id and owner gives a valid card and choice', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 3_100 }),
      fc.constantFrom('<!channel>', '&lt;', '<@U1|x>', '&', '<http://x|y>', '👩‍👩‍👧‍👦'.repeat(700)),
    );
    fc.assert(
      fc.property(anyText, anyText, anyText, (name, id, owner) => {
        const summary = { ...hostile[0], name, customerId: id || 'x', owner };
        const result = { ...explained[0], name, customerId: id || 'x', owner };
        expect(blockKitProblems(customerCard(result, summary, 'en'))).toEqual([]);
        expect(blockKitProblems(chooser(name, [{ summary, tier: owner }], 2, 'en'))).toEqual([]);
        expect(blockKitProblems(dueList([{ ...due[0], result }], owner, 'en'))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});

describe('parsing /tier', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['link abcd2345', { kind: 'link', code: 'abcd2345' }],
    ['due', { kind: 'due', who: { kind: 'me' } }],
    ['due all', { kind: 'due', who: { kind: 'all' } }],
    ['due <@U123|ana>', { kind: 'due', who: { kind: 'user', name: 'ana', userId: 'U123' } }],
    ['due <@U123>', { kind: 'due', who: { kind: 'user', name: 'U123', userId: 'U123' } }],
    ['due @bo', { kind: 'due', who: { kind: 'user', name: 'bo' } }],
    ['summary', { kind: 'summary' }],
    ['  Acme  Corp ', { kind: 'lookup', query: 'Acme  Corp' }],
    // should_escape: Slack sends & < > as entities; the query is what the user typed.
    ['Smith &amp; Sons &lt;UK&gt;', { kind: 'lookup', query: 'Smith & Sons <UK>' }],
  ])('"%s"', (text, expected) => {
    expect(parseTierCommand(text)).toEqual(expected);
  });

  it('decodes only the three entities Slack escapes', () => {
    expect(unescapeSlack('&amp;lt; &quot;')).toBe('&lt; &quot;');
  });
});
