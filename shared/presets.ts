/**
 * Presets: the grading frameworks users know (see the team's TIERING.md), as configurations to start
 * from. Every preset passes `checkConfig`. Labels and actions are data: each preset ships in English
 * and, with `-zh`, in Chinese.
 */

import type { TierwiseConfig } from './config';
import { build, type PresetPlan, RFM_PLAN, tier } from './preset-base';

const PLANS: PresetPlan[] = [
  RFM_PLAN,
  {
    name: 'value-pyramid',
    description:
      'Pareto value pyramid: platinum holds the top 80 % of revenue, then gold to 95 %, iron, and poor',
    tiers: [
      tier(
        'platinum',
        14,
        'visit',
        { label: 'Platinum', action: 'Dedicated account care: regular visits and first call on news' },
        { label: '铂金', action: '专人维护：定期拜访，新品第一时间告知' },
      ),
      tier(
        'gold',
        30,
        'call',
        { label: 'Gold', action: 'Grow the account: call about needs and offer volume terms' },
        { label: '黄金', action: '扩大合作：电话了解需求，提供批量优惠' },
      ),
      tier(
        'iron',
        90,
        'email',
        { label: 'Iron', action: 'Serve efficiently by e-mail and self-service' },
        { label: '铁', action: '通过邮件和自助服务高效维护' },
      ),
      tier(
        'poor',
        0,
        'none',
        { label: 'Poor', action: 'Check refunds and costs; reprice or stop active service' },
        { label: '劣质', action: '核查退款与成本，调整价格或停止主动服务' },
      ),
    ],
    model: {
      kind: 'pareto',
      metric: 'totalSpend',
      basis: 'value',
      cuts: [
        { tier: 'platinum', upTo: 0.8 },
        { tier: 'gold', upTo: 0.95 },
        { tier: 'iron', upTo: 1 },
      ],
      nonPositiveTier: 'poor',
    },
    withSegments: true,
  },
  {
    name: 'cycle-spend-grid',
    description: 'Five-tier value model: average purchase cycle × average order value, in population thirds',
    tiers: [
      tier(
        'platinum',
        14,
        'visit',
        { label: 'Platinum', action: 'Priority customer: keep close, visit and offer exclusives' },
        { label: '铂金', action: '优先客户：保持紧密联系，拜访并提供专属优惠' },
      ),
      tier(
        'gold',
        21,
        'call',
        { label: 'Gold', action: 'Priority customer: call regularly and grow order value' },
        { label: '黄金', action: '优先客户：定期致电，提升客单价' },
      ),
      tier(
        'silver',
        45,
        'call',
        {
          label: 'Silver',
          action: 'Large but rare: ask why and shorten the cycle; small but frequent: lower priority',
        },
        { label: '白银', action: '大额低频：了解原因并缩短周期；小额高频：降低优先级' },
      ),
      tier(
        'development',
        60,
        'email',
        { label: 'Development', action: 'Move toward silver with bundles and reminders' },
        { label: '发展', action: '通过组合优惠和提醒向白银发展' },
      ),
      tier(
        'optimise',
        0,
        'none',
        { label: 'Optimise', action: 'Small and rare: restructure the offer or let go' },
        { label: '优化', action: '小额低频：调整服务方式或放弃' },
      ),
    ],
    model: {
      kind: 'matrix',
      rows: {
        metric: 'averageOrderValue',
        quantiles: 3,
        labels: ['small spend', 'medium spend', 'large spend'],
      },
      columns: {
        metric: 'averageCycle',
        quantiles: 3,
        missingBand: 2,
        labels: ['short cycle', 'medium cycle', 'long cycle'],
      },
      cells: [
        ['silver', 'development', 'optimise'],
        ['gold', 'silver', 'development'],
        ['platinum', 'gold', 'silver'],
      ],
    },
    withSegments: true,
  },
  {
    name: 'nine-grid',
    description:
      'Nine-grid of potential (column "potential", 1–9) × adoption (column "adoption", 0 not using … 3 preferred)',
    tiers: [
      tier(
        'reinforce',
        4,
        'visit',
        {
          label: 'Reinforce',
          action: 'High potential, high adoption: reward, group selling, joint visits with a manager',
        },
        { label: '巩固', action: '高潜力高使用：奖励、组织推广、与经理协同拜访' },
      ),
      tier(
        'develop',
        10,
        'visit',
        {
          label: 'Develop',
          action: 'High potential, low adoption: build awareness, samples, explore deep needs',
        },
        { label: '开发', action: '高潜力低使用：建立认知、提供样品、挖掘深层需求' },
      ),
      tier(
        'maintain',
        21,
        'call',
        { label: 'Maintain', action: 'Medium potential: keep adoption steady with regular calls' },
        { label: '维持', action: '中等潜力：定期致电，保持使用' },
      ),
      tier(
        'cultivate',
        30,
        'call',
        { label: 'Cultivate', action: 'Medium potential, not using yet: introduce with a trial' },
        { label: '培养', action: '中等潜力尚未使用：安排试用' },
      ),
      tier(
        'remote',
        45,
        'email',
        {
          label: 'Remote',
          action: 'Low potential: mail, phone or e-mail; visit only on request; re-evaluate',
        },
        { label: '远程维护', action: '低潜力：邮件或电话联系，仅按需拜访，定期重新评估' },
      ),
    ],
    model: {
      kind: 'matrix',
      rows: {
        metric: 'potential',
        cuts: [4, 7],
        labels: ['low potential', 'medium potential', 'high potential'],
      },
      columns: {
        metric: 'adoption',
        cuts: [1, 3],
        labels: ['not using', 'trying or occasional', 'preferred'],
      },
      cells: [
        ['remote', 'remote', 'remote'],
        ['cultivate', 'maintain', 'maintain'],
        ['develop', 'develop', 'reinforce'],
      ],
    },
    withSegments: false,
  },
  {
    name: 'value-loyalty',
    description: 'Value × loyalty (Kelly & Julie 1999): spend halves × repeat purchasing',
    tiers: [
      tier(
        'golden',
        21,
        'call',
        { label: 'Golden', action: 'Protect: personal contact and loyalty rewards' },
        { label: '黄金客户', action: '重点保护：专人联系并给予忠诚奖励' },
      ),
      tier(
        'at-risk-value',
        14,
        'call',
        { label: 'At Risk', action: 'High value, low loyalty: earn the next order before a rival does' },
        { label: '高价值低忠诚', action: '高价值低忠诚：抢在竞争对手之前争取下一单' },
      ),
      tier(
        'marginal',
        60,
        'email',
        { label: 'Marginal', action: 'Loyal but small: serve cheaply and cross-sell' },
        { label: '边缘客户', action: '忠诚但贡献小：低成本服务并交叉销售' },
      ),
      tier(
        'dont-overserve',
        0,
        'none',
        { label: "Don't Over-serve", action: 'Low value, low loyalty: self-service only' },
        { label: '勿过度服务', action: '低价值低忠诚：仅自助服务' },
      ),
    ],
    model: {
      kind: 'matrix',
      rows: { metric: 'totalSpend', quantiles: 2, labels: ['low value', 'high value'] },
      columns: { metric: 'purchaseDays', cuts: [2], labels: ['bought once', 'repeat buyer'] },
      cells: [
        ['dont-overserve', 'marginal'],
        ['at-risk-value', 'golden'],
      ],
    },
    withSegments: true,
  },
  {
    name: 'value-response',
    description:
      'Value × response (Robert & Paul 1997): spend halves × campaign response rate (column "response", 0–1)',
    tiers: [
      tier(
        'best',
        21,
        'call',
        { label: 'Best', action: 'Valuable and responsive: first to hear of every offer' },
        { label: '最佳客户', action: '高价值且响应积极：每次活动优先通知' },
      ),
      tier(
        'strangers',
        30,
        'visit',
        { label: 'Strangers', action: 'Valuable but unresponsive: change channel, meet in person' },
        { label: '陌生人', action: '高价值但不响应：更换渠道，当面沟通' },
      ),
      tier(
        'fatal-attraction',
        60,
        'email',
        {
          label: 'Fatal Attraction',
          action: 'Responds to everything, earns little: stop discounts, cut service cost',
        },
        { label: '致命吸引', action: '响应积极但无利润：停止折扣，降低服务成本' },
      ),
      tier(
        'ghosts',
        0,
        'none',
        { label: 'Ghosts', action: 'Low value, unresponsive: remove from campaigns' },
        { label: '幽灵客户', action: '低价值不响应：移出营销名单' },
      ),
    ],
    model: {
      kind: 'matrix',
      rows: { metric: 'totalSpend', quantiles: 2, labels: ['low value', 'high value'] },
      columns: { metric: 'response', cuts: [0.1], labels: ['unresponsive', 'responsive'] },
      cells: [
        ['ghosts', 'fatal-attraction'],
        ['strangers', 'best'],
      ],
    },
    withSegments: false,
  },
  {
    name: 'weighted-grade',
    description:
      'Weighted grade: credit (column "daysLate"), spend rank, growth prospects (column "growth", 1–5) and profit',
    tiers: [
      tier(
        'grade-a',
        14,
        'visit',
        { label: 'A', action: 'Key account: regular visits, best terms' },
        { label: 'A 级', action: '重点客户：定期拜访，最优条款' },
      ),
      tier(
        'grade-b',
        30,
        'call',
        { label: 'B', action: 'Develop: monthly call, work on the weakest indicator' },
        { label: 'B 级', action: '发展：每月致电，改善最弱的指标' },
      ),
      tier(
        'grade-c',
        60,
        'email',
        { label: 'C', action: 'Maintain at low cost; check payment terms' },
        { label: 'C 级', action: '低成本维护，核查付款条件' },
      ),
      tier(
        'grade-d',
        0,
        'none',
        { label: 'D', action: 'Cash in advance or stop; review every quarter' },
        { label: 'D 级', action: '预付款或停止合作，每季度复核' },
      ),
    ],
    model: {
      kind: 'weighted',
      indicators: [
        { metric: 'daysLate', weight: 0.3, cuts: [1, 8, 31], points: [100, 70, 40, 0], missingPoints: 70 },
        { metric: 'spendShareBelow', weight: 0.3, cuts: [0.5, 0.8, 0.95], points: [25, 50, 75, 100] },
        {
          metric: 'growth',
          weight: 0.2,
          cuts: [2, 3, 4, 5],
          points: [0, 25, 50, 75, 100],
          missingPoints: 50,
        },
        {
          metric: 'profit',
          weight: 0.2,
          cuts: [0, 1000, 10000],
          points: [0, 40, 70, 100],
          missingPoints: 50,
        },
      ],
      grades: [
        { tier: 'grade-a', minScore: 80 },
        { tier: 'grade-b', minScore: 60 },
        { tier: 'grade-c', minScore: 40 },
        { tier: 'grade-d', minScore: 0 },
      ],
    },
    withSegments: true,
  },
  {
    name: 'lead-intent',
    description:
      'Lead intent A/B/C by MAN: columns "money", "authority" and "need", each scored 0 (no) to 2 (yes)',
    tiers: [
      tier(
        'intent-a',
        3,
        'visit',
        { label: 'A', action: 'Most sincere: arrange a viewing or meeting this week' },
        { label: 'A 类', action: '最有诚意：本周安排看房或面谈' },
      ),
      tier(
        'intent-b',
        7,
        'call',
        { label: 'B', action: 'Follow up: clarify budget or who decides' },
        { label: 'B 类', action: '跟进：明确预算或决策人' },
      ),
      tier(
        'intent-c',
        30,
        'message',
        { label: 'C', action: 'Nurture with information; re-grade after each contact' },
        { label: 'C 类', action: '持续提供信息，每次跟进后重新评级' },
      ),
      tier(
        'invalid',
        0,
        'none',
        { label: 'Invalid', action: 'No need: close the lead' },
        { label: '无效', action: '没有需求：关闭线索' },
      ),
    ],
    model: {
      kind: 'rules',
      inputs: { money: { min: 0, max: 2 }, authority: { min: 0, max: 2 }, need: { min: 0, max: 2 } },
      rules: [
        { when: { need: [0, 0] }, is: 'invalid' },
        { when: { money: [2, 2], authority: [2, 2] }, is: 'intent-a' },
        { when: { money: [1, 2], authority: [1, 2] }, is: 'intent-b' },
        { when: {}, is: 'intent-c' },
      ],
    },
    withSegments: false,
  },
  {
    name: 'clv-activity',
    description:
      'Predicted value (CLV, in halves) × probability still active: high value with falling activity → win-back',
    tiers: [
      tier(
        'protect',
        21,
        'call',
        { label: 'Protect', action: 'High value and active: keep close, reward loyalty' },
        { label: '重点维护', action: '高价值且活跃：保持联系，奖励忠诚' },
      ),
      tier(
        'win-back',
        7,
        'visit',
        { label: 'Win Back', action: 'High value, activity falling: call now with a personal offer' },
        { label: '挽回', action: '高价值但活跃度下降：立即致电并提供专属优惠' },
      ),
      tier(
        'last-chance',
        14,
        'call',
        { label: 'Last Chance', action: 'High value, probably gone: one personal attempt, then a campaign' },
        { label: '最后机会', action: '高价值但可能已流失：亲自尝试一次，然后转为营销活动' },
      ),
      tier(
        'grow',
        30,
        'email',
        { label: 'Grow', action: 'Active but small: cross-sell and bundle' },
        { label: '培育', action: '活跃但价值低：交叉销售和组合优惠' },
      ),
      tier(
        'nurture',
        0,
        'email',
        { label: 'Nurture', action: 'Small and fading: automated reminders only' },
        { label: '唤醒', action: '价值低且活跃度下降：仅自动提醒' },
      ),
      tier(
        'let-go',
        0,
        'none',
        { label: 'Let Go', action: 'Small and probably gone: no personal effort' },
        { label: '放弃', action: '价值低且可能已流失：不投入个人精力' },
      ),
    ],
    model: {
      kind: 'matrix',
      rows: { metric: 'clv', quantiles: 2, labels: ['lower predicted value', 'higher predicted value'] },
      columns: {
        metric: 'pAlive',
        cuts: [0.3, 0.7],
        labels: ['probably gone', 'activity falling', 'active'],
      },
      cells: [
        ['let-go', 'nurture', 'grow'],
        ['last-chance', 'win-back', 'protect'],
      ],
    },
    withSegments: true,
  },
  {
    name: 'risk-revisit',
    description:
      'Risk grade and revisit schedule: good every half year, normal every quarter, watch monthly, risk now',
    tiers: [
      tier(
        'good',
        182,
        'call',
        { label: 'Good', action: 'Routine revisit every half year' },
        { label: '良好', action: '每半年例行回访' },
      ),
      tier(
        'normal',
        91,
        'call',
        { label: 'Normal', action: 'Routine revisit every quarter' },
        { label: '正常', action: '每季度例行回访' },
      ),
      tier(
        'watch',
        30,
        'call',
        { label: 'Watch', action: 'Monthly revisit: check satisfaction and payment' },
        { label: '关注', action: '每月回访，了解满意度和付款情况' },
      ),
      tier(
        'risk',
        3,
        'visit',
        { label: 'Risk', action: 'Special visit now' },
        { label: '风险', action: '立即专项拜访' },
      ),
    ],
    model: {
      kind: 'bands',
      axis: {
        metric: 'cycleOverdue',
        cuts: [1, 2, 4],
        missingBand: 1,
        labels: [
          'within the usual cycle',
          'up to 2 cycles late',
          'up to 4 cycles late',
          'more than 4 cycles late',
        ],
      },
      tiers: ['good', 'normal', 'watch', 'risk'],
    },
    withSegments: false,
  },
  {
    name: 'funnel',
    description:
      'Funnel stage (column "stage": Suspect, Prospect, Lead, Opportunity, Customer, Fan, Advocate, or 1–7): each stage its content',
    tiers: [
      tier(
        'advocate',
        60,
        'call',
        { label: 'Advocate', action: 'Reward referrals; invite to case studies and events' },
        { label: '拥护者', action: '奖励推荐；邀请参与案例和活动' },
      ),
      tier(
        'fan',
        45,
        'email',
        { label: 'Fan', action: 'Thank them; ask for a review or a referral' },
        { label: '粉丝', action: '致谢，请其评价或推荐' },
      ),
      tier(
        'customer',
        30,
        'call',
        { label: 'Customer', action: 'Onboard and check satisfaction; suggest the next purchase' },
        { label: '客户', action: '协助上手并了解满意度，推荐下一次购买' },
      ),
      tier(
        'opportunity',
        5,
        'visit',
        { label: 'Opportunity', action: 'Close: proposal, terms and a decision date' },
        { label: '商机', action: '促成交易：方案、条款和决策日期' },
      ),
      tier(
        'lead',
        10,
        'call',
        { label: 'Lead', action: 'Prove: case studies, a demo, references' },
        { label: '线索', action: '证明价值：案例、演示和客户推荐' },
      ),
      tier(
        'prospect',
        21,
        'email',
        { label: 'Prospect', action: 'Educate: a guide to the problem; qualify need and budget' },
        { label: '潜在客户', action: '教育：提供问题指南，确认需求和预算' },
      ),
      tier(
        'suspect',
        0,
        'none',
        { label: 'Suspect', action: 'Educate through broad content until they show interest' },
        { label: '疑似客户', action: '通过大众内容教育，直到表现出兴趣' },
      ),
    ],
    model: {
      kind: 'bands',
      axis: {
        metric: 'stage',
        cuts: [2, 3, 4, 5, 6, 7],
        labels: ['Suspect', 'Prospect', 'Lead', 'Opportunity', 'Customer', 'Fan', 'Advocate'],
      },
      tiers: ['suspect', 'prospect', 'lead', 'opportunity', 'customer', 'fan', 'advocate'],
    },
    withSegments: false,
  },
];

export interface PresetInfo {
  name: string;
  locale: 'en' | 'zh';
  description: string;
}

export const PRESETS: readonly PresetInfo[] = PLANS.flatMap((p) => [
  { name: p.name, locale: 'en' as const, description: p.description },
  { name: `${p.name}-zh`, locale: 'zh' as const, description: p.description },
]);

export const DEFAULT_PRESET = 'rfm-segments';

/** A preset by name (`value-pyramid`, `value-pyramid-zh`, …), or `undefined`. */
export function getPreset(name: string): TierwiseConfig | undefined {
  const locale = name.endsWith('-zh') ? 'zh' : 'en';
  const plan = PLANS.find((p) => p.name === name.replace(/-zh$/, ''));
  return plan ? build(plan, locale) : undefined;
}
