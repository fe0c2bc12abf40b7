/**
 * How presets are made, and the default one (the named RFM segments). Kept apart from the other
 * presets so that the Apps Script bundle, which loads on every custom-function call, carries only the
 * default. Labels and actions are data, in English and Chinese.
 */

import type { Channel, Rule, TierDefinition, TierwiseConfig } from './config';
import type { TierModel } from './models';

type TierText = { label: string; action: string };
export type TierPlan = { key: string; cadenceDays: number; channel: Channel; en: TierText; zh: TierText };

export const tier = (
  key: string,
  cadenceDays: number,
  channel: Channel,
  en: TierText,
  zh: TierText,
): TierPlan => ({
  key,
  cadenceDays,
  channel,
  en,
  zh,
});

/** The common named RFM segments; first match wins and every one of the 125 cells lands exactly once. */
const RFM_SEGMENT_RULES: Rule[] = [
  { when: { r: [4, 5], f: [4, 5], m: [4, 5] }, is: 'champions' },
  { when: { r: [3, 5], f: [3, 5], m: [3, 5] }, is: 'loyal' },
  { when: { r: [4, 5], f: [2, 5] }, is: 'potential-loyalist' },
  { when: { r: [5, 5], f: [1, 1] }, is: 'new' },
  { when: { r: [4, 4], f: [1, 1] }, is: 'promising' },
  { when: { r: [3, 3], f: [2, 5] }, is: 'need-attention' },
  { when: { r: [3, 3], f: [1, 1] }, is: 'about-to-sleep' },
  { when: { r: [1, 1], f: [4, 5], m: [4, 5] }, is: 'cant-lose' },
  { when: { r: [1, 2], f: [3, 5], m: [3, 5] }, is: 'at-risk' },
  { when: { r: [2, 2] }, is: 'hibernating' },
  { when: { r: [1, 1] }, is: 'lost' },
];

const RFM_SEGMENTS: TierPlan[] = [
  tier(
    'champions',
    30,
    'call',
    { label: 'Champions', action: 'Thank them, offer early access and ask for a referral' },
    { label: '冠军客户', action: '致谢，提供新品优先体验并请其推荐' },
  ),
  tier(
    'loyal',
    30,
    'email',
    { label: 'Loyal', action: 'Upsell higher-value products and invite to the loyalty programme' },
    { label: '忠诚客户', action: '推荐更高价值的产品，邀请加入会员计划' },
  ),
  tier(
    'potential-loyalist',
    21,
    'email',
    { label: 'Potential Loyalist', action: 'Offer membership and recommend related products' },
    { label: '潜在忠诚客户', action: '提供会员资格并推荐相关产品' },
  ),
  tier(
    'new',
    14,
    'email',
    { label: 'New', action: 'Welcome them and help with the first weeks of use' },
    { label: '新客户', action: '欢迎并协助其上手使用' },
  ),
  tier(
    'promising',
    21,
    'email',
    { label: 'Promising', action: 'Build the relationship with a tailored offer' },
    { label: '有潜力客户', action: '用定制优惠建立关系' },
  ),
  tier(
    'need-attention',
    14,
    'call',
    { label: 'Need Attention', action: 'Call with a limited-time offer based on past purchases' },
    { label: '需要关注', action: '根据历史购买致电，提供限时优惠' },
  ),
  tier(
    'about-to-sleep',
    30,
    'email',
    { label: 'About to Sleep', action: 'Share popular products and a reactivation discount' },
    { label: '即将沉睡', action: '推荐热门产品并提供唤醒折扣' },
  ),
  tier(
    'cant-lose',
    7,
    'visit',
    { label: "Can't Lose Them", action: 'Visit or call now: find out what went wrong and win them back' },
    { label: '不能失去', action: '立即拜访或致电，了解原因并挽回' },
  ),
  tier(
    'at-risk',
    14,
    'call',
    { label: 'At Risk', action: 'Send a personal win-back offer and ask for feedback' },
    { label: '有流失风险', action: '发送专属挽回优惠并征求意见' },
  ),
  tier(
    'hibernating',
    0,
    'email',
    { label: 'Hibernating', action: 'Offer relevant products at a discount; otherwise leave them be' },
    { label: '休眠客户', action: '推送相关产品折扣，否则不必打扰' },
  ),
  tier(
    'lost',
    0,
    'none',
    { label: 'Lost', action: 'Only a broad win-back campaign; no personal effort' },
    { label: '已流失', action: '仅做大范围召回活动，不投入个人精力' },
  ),
];

const QUANTILE_SCORES: TierwiseConfig['scores'] = {
  scale: 5,
  recency: { method: 'quantile' },
  frequency: { method: 'quantile' },
  monetary: { method: 'quantile', basis: 'total' },
};

export interface PresetPlan {
  name: string;
  description: string;
  tiers: TierPlan[];
  model: TierModel;
  withSegments: boolean;
}

export const RFM_PLAN: PresetPlan = {
  name: 'rfm-segments',
  description: 'The eleven named RFM segments (Champions … Lost) on quintile scores',
  tiers: RFM_SEGMENTS,
  model: { kind: 'rules', rules: RFM_SEGMENT_RULES },
  withSegments: true,
};

export function build(plan: PresetPlan, locale: 'en' | 'zh'): TierwiseConfig {
  const tiers: TierDefinition[] = plan.tiers.map((t) => ({
    key: t.key,
    label: t[locale].label,
    action: t[locale].action,
    cadenceDays: t.cadenceDays,
    channel: t.channel,
  }));
  return {
    schemaVersion: 1,
    name: locale === 'en' ? plan.name : `${plan.name}-zh`,
    locale,
    scores: copyJson(QUANTILE_SCORES),
    tiers,
    model: copyJson(plan.model),
    ...(plan.withSegments
      ? {
          segments: {
            labels: RFM_SEGMENTS.map((s) => ({ key: s.key, label: s[locale].label })),
            rules: copyJson(RFM_SEGMENT_RULES),
          },
        }
      : {}),
  };
}

/** Presets are handed out as fresh copies, so an edit never changes the preset itself. */
const copyJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The configuration used until a manager saves one: the RFM segments. */
export const defaultConfig = (locale: 'en' | 'zh' = 'en'): TierwiseConfig => build(RFM_PLAN, locale);
