/**
 * The tier-drop alert: when a sync moves customers out of the best tier, one message in the
 * organisation's alert channel (`/tier alerts #channel`), naming the most valuable few and counting the
 * rest by the tier they fell to. The alert is a side effect of the sync: a failure to post is logged and
 * never fails the sync that has already been made live.
 */

import type { KnownBlock } from '@slack/types';
import type { CustomerSummary, Locale, TierwiseConfig } from '../../shared';
import { errorFields } from '../log';
import type { Services } from '../services';
import type { NotifySettings } from '../store/notify-store';
import { context, cut, escapeMrkdwn, fallback, LIMITS, label, section } from './blocks';
import { slackClient } from './deferred';

/** Customers named in the message; the rest are counted per tier. */
export const ALERT_NAMED = 5;

export interface TierDrop {
  name: string;
  value: number;
  to: string;
}

/** Customers who were in the best tier at the previous sync and are in a worse one now, most valuable first. */
export function tierDrops(
  tiers: TierwiseConfig['tiers'],
  records: readonly { summary: CustomerSummary; tier: string | null; previousTier: string | null }[],
): TierDrop[] {
  const top = tiers[0]?.key;
  const labels = new Map(tiers.map((t) => [t.key, t.label]));
  const drops: TierDrop[] = [];
  for (const r of records) {
    if (r.previousTier !== top || r.tier === null || r.tier === top || !labels.has(r.tier)) continue;
    drops.push({
      name: r.summary.name ?? r.summary.customerId,
      value: r.summary.totalSpend,
      to: labels.get(r.tier)!,
    });
  }
  return drops.sort((a, b) => b.value - a.value);
}

/** The alert for `drops` out of the tier `from`: at most ALERT_NAMED names, then counts per tier. */
export function alertMessage(
  from: string,
  drops: readonly TierDrop[],
  locale: Locale,
): { text: string; blocks: KnownBlock[] } {
  const zh = locale === 'zh';
  const line = (d: TierDrop) =>
    zh
      ? `*${label(d.name)}* 从 ${label(from, 100)} 降至 ${label(d.to, 100)}`
      : `*${label(d.name)}* dropped from ${label(from, 100)} to ${label(d.to, 100)}`;
  const named = drops.slice(0, ALERT_NAMED);
  const blocks: KnownBlock[] = [section(named.map(line).join('\n'))];
  const rest = drops.length - named.length;
  if (rest > 0) {
    const counts = new Map<string, number>();
    for (const d of drops.slice(ALERT_NAMED)) counts.set(d.to, (counts.get(d.to) ?? 0) + 1);
    const parts = [...counts].map(([to, n]) => `${label(to, 100)} ${n.toLocaleString('en-US')}`);
    const more = zh
      ? `…另有 ${rest.toLocaleString('en-US')} 个客户降级：${parts.join('，')}`
      : `…and ${rest.toLocaleString('en-US')} more dropped from ${label(from, 100)}: ${parts.join(', ')}`;
    blocks.push(context(cut(more, LIMITS.contextText)));
  }
  const first = drops[0];
  const text =
    drops.length === 1
      ? zh
        ? `${first.name} 从 ${from} 降至 ${first.to}`
        : `${first.name} dropped from ${from} to ${first.to}`
      : zh
        ? `本次同步有 ${drops.length} 个客户从 ${from} 降级`
        : `${drops.length.toLocaleString('en-US')} customers dropped from ${from} in this sync`;
  // The fallback shows in notifications, and Slack reads <!channel> in it too.
  return { text: fallback(escapeMrkdwn(text)), blocks };
}

/** After a sync went live: the alert for its drops, if the organisation has an alert channel. Never throws. */
export async function alertTierDrops(
  services: Services,
  org: string,
  config: TierwiseConfig,
  drops: readonly TierDrop[],
): Promise<void> {
  if (drops.length === 0) return;
  try {
    const settings = await services.notify.get(org);
    if (!settings?.alertChannel) return;
    const message = alertMessage(config.tiers[0].label, drops, config.locale);
    const client = await slackClient(services, settings.teamId);
    await client.chat.postMessage({ channel: settings.alertChannel, ...message });
  } catch (error) {
    services.log.error('tier-drop alert not sent', { org, drops: drops.length, ...errorFields(error) });
  }
}

/** A channel as Slack sends it in a command (`<#C123|sales>`, escaping on), or a bare channel id. */
const CHANNEL = /^(?:<#([CG][A-Z0-9]+)(?:\|[^>]*)?>|([CG][A-Z0-9]{6,}))$/;

/** `/tier alerts #channel` · `/tier alerts off` · `/tier alerts`: where tier-drop alerts go. */
export async function alertsCommand(
  services: Services,
  teamId: string,
  text: string,
  current: NotifySettings,
): Promise<string> {
  const arg = text.trim().split(/\s+/).slice(1).join(' ');
  if (arg === '')
    return current.alertChannel
      ? `Tier-drop alerts go to <#${current.alertChannel}>. \`/tier alerts off\` stops them.`
      : 'Tier-drop alerts are off. `/tier alerts #channel` sends them to a channel.';
  if (arg.toLowerCase() === 'off') {
    await services.notify.save({ ...current, teamId, alertChannel: null });
    return 'Tier-drop alerts are off.';
  }
  const match = CHANNEL.exec(arg);
  if (!match)
    return `"${cut(arg.replace(/[<>&]/g, ''), 80)}" is not a channel: write \`/tier alerts #sales\` (pick the channel from the list Slack offers) or \`/tier alerts off\`.`;
  const channel = match[1] ?? match[2];
  await services.notify.save({ ...current, teamId, alertChannel: channel });
  return `When a sync moves customers out of the best tier, one message goes to <#${channel}> (invite Tierwise there if it is private: \`/invite @Tierwise\`).`;
}
