/**
 * The salesperson's to-do list as Block Kit: who is due, most at stake first, each with Mark contacted,
 * Snooze (a week, a month) and Log a note; the months-old backlog folded into one line with its own
 * pages; paging buttons; and the freshness of the data on every answer. Pure functions of data, built
 * from the limit-keeping pieces in blocks.ts.
 */

import type { KnownBlock, View } from '@slack/types';
import {
  CONTACT_OUTCOMES,
  type ContactOutcome,
  customerKey,
  type Day,
  type DueEntry,
  type DuePlan,
  formatMoney,
  type Locale,
  longDate,
  NOTE_MAX_LENGTH,
  type PopulationSummary,
  relativeDue,
  timeAgo,
} from '../../shared';
import { fmt } from '../../shared/messages';
import { actions, button, context, cut, divider, header, LIMITS, label, section } from './blocks';
import { slackText } from './text';
import { type HomeView, homeMessage, message, type SlackMessage } from './views';

/** Customers per page: two blocks each keeps a page well inside 50 blocks, and readable. */
export const PAGE_SIZE = 10;

export type ListKind = 'due' | 'backlog' | 'card';

/**
 * Where a list came from, carried in button values so a click can redraw the same page: whose list
 * (`all`, `me`, `u:<user id>`, `n:<typed name>`, or `home:<tier filter>`), which list and page.
 */
export interface Place {
  scope: string;
  list: ListKind;
  page: number;
}

const SEP = '\t';
/** Button values: short by construction (a customer key, a page, a scope cut to 200 characters). */
export const placeValue = (place: Place, key = ''): string =>
  [key, place.page, place.list, cut(place.scope, 200)].join(SEP);

export function parsePlace(value: string): { key: string; place: Place } {
  const [key = '', page = '0', list = 'due', ...scope] = value.split(SEP);
  const kind: ListKind = list === 'backlog' || list === 'card' ? list : 'due';
  const n = Number(page);
  return {
    key,
    place: { page: Number.isInteger(n) && n >= 0 ? n : 0, list: kind, scope: scope.join(SEP) || 'me' },
  };
}

const WORDS = {
  en: {
    contacted: 'Mark contacted',
    week: 'Snooze 1 week',
    month: 'Snooze 1 month',
    note: 'Log a note',
    atStake: (amount: string) => `${amount} at stake`,
    backlog: (n: number, amount: string, since: string) =>
      `*Long overdue:* ${fmt(n)} more customer${n === 1 ? '' : 's'} not contacted for months (oldest due ${since}), ${amount} at stake.`,
    showBacklog: 'Show the long overdue',
    backlogTitle: (n: number, who: string) => `${fmt(n)} long-overdue customer${n === 1 ? '' : 's'}${who}`,
    backToWeek: 'Back to this week',
    leftAlone: (n: number) => `${fmt(n)} in tiers left alone (contact only on request) are not listed.`,
    previous: '← Previous',
    next: 'Next →',
    page: (p: number, pages: number) => `page ${p} of ${pages}`,
    freshness: (asOf: string, ago: string | null) =>
      `As of the sync of ${asOf}${ago ? ` · synced ${ago}` : ''}`,
    done: (name: string, what: string) => `${name}: ${what}.`,
    didContact: 'marked contacted today',
    didSnooze: (until: string) => `snoozed until ${until}`,
    didNote: 'note logged',
    modalTitle: 'Log a note',
    modalSubmit: 'Save',
    modalCancel: 'Cancel',
    noteLabel: 'What happened?',
    notePlaceholder: 'Called, wants a quote for 50 units by Friday',
    outcomeLabel: 'Outcome',
    outcomes: {
      reached: 'Reached them',
      'no-answer': 'No answer',
      'follow-up': 'Follow up needed',
      'not-interested': 'Not interested',
      won: 'Won the deal',
    } satisfies Record<ContactOutcome, string>,
    sharedBy: (who: string) => `Shared by ${who}`,
    filterAll: 'All tiers',
    tiersTitle: 'Your book by tier',
  },
  zh: {
    contacted: '标记已联系',
    week: '推迟 1 周',
    month: '推迟 1 个月',
    note: '记录备注',
    atStake: (amount: string) => `涉及 ${amount}`,
    backlog: (n: number, amount: string, since: string) =>
      `*长期逾期：*另有 ${fmt(n)} 个客户数月未联系（最早应于 ${since} 联系），涉及 ${amount}。`,
    showBacklog: '查看长期逾期',
    backlogTitle: (n: number, who: string) => `${who}长期逾期客户 ${fmt(n)} 个`,
    backToWeek: '返回本周',
    leftAlone: (n: number) => `${fmt(n)} 个客户所在级别仅按需联系，未列出。`,
    previous: '← 上一页',
    next: '下一页 →',
    page: (p: number, pages: number) => `第 ${p}/${pages} 页`,
    freshness: (asOf: string, ago: string | null) => `数据截至 ${asOf} 的同步${ago ? ` · ${ago}同步` : ''}`,
    done: (name: string, what: string) => `${name}：${what}。`,
    didContact: '今天已标记为已联系',
    didSnooze: (until: string) => `已推迟到 ${until}`,
    didNote: '备注已记录',
    modalTitle: '记录备注',
    modalSubmit: '保存',
    modalCancel: '取消',
    noteLabel: '发生了什么？',
    notePlaceholder: '已致电，对方希望周五前收到 50 件的报价',
    outcomeLabel: '结果',
    outcomes: {
      reached: '已联系上',
      'no-answer': '无人接听',
      'follow-up': '需要跟进',
      'not-interested': '不感兴趣',
      won: '已成交',
    } satisfies Record<ContactOutcome, string>,
    sharedBy: (who: string) => `由 ${who} 分享`,
    filterAll: '全部级别',
    tiersTitle: '你的客户级别分布',
  },
} satisfies Record<Locale, unknown>;

export type WorklistWords = (typeof WORDS)['en'];
export const worklistWords = (locale: Locale): WorklistWords => WORDS[locale];

export interface Freshness {
  /** The as-of day of the book. */
  asOf: Day;
  /** When the last sync finished (ISO), and now, for "synced 2 hours ago". */
  syncedAt: string | null;
  now: Date;
}

/** "As of the sync of 1 July 2024 · synced 2 hours ago": on every answer. */
export function freshnessLine(f: Freshness, locale: Locale): string {
  const w = WORDS[locale];
  const synced = f.syncedAt ? Date.parse(f.syncedAt) : Number.NaN;
  const ago = Number.isNaN(synced) ? null : timeAgo(synced, f.now.getTime(), locale);
  return w.freshness(longDate(f.asOf, locale), ago);
}

/** The four contact buttons of one customer; `i` keeps action ids unique within the message. */
export function contactButtons(i: number, key: string, place: Place, locale: Locale) {
  const w = WORDS[locale];
  const value = placeValue(place, key);
  return actions([
    button({ actionId: `tier_done_${i}`, text: w.contacted, value, style: 'primary' }),
    button({ actionId: `tier_snooze_week_${i}`, text: w.week, value }),
    button({ actionId: `tier_snooze_month_${i}`, text: w.month, value }),
    button({ actionId: `tier_note_${i}`, text: w.note, value }),
  ]);
}

interface ListInput {
  plan: DuePlan;
  place: Place;
  /** The owner as the user asked for them ("ana"), or null for everyone. */
  who: string | null;
  locale: Locale;
  today: Day;
  currency?: string;
}

function entryBlocks(e: DueEntry, i: number, input: ListInput): KnownBlock[] {
  const r = e.result;
  const w = WORDS[input.locale];
  const t = slackText(input.locale);
  const name = label(r.name ?? r.customerId, 100);
  const owner = r.owner ? ` · ${label(r.owner, 60)}` : '';
  const when = relativeDue(e.due, input.today, input.locale);
  const stake = e.value > 0 ? ` · ${w.atStake(formatMoney(e.value, input.currency, input.locale))}` : '';
  const line =
    `*${name}* (${label(r.tierLabel ?? '—', 60)}) · *${when}* · ${t.reasons[e.reason]}${stake}${owner}\n` +
    label(r.nextAction ?? '', 300);
  return [section(line), ...contactButtons(i, customerKey(r.customerId), input.place, input.locale)];
}

const pageCount = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));

function pagingButtons(total: number, place: Place, actionId: string, w: WorklistWords): KnownBlock[] {
  const pages = pageCount(total);
  if (pages <= 1) return [];
  const buttons = [];
  if (place.page > 0)
    buttons.push(
      button({
        actionId: `${actionId}_prev`,
        text: w.previous,
        value: placeValue({ ...place, page: place.page - 1 }),
      }),
    );
  if (place.page + 1 < pages)
    buttons.push(
      button({
        actionId: `${actionId}_next`,
        text: w.next,
        value: placeValue({ ...place, page: place.page + 1 }),
      }),
    );
  return [context(w.page(place.page + 1, pages)), ...actions(buttons)];
}

/**
 * The blocks of one page of a due list (or of the backlog), with the backlog line, paging and the
 * count of customers left alone. At most 2 × PAGE_SIZE + 8 blocks.
 */
export function worklistBlocks(input: ListInput, pageAction: string): KnownBlock[] {
  const { plan, place, locale } = input;
  const t = slackText(locale);
  const w = WORDS[locale];
  const backlog = place.list === 'backlog';
  const entries = backlog ? plan.longOverdue : plan.entries;
  const who = input.who ? t.forOwner(label(input.who, 100)) : '';
  const pages = pageCount(entries.length);
  const page = Math.min(place.page, pages - 1);
  const here = { ...place, page };
  const shown = entries.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const title = backlog
    ? w.backlogTitle(entries.length, who)
    : entries.length === 0
      ? t.nobodyDue(who)
      : t.dueTitle(entries.length, who);
  const blocks: KnownBlock[] = [section(`*${title}*`)];
  shown.forEach((e, i) => {
    for (const block of entryBlocks(e, i, { ...input, place: here })) blocks.push(block);
  });
  const after = entries.length - (page + 1) * PAGE_SIZE;
  if (after > 0) blocks.push(context(t.more(after)));
  for (const block of pagingButtons(entries.length, here, pageAction, w)) blocks.push(block);
  if (backlog) {
    blocks.push(
      ...actions([
        button({
          actionId: `${pageAction}_week`,
          text: w.backToWeek,
          value: placeValue({ ...here, list: 'due', page: 0 }),
        }),
      ]),
    );
  } else if (plan.longOverdue.length > 0) {
    const stake = plan.longOverdue.reduce((sum, e) => sum + e.value, 0);
    const oldest = plan.longOverdue.reduce((min, e) => Math.min(min, e.due), Number.POSITIVE_INFINITY);
    blocks.push(
      section(
        w.backlog(
          plan.longOverdue.length,
          formatMoney(stake, input.currency, locale),
          longDate(oldest, locale),
        ),
      ),
      ...actions([
        button({
          actionId: `${pageAction}_backlog`,
          text: w.showBacklog,
          value: placeValue({ ...here, list: 'backlog', page: 0 }),
        }),
      ]),
    );
  }
  if (plan.leftAlone > 0) blocks.push(context(w.leftAlone(plan.leftAlone)));
  return blocks;
}

/** `/tier due` and its redraws: one page of the list, with the freshness line. */
export function dueMessage(input: ListInput, freshness: Freshness): SlackMessage {
  const blocks = worklistBlocks(input, 'tier_due_page');
  blocks.push(context(freshnessLine(freshness, input.locale)));
  const first = blocks[0];
  const text = first.type === 'section' && first.text ? first.text.text.replace(/\*/g, '') : '';
  return message(text, blocks);
}

/** Customers per tier as text bars, the App Home's small chart. */
export function tierBars(summary: PopulationSummary, locale: Locale, currency?: string): KnownBlock[] {
  const width = 20;
  const lines = summary.tiers.map((row) => {
    const filled = Math.round(row.customerShare * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    return `\`${bar}\` *${label(row.label, 60)}* ${fmt(row.customers)} · ${formatMoney(row.revenue, currency, locale)}`;
  });
  return [section(`*${WORDS[locale].tiersTitle}*\n${lines.join('\n')}`)];
}

/** Tier filter buttons for the App Home ("All tiers" and one per tier). */
export function tierFilters(
  tiers: readonly { key: string; label: string }[],
  current: string,
  locale: Locale,
) {
  const w = WORDS[locale];
  const all = button({
    actionId: 'tier_home_filter',
    text: w.filterAll,
    value: placeValue({ scope: 'home:', list: 'due', page: 0 }),
    ...(current === '' ? { style: 'primary' as const } : {}),
  });
  const each = tiers.slice(0, LIMITS.actionsElements - 1).map((t, i) =>
    button({
      actionId: `tier_home_filter_${i}`,
      text: label(t.label, 60),
      value: placeValue({ scope: `home:${t.key}`, list: 'due', page: 0 }),
      ...(t.key === current ? { style: 'primary' as const } : {}),
    }),
  );
  return actions([all, ...each]);
}

/** The App Home: filters, the user's due list with buttons, the tier bars, freshness. */
export function homeWorklist(
  input: ListInput & {
    tiers: readonly { key: string; label: string }[];
    filter: string;
    summary: PopulationSummary;
  },
  freshness: Freshness,
): HomeView {
  const t = slackText(input.locale);
  return homeMessage([
    header(t.homeTitle),
    context(freshnessLine(freshness, input.locale)),
    ...tierFilters(input.tiers, input.filter, input.locale),
    ...worklistBlocks(input, 'tier_home_page'),
    divider(),
    ...tierBars(input.summary, input.locale, input.currency),
  ]);
}

/** The note modal: a text field and an outcome; `metadata` says where to redraw after saving. */
export function noteModal(customerName: string, metadata: string, locale: Locale): View {
  const w = WORDS[locale];
  return {
    type: 'modal',
    callback_id: 'tier_note',
    private_metadata: metadata,
    title: { type: 'plain_text', text: cut(w.modalTitle, 24) },
    submit: { type: 'plain_text', text: w.modalSubmit },
    close: { type: 'plain_text', text: w.modalCancel },
    blocks: [
      section(`*${label(customerName, 300)}*`),
      {
        type: 'input',
        block_id: 'note',
        label: { type: 'plain_text', text: w.noteLabel },
        element: {
          type: 'plain_text_input',
          action_id: 'text',
          multiline: true,
          max_length: NOTE_MAX_LENGTH,
          placeholder: { type: 'plain_text', text: w.notePlaceholder },
        },
      },
      {
        type: 'input',
        block_id: 'outcome',
        optional: true,
        label: { type: 'plain_text', text: w.outcomeLabel },
        element: {
          type: 'static_select',
          action_id: 'choice',
          options: CONTACT_OUTCOMES.map((o) => ({
            text: { type: 'plain_text', text: w.outcomes[o] },
            value: o,
          })),
        },
      },
    ],
  };
}

/** A message with more blocks at its end (kept within the block limit by `message`). */
export const withBlocks = (m: SlackMessage, extra: readonly KnownBlock[]): SlackMessage => ({
  ...m,
  ...message(m.text, [...m.blocks, ...extra], m.response_type),
  ...(m.replace_original === undefined ? {} : { replace_original: m.replace_original }),
});

/** A customer's card with the contact buttons and the freshness line. */
export function cardWithActions(
  card: SlackMessage,
  customerId: string,
  locale: Locale,
  freshness: Freshness,
): SlackMessage {
  const key = customerKey(customerId);
  return withBlocks(card, [
    ...contactButtons(0, key, { scope: key, list: 'card', page: 0 }, locale),
    context(freshnessLine(freshness, locale)),
  ]);
}

/** A card shared to the channel says who shared it (by name, labelled: it pings nobody), and as of when. */
export const sharedBy = (
  card: SlackMessage,
  sharer: string,
  locale: Locale,
  freshness: Freshness,
): SlackMessage =>
  withBlocks(card, [
    context(`${WORDS[locale].sharedBy(label(sharer, 100))} · ${freshnessLine(freshness, locale)}`),
  ]);

/** Conversion between funnel stages, for `/tier summary` when the model is a funnel. */
export function funnelBlocks(summary: PopulationSummary, locale: Locale): KnownBlock[] {
  if (!summary.funnel) return [];
  const zh = locale === 'zh';
  const lines = summary.funnel.map((s) => {
    const onward =
      s.conversion === null
        ? ''
        : zh
          ? ` · ${fmt(s.conversion * 100)} % 进入下一阶段`
          : ` · ${fmt(s.conversion * 100)} % went on`;
    return `• *${label(s.label, 60)}*: ${fmt(s.customers)} ${zh ? '个，累计到达' : 'now, reached by'} ${fmt(s.reached)}${onward}`;
  });
  return [section(`*${zh ? '漏斗转化' : 'Funnel conversion'}*\n${lines.join('\n')}`)];
}
