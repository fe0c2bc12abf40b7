/**
 * Block Kit messages as pure functions of data: tested as data, and the listeners stay short.
 */

import type { KnownBlock } from '@slack/types';
import {
  type CustomerResult,
  type CustomerSummary,
  type DueEntry,
  isoDate,
  type Locale,
  type PopulationSummary,
  type TierMovement,
} from '../../shared';
import { fmt } from '../../shared/messages';
import { type SlackText, slackText } from './text';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  response_type: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
/** Slack's mrkdwn treats &, < and > as control characters. */
export const mrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function plain(
  text: string,
  response_type: SlackMessage['response_type'] = 'ephemeral',
): SlackMessage {
  return { text, blocks: [section(text)], response_type };
}

/** Tier, reasons, key figures, next action and due date for one customer, with a share button. */
export function customerCard(
  result: CustomerResult,
  summary: CustomerSummary,
  locale: Locale,
  options: { shared?: boolean } = {},
): SlackMessage {
  const t = slackText(locale);
  const name = mrkdwn(summary.name ?? summary.customerId);
  const tier = result.tierLabel ?? '—';
  const segment = result.segment && result.segment !== result.tierLabel ? ` · ${mrkdwn(result.segment)}` : '';
  const due =
    result.nextContactDue === null
      ? t.onRequest
      : `${result.nextContactDue}${result.overdue ? ` (${t.overdue})` : ''}`;
  const blocks: KnownBlock[] = [
    section(`*${name}* (${mrkdwn(summary.customerId)})\n*${mrkdwn(tier)}*${segment}`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*${t.lastPurchase}*\n${isoDate(summary.lastPurchase)}` },
        { type: 'mrkdwn', text: `*${t.orders}*\n${summary.orders}` },
        { type: 'mrkdwn', text: `*${t.spend}*\n${fmt(summary.totalSpend, 2)}` },
        { type: 'mrkdwn', text: `*${t.owner}*\n${mrkdwn(summary.owner ?? t.unnamed)}` },
      ],
    },
    section(`*${t.why}*\n${result.reasons.map((r) => `• ${mrkdwn(r)}`).join('\n')}`),
    section(
      `*${t.nextAction}*: ${mrkdwn(result.nextAction ?? '—')}${result.channel ? ` (${result.channel})` : ''}\n*${t.due}*: ${due}`,
    ),
  ];
  if (!options.shared) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'tier_share',
          text: { type: 'plain_text', text: t.share },
          value: summary.customerId,
        },
      ],
    });
  }
  return {
    text: `${summary.name ?? summary.customerId}: ${tier}`,
    blocks,
    response_type: options.shared ? 'in_channel' : 'ephemeral',
  };
}

const pickButton = (c: CustomerSummary, i: number, tier: string | null) => ({
  type: 'button' as const,
  action_id: `tier_pick_${i}`,
  text: {
    type: 'plain_text' as const,
    text: `${c.name ?? c.customerId}${tier ? ` · ${tier}` : ''}`.slice(0, 75),
  },
  value: c.customerId,
});

export function chooser(
  query: string,
  choices: { summary: CustomerSummary; tier: string | null }[],
  locale: Locale,
): SlackMessage {
  const t = slackText(locale);
  return {
    text: t.several(query, choices.length),
    blocks: [
      section(mrkdwn(t.several(query, choices.length))),
      { type: 'actions', elements: choices.map((c, i) => pickButton(c.summary, i, c.tier)) },
    ],
    response_type: 'ephemeral',
  };
}

export function noMatch(query: string, suggestions: CustomerSummary[], locale: Locale): SlackMessage {
  const t = slackText(locale);
  const blocks: KnownBlock[] = [section(mrkdwn(t.noMatch(query)))];
  if (suggestions.length > 0) {
    blocks.push(context(t.closest), {
      type: 'actions',
      elements: suggestions.map((c, i) => pickButton(c, i, null)),
    });
  }
  return { text: t.noMatch(query), blocks, response_type: 'ephemeral' };
}

/** How many due customers one message lists; the rest are counted. */
export const DUE_LISTED = 15;

function dueLines(entries: readonly DueEntry[], t: SlackText): string {
  return entries
    .slice(0, DUE_LISTED)
    .map((e) => {
      const r = e.result;
      const owner = r.owner ? ` · ${mrkdwn(r.owner)}` : '';
      return `• *${mrkdwn(r.name ?? r.customerId)}* (${mrkdwn(r.tierLabel ?? '—')}): ${isoDate(e.due)} · ${t.reasons[e.reason]}${owner}\n   ${mrkdwn(r.nextAction ?? '')}`;
    })
    .join('\n');
}

export function dueList(entries: readonly DueEntry[], owner: string | null, locale: Locale): SlackMessage {
  const t = slackText(locale);
  const who = owner ? t.forOwner(owner) : '';
  if (entries.length === 0) return plain(t.nobodyDue(who));
  const blocks: KnownBlock[] = [
    section(`*${mrkdwn(t.dueTitle(entries.length, who))}*`),
    section(dueLines(entries, t)),
  ];
  if (entries.length > DUE_LISTED) blocks.push(context(t.more(entries.length - DUE_LISTED)));
  return { text: t.dueTitle(entries.length, who), blocks, response_type: 'ephemeral' };
}

function summaryBlocks(
  summary: PopulationSummary,
  movement: readonly TierMovement[] | null,
  t: SlackText,
): KnownBlock[] {
  const moved = new Map(movement?.map((m) => [m.tier, m]) ?? []);
  const lines = summary.tiers.map((row) => {
    const m = row.tier ? moved.get(row.tier) : undefined;
    const change =
      m && m.before !== m.after ? ` (${m.after > m.before ? '+' : ''}${m.after - m.before})` : '';
    return `• *${mrkdwn(row.label)}*: ${row.customers}${change} · ${fmt(row.revenue, 2)} (${fmt(row.revenueShare * 100, 1)} %)`;
  });
  const blocks = [
    section(`*${t.summaryTitle(summary.customers, fmt(summary.revenue, 2))}*`),
    section(lines.join('\n')),
  ];
  if (movement) {
    const up = movement.reduce((n, m) => n + m.movedUp, 0);
    const down = movement.reduce((n, m) => n + m.movedDown, 0);
    blocks.push(context(t.movement(up, down)));
  }
  return blocks;
}

export function summaryMessage(
  summary: PopulationSummary,
  movement: readonly TierMovement[] | null,
  locale: Locale,
): SlackMessage {
  const t = slackText(locale);
  return {
    text: t.summaryTitle(summary.customers, fmt(summary.revenue, 2)),
    blocks: summaryBlocks(summary, movement, t),
    response_type: 'ephemeral',
  };
}

/** The App Home tab: the user's own due list, then the tier summary. */
export function homeView(
  entries: readonly DueEntry[],
  owner: string,
  summary: PopulationSummary,
  locale: Locale,
) {
  const t = slackText(locale);
  const due: KnownBlock[] =
    entries.length === 0
      ? [section(t.nobodyDue(t.forOwner(owner)))]
      : [
          section(`*${mrkdwn(t.dueTitle(entries.length, t.forOwner(owner)))}*`),
          section(dueLines(entries, t)),
        ];
  return {
    type: 'home' as const,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: t.homeTitle } } as KnownBlock,
      ...due,
      { type: 'divider' } as KnownBlock,
      ...summaryBlocks(summary, null, t),
    ],
  };
}
