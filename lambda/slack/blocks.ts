/**
 * Block Kit pieces that stay inside Slack's limits by construction: every builder cuts its text to
 * the limit of the field it fills (on grapheme boundaries, never half an emoji or half an `&amp;`),
 * caps its element counts, and lists say "…and N more" where they are cut. Views compose these and
 * never write Block Kit JSON by hand, so a 10,000-character customer name cannot break a message.
 *
 * Text rule: every string given to a builder is mrkdwn that is safe to send. Data from a user, a
 * sheet or a configuration goes through `escapeMrkdwn` (or `label`) first, so `<!channel>` in a customer
 * name shows as text and pings nobody. Limits are counted on the escaped text in UTF-16 code units,
 * which is never less than Slack's count of characters.
 *
 * Limits: docs.slack.dev Block Kit reference (blocks, section, header, context, actions, button,
 * text object), as listed in the team's TECH-NOTES.
 */

import type { ActionsBlock, Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';

export const LIMITS = {
  /** Blocks in a message (and in a modal). */
  messageBlocks: 50,
  /** Blocks in an App Home tab. */
  homeBlocks: 100,
  sectionText: 3_000,
  field: 2_000,
  fields: 10,
  header: 150,
  buttonText: 75,
  buttonValue: 2_000,
  actionId: 255,
  actionsElements: 25,
  contextElements: 10,
  contextText: 3_000,
  /** The top-level `text` may be longer, but Slack truncates it; notifications show far less. */
  fallbackText: 3_000,
} as const;

/** Slack's mrkdwn treats `&`, `<` and `>` as control characters (links, mentions, `<!channel>`). */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ELLIPSIS = '…';
/** Longest grapheme cluster we look past the cut for (family emoji are 11 code units). */
const CLUSTER_SLACK = 64;
let graphemes: Intl.Segmenter | undefined;

/**
 * `text` if it fits in `max` code units; otherwise its longest prefix of whole graphemes that fits
 * with a trailing "…". Never ends inside a surrogate pair, an emoji sequence or an HTML entity.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  const room = max - ELLIPSIS.length;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text.slice(0, max + CLUSTER_SLACK))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  // An entity cut in half would show as "&am"; drop the partial entity instead.
  return `${text.slice(0, end).replace(/&[a-z]*$/, '')}${ELLIPSIS}`;
}

/** User or sheet data as safe mrkdwn, cut to `max` (a display length, before the field's own limit). */
export const label = (text: string, max = 200): string => cut(escapeMrkdwn(text), max);

export const section = (text: string): SectionBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: cut(text, LIMITS.sectionText) },
});

/** A section of label/value fields (at most 10, each cut to 2,000). */
export const fieldsSection = (fields: readonly string[]): SectionBlock => ({
  type: 'section',
  fields: fields.slice(0, LIMITS.fields).map((text) => ({ type: 'mrkdwn', text: cut(text, LIMITS.field) })),
});

export const header = (text: string): HeaderBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: cut(text, LIMITS.header) },
});

/** Small grey text: at most 10 elements. */
export const context = (...texts: string[]): ContextBlock => ({
  type: 'context',
  elements: texts
    .slice(0, LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn', text: cut(text, LIMITS.contextText) })),
});

export const divider = (): KnownBlock => ({ type: 'divider' });

/**
 * A button. Its `value` comes back in the action payload: keep it short (a customer's short key,
 * `customerKey` in shared/match.ts), never raw sheet data, which may be thousands of characters.
 */
export function button(spec: {
  actionId: string;
  text: string;
  value: string;
  style?: 'primary' | 'danger';
}): Button {
  if (spec.actionId.length > LIMITS.actionId) throw new RangeError(`action_id too long: ${spec.actionId}`);
  if (spec.value.length > LIMITS.buttonValue)
    throw new RangeError(`button value of ${spec.value.length} characters: refer to data by a short key`);
  return {
    type: 'button',
    action_id: spec.actionId,
    text: { type: 'plain_text', text: cut(spec.text, LIMITS.buttonText) },
    value: spec.value,
    ...(spec.style ? { style: spec.style } : {}),
  };
}

/**
 * Buttons in rows of at most 25 (one actions block each). Action ids must be unique in a message:
 * callers number them (`tier_pick_0`, `tier_pick_1`, …).
 */
export function actions(buttons: readonly Button[]): ActionsBlock[] {
  const rows: ActionsBlock[] = [];
  for (let from = 0; from < buttons.length; from += LIMITS.actionsElements)
    rows.push({ type: 'actions', elements: buttons.slice(from, from + LIMITS.actionsElements) });
  return rows;
}

/**
 * A list of items as blocks, at most `maxBlocks` of them: each item renders to one or more blocks;
 * when the next item would not fit, the list stops and its last block says how many were left out
 * (`more(n)`, e.g. "…and 485 more."). `total` counts items that were never rendered (a due list
 * selects 15 of 500), so the "more" line is right without building blocks for all of them.
 */
export function listBlocks<T>(
  items: readonly T[],
  render: (item: T, index: number) => KnownBlock[],
  options: { maxBlocks: number; more: (n: number) => string; total?: number },
): KnownBlock[] {
  const total = Math.max(options.total ?? items.length, items.length);
  const blocks: KnownBlock[] = [];
  let shown = 0;
  for (; shown < items.length; shown++) {
    const next = render(items[shown], shown);
    // Leave room for the "more" line if anything will be left out after this item.
    const reserve = shown + 1 < total ? 1 : 0;
    if (blocks.length + next.length + reserve > options.maxBlocks) break;
    for (const block of next) blocks.push(block);
  }
  if (shown < total) blocks.push(context(options.more(total - shown)));
  return blocks;
}

/**
 * Lines of mrkdwn packed into as few sections as fit (each ≤ 3,000), at most `maxBlocks` blocks,
 * with "…and N more" when lines are left out. One line longer than a section is cut.
 */
export function linesBlocks(
  lines: readonly string[],
  options: { maxBlocks: number; more: (n: number) => string; total?: number },
): KnownBlock[] {
  const total = Math.max(options.total ?? lines.length, lines.length);
  const blocks: KnownBlock[] = [];
  let text = '';
  let shown = 0;
  const flush = () => {
    if (text) blocks.push(section(text));
    text = '';
  };
  for (; shown < lines.length; shown++) {
    const line = cut(lines[shown], LIMITS.sectionText);
    if (text && text.length + 1 + line.length <= LIMITS.sectionText) {
      text += `\n${line}`;
      continue;
    }
    const reserve = shown + 1 < total ? 1 : 0;
    if (blocks.length + (text ? 1 : 0) + 1 + reserve > options.maxBlocks) break;
    flush();
    text = line;
  }
  flush();
  if (shown < total) blocks.push(context(options.more(total - shown)));
  return blocks;
}

/**
 * The last guard of every message: at most `max` blocks (the builders above already keep within
 * it; this makes a future view's mistake a cut message, not a rejected one) and a fallback text
 * within its length.
 */
export function capBlocks(blocks: readonly KnownBlock[], max: number): KnownBlock[] {
  if (blocks.length <= max) return [...blocks];
  return [...blocks.slice(0, max - 1), context(`${ELLIPSIS} (${blocks.length - max + 1})`)];
}

export const fallback = (text: string): string => cut(text, LIMITS.fallbackText);
