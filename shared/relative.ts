/**
 * Dates and amounts as people say them: "12 days overdue", "due Thursday", "synced 2 hours ago",
 * "as of 1 July", "$1,234.50". The caller passes the day or instant it is now (the core reads no clock).
 */

import type { Locale } from './config';
import { type Day, isoDate } from './dates';
import { fmt } from './messages';

const WEEKDAYS = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
};
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** 0 = Sunday: day 0 (1970-01-01) was a Thursday. */
export const weekday = (day: Day): number => (((day + 4) % 7) + 7) % 7;

/** "12 days overdue", "due today", "due tomorrow", "due Thursday" (within a week), "due in 9 days". */
export function relativeDue(due: Day, today: Day, locale: Locale): string {
  const ahead = due - today;
  const zh = locale === 'zh';
  if (ahead < 0) {
    const late = -ahead;
    return zh ? `逾期 ${fmt(late)} 天` : `${fmt(late)} day${late === 1 ? '' : 's'} overdue`;
  }
  if (ahead === 0) return zh ? '今天到期' : 'due today';
  if (ahead === 1) return zh ? '明天到期' : 'due tomorrow';
  if (ahead < 7) return zh ? `${WEEKDAYS.zh[weekday(due)]}到期` : `due ${WEEKDAYS.en[weekday(due)]}`;
  return zh ? `${fmt(ahead)} 天后到期` : `due in ${fmt(ahead)} days`;
}

/** "1 July 2024" / "2024年7月1日". */
export function longDate(day: Day, locale: Locale): string {
  const [y, m, d] = isoDate(day).split('-').map(Number);
  return locale === 'zh' ? `${y}年${m}月${d}日` : `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "just now", "5 minutes ago", "2 hours ago", "3 days ago" between two instants (milliseconds). */
export function timeAgo(thenMs: number, nowMs: number, locale: Locale): string {
  const minutes = Math.max(0, Math.floor((nowMs - thenMs) / 60_000));
  const zh = locale === 'zh';
  if (minutes < 1) return zh ? '刚刚' : 'just now';
  const [n, unit, zhUnit] =
    minutes < 60
      ? [minutes, 'minute', '分钟']
      : minutes < 48 * 60
        ? [Math.floor(minutes / 60), 'hour', '小时']
        : [Math.floor(minutes / 1440), 'day', '天'];
  return zh ? `${n} ${zhUnit}前` : `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

/** ISO 4217 codes: three capital letters. */
export const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code);

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount in the organisation's currency ("$1,234.50", "€1,234.50", "¥1,234.50"); without a currency,
 * the plain number with two decimals. Formats are cached: building one costs far more than using it.
 */
export function formatMoney(amount: number, currency: string | undefined, locale: Locale): string {
  if (!currency || !isCurrencyCode(currency)) return fmt(amount, 2);
  const key = `${locale}:${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-US', { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format.format(amount);
}
