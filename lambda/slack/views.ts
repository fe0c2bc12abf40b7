/**
 * Block Kit messages as pure functions of data: tested as data, and the listeners stay short. Every
 * piece comes from the limit-keeping builders in blocks.ts, and every piece of user, sheet or
 * configuration data passes through `label` (escaped and cut) on its way in.
 */

import type { KnownBlock } from '@slack/types';
import {
  type CustomerResult,
  type CustomerSummary,
  customerKey,
  type DueEntry,
  isoDate,
  type Locale,
  type PopulationSummary,
  type TierMovement,
} from '../../shared';
import { fmt } from '../../shared/messages';
import {
  actions,
  button,
  capBlocks,
  context,
  divider,
  fallback,
  fieldsSection,
  header,
  LIMITS,
  label,
  linesBlocks,
  section,
} from './blocks';
import { type SlackText, slackText } from './text';

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  response_type: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export interface HomeView {
  type: 'home';
  blocks: KnownBlock[];
}

/** Display lengths for data inside sentences: long enough to recognise, short enough to read. */
const NAME = 300;
const ID = 100;
const SHORT = 100;

/** Every message leaves through here: blocks capped, fallback text cut. `text` is safe mrkdwn. */
export function message(
  text: string,
  blocks: readonly KnownBlock[],
  response_type: SlackMessage['response_type'] = 'ephemeral',
): SlackMessage {
  return { text: fallback(text), blocks: capBlocks(blocks, LIMITS.messageBlocks), response_type };
}

/** A one-section message; `text` is safe mrkdwn (a sentence from text.ts with its data labelled). */
export const plain = (text: string, response_type: SlackMessage['response_type'] = 'ephemeral') =>
  message(text, [section(text)], response_type);

export const homeMessage = (blocks: readonly KnownBlock[]): HomeView => ({
  type: 'home',
  blocks: capBlocks(blocks, LIMITS.homeBlocks),
});

const customerName = (c: { name: string | null; customerId: string }, max = NAME): string =>
  label(c.name ?? c.customerId, max);

/** Tier, reasons, key figures, next action and due date for one customer, with a share button. */
export function customerCard(
  result: CustomerResult,
  summary: CustomerSummary,
  locale: Locale,
  options: { shared?: boolean } = {},
): SlackMessage {
  const t = slackText(locale);
  const name = customerName(summary);
  const tier = label(result.tierLabel ?? '—', SHORT);
  const segment =
    result.segment && result.segment !== result.tierLabel ? ` · ${label(result.segment, SHORT)}` : '';
  const due =
    result.nextContactDue === null
      ? t.onRequest
      : `${isoDate(result.nextContactDue)}${result.overdue ? ` (${t.overdue})` : ''}`;
  const channel = result.channel ? ` (${label(result.channel, SHORT)})` : '';
  const blocks: KnownBlock[] = [
    section(`*${name}* (${label(summary.customerId, ID)})\n*${tier}*${segment}`),
    fieldsSection([
      `*${t.lastPurchase}*\n${isoDate(summary.lastPurchase)}`,
      `*${t.orders}*\n${fmt(summary.orders)}`,
      `*${t.spend}*\n${fmt(summary.totalSpend, 2)}`,
      `*${t.owner}*\n${summary.owner ? label(summary.owner, NAME) : t.unnamed}`,
    ]),
    section(`*${t.why}*\n${result.reasons.map((r) => `• ${label(r, 500)}`).join('\n')}`),
    section(`*${t.nextAction}*: ${label(result.nextAction ?? '—', 1_000)}${channel}\n*${t.due}*: ${due}`),
  ];
  if (!options.shared) {
    blocks.push(
      ...actions([button({ actionId: 'tier_share', text: t.share, value: customerKey(summary.customerId) })]),
    );
  }
  return message(`${name}: ${tier}`, blocks, options.shared ? 'in_channel' : 'ephemeral');
}

/** A button that opens a customer's card; `i` keeps action ids unique in the message. */
const pickButton = (c: CustomerSummary, i: number, tier: string | null) =>
  button({
    actionId: `tier_pick_${i}`,
    text: `${customerName(c, LIMITS.buttonText)}${tier ? ` · ${label(tier, 30)}` : ''}`,
    value: customerKey(c.customerId),
  });

/** The closest few of `total` matching customers, one button each. */
export function chooser(
  query: string,
  choices: { summary: CustomerSummary; tier: string | null }[],
  total: number,
  locale: Locale,
): SlackMessage {
  const title = slackText(locale).several(label(query), total, choices.length);
  return message(title, [
    section(title),
    ...actions(choices.map((c, i) => pickButton(c.summary, i, c.tier))),
  ]);
}

export function noMatch(query: string, suggestions: CustomerSummary[], locale: Locale): SlackMessage {
  const t = slackText(locale);
  const text = t.noMatch(label(query));
  const blocks: KnownBlock[] = [section(text)];
  if (suggestions.length > 0)
    blocks.push(context(t.closest), ...actions(suggestions.map((c, i) => pickButton(c, i, null))));
  return message(text, blocks);
}

/** How many due customers one message lists; the rest are counted. */
export const DUE_LISTED = 15;

function dueLine(e: DueEntry, t: SlackText): string {
  const r = e.result;
  const owner = r.owner ? ` · ${label(r.owner, SHORT)}` : '';
  const tier = label(r.tierLabel ?? '—', SHORT);
  const action = label(r.nextAction ?? '', 300);
  return `• *${customerName(r, SHORT)}* (${tier}): ${isoDate(e.due)} · ${t.reasons[e.reason]}${owner}\n   ${action}`;
}

/** The first DUE_LISTED lines and "…and N more" (only the listed entries are rendered). */
function dueBlocks(entries: readonly DueEntry[], t: SlackText, maxBlocks: number): KnownBlock[] {
  return linesBlocks(
    entries.slice(0, DUE_LISTED).map((e) => dueLine(e, t)),
    { maxBlocks, more: t.more, total: entries.length },
  );
}

/** Who is due; `owner` is the name as the user asked for it (echoed, so it is labelled). */
export function dueList(entries: readonly DueEntry[], owner: string | null, locale: Locale): SlackMessage {
  const t = slackText(locale);
  const who = owner ? t.forOwner(label(owner, SHORT)) : '';
  if (entries.length === 0) return plain(t.nobodyDue(who));
  const title = t.dueTitle(entries.length, who);
  return message(title, [section(`*${title}*`), ...dueBlocks(entries, t, LIMITS.messageBlocks - 1)]);
}

function summaryBlocks(
  summary: PopulationSummary,
  movement: readonly TierMovement[] | null,
  t: SlackText,
  maxBlocks: number,
): KnownBlock[] {
  const moved = new Map(movement?.map((m) => [m.tier, m]) ?? []);
  const lines = summary.tiers.map((row) => {
    const m = row.tier ? moved.get(row.tier) : undefined;
    const change =
      m && m.before !== m.after ? ` (${m.after > m.before ? '+' : ''}${fmt(m.after - m.before)})` : '';
    return `• *${label(row.label, SHORT)}*: ${fmt(row.customers)}${change} · ${fmt(row.revenue, 2)} (${fmt(row.revenueShare * 100, 1)} %)`;
  });
  const closing: KnownBlock[] = [];
  if (movement) {
    const up = movement.reduce((n, m) => n + m.movedUp, 0);
    const down = movement.reduce((n, m) => n + m.movedDown, 0);
    closing.push(context(t.movement(up, down)));
  }
  return [
    section(`*${t.summaryTitle(summary.customers, fmt(summary.revenue, 2))}*`),
    ...linesBlocks(lines, { maxBlocks: maxBlocks - 1 - closing.length, more: t.more }),
    ...closing,
  ];
}

export function summaryMessage(
  summary: PopulationSummary,
  movement: readonly TierMovement[] | null,
  locale: Locale,
): SlackMessage {
  const t = slackText(locale);
  return message(
    t.summaryTitle(summary.customers, fmt(summary.revenue, 2)),
    summaryBlocks(summary, movement, t, LIMITS.messageBlocks),
  );
}

/** The App Home tab: the user's own due list, then the tier summary. */
export function homeView(
  entries: readonly DueEntry[],
  owner: string,
  summary: PopulationSummary,
  locale: Locale,
): HomeView {
  const t = slackText(locale);
  const who = t.forOwner(label(owner, SHORT));
  const due: KnownBlock[] =
    entries.length === 0
      ? [section(t.nobodyDue(who))]
      : [section(`*${t.dueTitle(entries.length, who)}*`), ...dueBlocks(entries, t, 40)];
  return homeMessage([
    header(t.homeTitle),
    ...due,
    divider(),
    ...summaryBlocks(summary, null, t, LIMITS.homeBlocks - due.length - 2),
  ]);
}

/** A Home tab that only says something (not linked, no book, an error). */
export const homeNotice = (text: string): HomeView => homeMessage([section(text)]);
