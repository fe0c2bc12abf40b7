/**
 * Numbers, money and times as the manager reads them: thousands separators, the sheet's currency
 * (from the spend column's number format), times in the browser's zone (the user's), named.
 * Formatters are built once per locale and currency: Intl is slow to construct, fast to call.
 */

import type { Locale } from '../../shared';

/** Currency codes by the symbols Sheets puts in number formats ("$#,##0.00", "[$¥-804]#,##0"). */
const SYMBOLS: Record<string, string> = {
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'CNY',
  '￥': 'CNY',
  '₹': 'INR',
  '₩': 'KRW',
  '₽': 'RUB',
  '฿': 'THB',
  元: 'CNY',
  円: 'JPY',
};

/**
 * The currency of a number format, or null when it names none. Quoted text and `[$…]` blocks are where
 * Sheets keeps symbols; an ISO code inside `[$…]` (e.g. "[$CHF] #,##0") wins.
 */
export function currencyOfFormat(format: string): string | null {
  const block = /\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]/.exec(format);
  const text = block ? block[1] : format.replace(/\[[^\]]*\]/g, '');
  const code = /\b([A-Z]{3})\b/.exec(text);
  if (code) return code[1];
  for (const ch of text) if (SYMBOLS[ch]) return SYMBOLS[ch];
  return null;
}

/** The currency of the first of `formats` that names one. */
export function currencyOf(formats: readonly string[]): string | null {
  for (const f of formats) {
    const code = currencyOfFormat(f);
    if (code) return code;
  }
  return null;
}

export interface Formats {
  count(n: number): string;
  money(n: number): string;
  percent(share: number): string;
  /** An ISO instant in the user's zone, with the zone named. */
  time(iso: string): string;
}

const tags: Record<Locale, string> = { en: 'en-US', zh: 'zh-CN' };
const cache = new Map<string, Formats>();

export function formats(locale: Locale, currency: string | null): Formats {
  const key = `${locale}|${currency}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const tag = tags[locale];
  const count = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  let money: Intl.NumberFormat;
  try {
    money = currency
      ? new Intl.NumberFormat(tag, { style: 'currency', currency, maximumFractionDigits: 0 })
      : new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  } catch {
    money = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 }); // an unknown code in a format
  }
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const time = new Intl.DateTimeFormat(tag, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const made: Formats = {
    count: (n) => count.format(n),
    money: (n) => money.format(n),
    percent: (x) => percent.format(x),
    time: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : time.format(date);
    },
  };
  cache.set(key, made);
  return made;
}
