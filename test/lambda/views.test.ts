import { describe, expect, it } from 'vitest';
import { ownerMatcher } from '../../lambda/slack/answers';
import { parseTierCommand } from '../../lambda/slack/command';
import { chooser, customerCard, DUE_LISTED, dueList, mrkdwn, noMatch } from '../../lambda/slack/views';
import {
  type DueEntry,
  dayFromParts,
  explainAll,
  getPreset,
  parseCustomerTable,
  scoreBook,
} from '../../shared';

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
    expect(card.text).toBe('Acme <Corp> & Co: Platinum');
    expect(card.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Acme &lt;Corp&gt; &amp; Co* (C1)\n*Platinum* · Loyal' },
    });
    expect(card.blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [{ action_id: 'tier_share', value: 'C1' }],
    });
    const shared = customerCard(results[0], customers[0], 'en', { shared: true });
    expect(shared.response_type).toBe('in_channel');
    expect(shared.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('speak Chinese with a Chinese configuration', () => {
    const zh = scoreBook(customers, getPreset('value-pyramid-zh')!, { asOf });
    const card = customerCard(explainAll(zh)[1], customers[1], 'zh');
    expect(JSON.stringify(card.blocks)).toContain('最近购买');
    expect(card.text).toBe('北京永安商行: 黄金');
  });

  it('offer a choice with one button per customer', () => {
    const message = chooser(
      'acme',
      customers.map((summary) => ({ summary, tier: 'Gold' })),
      'en',
    );
    expect(message.blocks[1]).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: 'tier_pick_0', value: 'C1' },
        { action_id: 'tier_pick_1', value: 'C2' },
      ],
    });
    expect(noMatch('zzz', [], 'en').blocks).toHaveLength(1);
  });

  it('list at most DUE_LISTED customers and count the rest', () => {
    const entries: DueEntry[] = Array.from({ length: DUE_LISTED + 3 }, (_, i) => ({
      index: 0,
      result: results[0],
      due: asOf + i,
      reason: 'cadence',
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
    expect(mrkdwn('<@U1> & co')).toBe('&lt;@U1&gt; &amp; co');
  });
});

describe('parsing /tier', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['link abcd2345', { kind: 'link', code: 'abcd2345' }],
    ['due', { kind: 'due', who: { kind: 'me' } }],
    ['due all', { kind: 'due', who: { kind: 'all' } }],
    ['due <@U123|ana>', { kind: 'due', who: { kind: 'user', name: 'ana' } }],
    ['due @bo', { kind: 'due', who: { kind: 'user', name: 'bo' } }],
    ['summary', { kind: 'summary' }],
    ['  Acme  Corp ', { kind: 'lookup', query: 'Acme  Corp' }],
  ])('"%s"', (text, expected) => {
    expect(parseTierCommand(text)).toEqual(expected);
  });

  it('matches owners by handle, name or e-mail', () => {
    const isAna = ownerMatcher(['ana', 'Ana Silva', 'ana@acme.test']);
    expect(isAna('ANA')).toBe(true);
    expect(isAna('ana@acme.test')).toBe(true);
    expect(isAna('bo')).toBe(false);
    expect(isAna(null)).toBe(false);
  });
});
