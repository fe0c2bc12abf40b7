/**
 * Every sentence the core says to a person, in English and Chinese. Labels of tiers and segments are
 * configuration data; these are the connecting words around them.
 */

import type { Locale } from './config';

/** 1234.5 → "1,234.50". Hand-rolled: `toLocaleString` costs ~10 µs a call, too slow for 100,000 rows. */
export function fmt(n: number, digits = 0): string {
  // Most figures in reasons (days, percentages) are small whole numbers: no grouping, no rounding.
  if (digits === 0 && Number.isInteger(n) && n > -1000 && n < 1000) return String(n);
  const [whole, fraction] = Math.abs(n).toFixed(digits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = n < 0 && Number(whole + (fraction ?? '')) !== 0 ? '-' : '';
  return fraction === undefined ? sign + grouped : `${sign}${grouped}.${fraction}`;
}

export const MESSAGES = {
  en: {
    boughtAgo: (days: number) =>
      days === 0 ? 'bought today' : `bought ${fmt(days)} day${days === 1 ? '' : 's'} ago`,
    usualCycle: (days: number) => `usually buys every ${fmt(days)} days`,
    oneOrder: 'one purchase so far',
    orders: (orders: number, spend: number) =>
      `${fmt(orders)} order${orders === 1 ? '' : 's'}, ${fmt(spend, 2)} in total`,
    topBySpend: (percent: number) => `top ${fmt(percent)} % by spend`,
    scores: (r: number, f: number, m: number) => `scores R${r} F${f} M${m}`,
    band: (metric: string, label: string) => `${metric}: ${label}`,
    paretoTop: (percent: number) => `ranked where better customers hold ${fmt(percent)} % of the total`,
    nonPositive: 'net spend is 0 or less: costs more than it brings',
    weighted: (score: number) => `weighted score ${fmt(score, 1)}`,
    overdue: (since: number, cycle: number) =>
      `overdue: ${fmt(since)} days since the last purchase, usual cycle ${fmt(cycle)} days`,
    pAlive: (p: number) => `${fmt(p * 100)} % likely still active`,
    clv: (value: number) => `predicted lifetime value ${fmt(value, 2)}`,
    expectedPurchases: (n: number, horizon: string) =>
      `about ${fmt(n, 1)} purchase${fmt(n, 1) === '1.0' ? '' : 's'} expected in the next ${horizon}`,
    horizon: (days: number) => (days % 7 === 0 ? `${fmt(days / 7)} weeks` : `${fmt(days)} days`),
    untiered: (metric: string) => `no tier: ${metric} is unknown for this customer`,
    onRequest: 'contact only on request',
    /** The population summary's row for customers no tier could take. */
    noTier: 'No tier',
  },
  zh: {
    boughtAgo: (days: number) => (days === 0 ? '今天购买' : `${fmt(days)} 天前购买`),
    usualCycle: (days: number) => `通常每 ${fmt(days)} 天购买一次`,
    oneOrder: '目前只购买过一次',
    orders: (orders: number, spend: number) => `${fmt(orders)} 笔订单，共 ${fmt(spend, 2)}`,
    topBySpend: (percent: number) => `消费额排名前 ${fmt(percent)} %`,
    scores: (r: number, f: number, m: number) => `评分 R${r} F${f} M${m}`,
    band: (metric: string, label: string) => `${metric}：${label}`,
    paretoTop: (percent: number) => `排名更高的客户合计占 ${fmt(percent)} %`,
    nonPositive: '净消费为 0 或负数：成本高于贡献',
    weighted: (score: number) => `综合得分 ${fmt(score, 1)}`,
    overdue: (since: number, cycle: number) =>
      `已逾期：距上次购买 ${fmt(since)} 天，平均周期 ${fmt(cycle)} 天`,
    pAlive: (p: number) => `仍活跃的可能性 ${fmt(p * 100)} %`,
    clv: (value: number) => `预测终身价值 ${fmt(value, 2)}`,
    expectedPurchases: (n: number, horizon: string) => `预计未来${horizon}约购买 ${fmt(n, 1)} 次`,
    horizon: (days: number) => (days % 7 === 0 ? ` ${fmt(days / 7)} 周` : ` ${fmt(days)} 天`),
    untiered: (metric: string) => `无法分级：缺少 ${metric}`,
    onRequest: '仅按需联系',
    noTier: '未分级',
  },
} satisfies Record<Locale, unknown>;

export type Messages = (typeof MESSAGES)['en'];
export const messagesFor = (locale: Locale): Messages => MESSAGES[locale];
