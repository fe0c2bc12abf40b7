/** Every sentence the Slack bot says, in the configuration's locale. */

import type { Locale } from '../../shared';
import { fmt } from '../../shared/messages';

/*
 * Arguments that carry user, sheet or configuration data arrive escaped (`label` in blocks.ts):
 * every sentence here is mrkdwn that is safe to send as it is.
 */

export const SLACK_TEXT = {
  en: {
    help: [
      '*Tierwise* grades your customers and says what to do next.',
      '`/tier acme`: tier, reasons and next action for a customer (name or id)',
      '`/tier due` · `/tier due @someone` · `/tier due all`: who to contact this week',
      '`/tier summary`: customers and revenue per tier, and movement since the last sync',
      '`/tier digest monday 9 Europe/Berlin` · `/tier alerts #channel`: a weekly digest to each owner, and a message when a sync moves customers out of the best tier (`off` stops either)',
      '`/tier link CODE`: link this workspace to your spreadsheet (a manager makes the code in the sidebar)',
    ].join('\n'),
    notLinked:
      'This Slack workspace is not linked to a Tierwise organisation yet. A manager can make a link code in the spreadsheet sidebar (Tierwise → Connect Slack) and type `/tier link CODE` here.',
    noBook: 'No customers have been synced yet. A manager can sync them from the spreadsheet sidebar.',
    linked: (name: string) => `Linked: this workspace now sees *${name}*. Try \`/tier summary\`.`,
    linkUnknown: 'That link code is not valid, or was used already. Ask a manager for a new one.',
    linkExpired: 'That link code has expired (codes last 15 minutes). Ask a manager for a new one.',
    linkUsage: 'Type the code from the sidebar: `/tier link ABCD2345`.',
    unknown: (text: string) => `I did not understand "${text}". Type \`/tier help\` for what I can do.`,
    noMatch: (query: string) => `No customer matches "${query}".`,
    closest: 'Closest names:',
    several: (query: string, total: number, shown: number) =>
      total > shown
        ? `${fmt(total)} customers match "${query}"; the ${shown} closest:`
        : `${fmt(total)} customers match "${query}". Which one?`,
    working: 'Working on it: the answer will appear here in a few seconds.',
    tooLong: (max: number) =>
      `That search is too long for me: please type at most ${max} characters (a name, part of a name, or a customer id).`,
    gone: 'That customer is no longer in the book (it was synced again since). Search again with `/tier NAME`.',
    failed: 'Sorry, something went wrong on my side. Please try again in a moment.',
    notStarted: 'Sorry, I could not start working on that just now. Please try again in a moment.',
    share: 'Share in channel',
    lastPurchase: 'Last purchase',
    orders: 'Orders',
    spend: 'Total spend',
    owner: 'Owner',
    nextAction: 'Next action',
    due: 'Next contact',
    overdue: 'overdue',
    onRequest: 'on request',
    why: 'Why',
    nobodyDue: (who: string) => `Nobody is due this week${who}.`,
    dueTitle: (n: number, who: string) =>
      `${fmt(n)} customer${n === 1 ? '' : 's'} to contact this week${who}`,
    forOwner: (owner: string) => ` for ${owner}`,
    reasons: {
      'tier-dropped': 'tier dropped',
      'cycle-overdue': 'purchase cycle overdue',
      cadence: 'cadence reached',
    },
    more: (n: number) => `…and ${fmt(n)} more.`,
    summaryTitle: (customers: number, revenue: string) => `${fmt(customers)} customers, revenue ${revenue}`,
    movement: (up: number, down: number) =>
      `since the last sync: ${fmt(up)} moved up, ${fmt(down)} moved down`,
    homeTitle: 'Your customers this week',
    syncedAt: (at: string) => `Synced ${at}`,
    unnamed: '(no owner)',
  },
  zh: {
    help: [
      '*Tierwise* 为客户分级，并告诉你下一步做什么。',
      '`/tier 客户名`：客户的级别、原因和下一步行动（名称或编号）',
      '`/tier due` · `/tier due @某人` · `/tier due all`：本周需要联系的客户',
      '`/tier summary`：各级别的客户数和收入，以及自上次同步以来的变化',
      '`/tier digest monday 9 Asia/Shanghai` · `/tier alerts #频道`：每周给每位负责人发摘要；同步使客户跌出最高级别时在频道提醒（`off` 关闭）',
      '`/tier link 代码`：把此工作区关联到你的表格（经理在侧边栏生成代码）',
    ].join('\n'),
    notLinked:
      '此 Slack 工作区尚未关联 Tierwise 组织。经理可在表格侧边栏（Tierwise → 连接 Slack）生成关联代码，然后在此输入 `/tier link 代码`。',
    noBook: '尚未同步任何客户。经理可在表格侧边栏中同步。',
    linked: (name: string) => `已关联：此工作区现在可以查看 *${name}*。试试 \`/tier summary\`。`,
    linkUnknown: '关联代码无效或已被使用，请向经理索取新代码。',
    linkExpired: '关联代码已过期（有效期 15 分钟），请向经理索取新代码。',
    linkUsage: '请输入侧边栏中的代码：`/tier link ABCD2345`。',
    unknown: (text: string) => `无法理解"${text}"。输入 \`/tier help\` 查看用法。`,
    noMatch: (query: string) => `没有与"${query}"匹配的客户。`,
    closest: '最接近的名称：',
    several: (query: string, total: number, shown: number) =>
      total > shown
        ? `有 ${fmt(total)} 个客户与"${query}"匹配，最接近的 ${shown} 个：`
        : `有 ${fmt(total)} 个客户与"${query}"匹配，请选择：`,
    working: '正在处理，几秒钟后结果会显示在这里。',
    tooLong: (max: number) => `搜索内容太长：请最多输入 ${max} 个字符（客户名、部分名称或编号）。`,
    gone: '该客户已不在客户列表中（之后又同步过）。请用 `/tier 名称` 重新搜索。',
    failed: '抱歉，出了点问题。请稍后再试。',
    notStarted: '抱歉，暂时无法开始处理。请稍后再试。',
    share: '分享到频道',
    lastPurchase: '最近购买',
    orders: '订单数',
    spend: '总消费',
    owner: '负责人',
    nextAction: '下一步',
    due: '下次联系',
    overdue: '已逾期',
    onRequest: '按需',
    why: '原因',
    nobodyDue: (who: string) => `本周${who}没有需要联系的客户。`,
    dueTitle: (n: number, who: string) => `本周${who}需要联系 ${fmt(n)} 个客户`,
    forOwner: (owner: string) => ` ${owner} `,
    reasons: { 'tier-dropped': '级别下降', 'cycle-overdue': '超过购买周期', cadence: '到达联系周期' },
    more: (n: number) => `……还有 ${fmt(n)} 个。`,
    summaryTitle: (customers: number, revenue: string) => `${fmt(customers)} 个客户，收入 ${revenue}`,
    movement: (up: number, down: number) => `自上次同步：${fmt(up)} 个升级，${fmt(down)} 个降级`,
    homeTitle: '本周你的客户',
    syncedAt: (at: string) => `同步于 ${at}`,
    unnamed: '（无负责人）',
  },
} satisfies Record<Locale, unknown>;

export type SlackText = (typeof SLACK_TEXT)['en'];
export const slackText = (locale: Locale): SlackText => SLACK_TEXT[locale];
