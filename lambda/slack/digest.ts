/**
 * The weekly digest: run every hour by EventBridge Scheduler (the same function, event `{ digest: true }`),
 * it finds the organisations whose digest day and hour have come in their own time zone, claims each
 * organisation's digest for that local date once, and sends every owner a direct message with their own
 * due list and its buttons. Owners are matched to Slack users by a manual override first, then by
 * e-mail (`users.lookupByEmail`); owners that match nobody are counted and logged, never guessed.
 */

import { customersOwnedBy, type Locale } from '../../shared';
import { duePlan, loadLiveBook } from '../live-book';
import { errorFields } from '../log';
import type { Services } from '../services';
import { isTimeZone, type NotifySettings } from '../store/notify-store';
import { dueListMessage } from './contact-actions';
import { slackClient } from './deferred';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The local date, weekday (0 = Sunday) and hour of an instant in a time zone. */
export function localTime(now: Date, timeZone: string): { date: string; weekday: number; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'long',
      hour: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS.indexOf(String(parts.weekday).toLowerCase()),
    hour: Number(parts.hour),
  };
}

/** Due now: the digest day, at or after the hour (a missed hourly run is made up within the day). */
export const digestDue = (settings: NotifySettings, now: Date): { date: string } | null => {
  if (settings.digestDay === null) return null;
  const local = localTime(now, settings.timeZone);
  return local.weekday === settings.digestDay && local.hour >= settings.digestHour
    ? { date: local.date }
    : null;
};

const looksLikeEmail = (text: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);

export interface DigestReport {
  org: string;
  sent: number;
  /** Owners with due customers whom no Slack user matched. */
  unmatched: string[];
}

/** One hourly run over every organisation; each organisation's failure is logged and the rest go on. */
export async function runDigests(services: Services): Promise<DigestReport[]> {
  const reports: DigestReport[] = [];
  for (const settings of await services.notify.all()) {
    const due = digestDue(settings, services.now());
    if (!due || !(await services.notify.claimDigest(settings.org, due.date))) continue;
    try {
      reports.push(await sendDigest(services, settings));
    } catch (error) {
      services.log.error('weekly digest failed', { org: settings.org, ...errorFields(error) });
    }
  }
  return reports;
}

async function sendDigest(services: Services, settings: NotifySettings): Promise<DigestReport> {
  const report: DigestReport = { org: settings.org, sent: 0, unmatched: [] };
  const book = await loadLiveBook(services, settings.org);
  if ('missing' in book) return report;
  const client = await slackClient(services, settings.teamId);
  const owners = new Set<string>();
  for (const c of book.scored.customers) if (c.owner) owners.add(c.owner);
  for (const owner of owners) {
    let userId: string | undefined = settings.owners[owner];
    if (!userId && looksLikeEmail(owner)) {
      try {
        userId = (await client.users.lookupByEmail({ email: owner })).user?.id;
      } catch {
        userId = undefined; // users_not_found: reported below
      }
    }
    const plan = duePlan(book, customersOwnedBy(book.directory, [owner]));
    if (plan.entries.length === 0 && plan.longOverdue.length === 0) continue;
    if (!userId) {
      report.unmatched.push(owner);
      continue;
    }
    const place = { scope: `u:${userId}`, list: 'due' as const, page: 0 };
    const message = await dueListMessage(services, book, place, [owner]);
    await client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks });
    report.sent++;
  }
  if (report.unmatched.length > 0)
    services.log.warn('digest owners without a Slack user', {
      org: settings.org,
      owners: report.unmatched.length,
    });
  return report;
}

/** The organisation's reminder settings, or the defaults (no digest, no alerts) before any were saved. */
export async function notifySettings(
  services: Services,
  org: string,
  teamId: string,
): Promise<NotifySettings> {
  return (
    (await services.notify.get(org)) ?? {
      org,
      teamId,
      timeZone: 'UTC',
      digestDay: null,
      digestHour: 9,
      alertChannel: null,
      owners: {},
    }
  );
}

/**
 * `/tier digest monday 9 Europe/Berlin` · `/tier digest off` · `/tier owner Ana Silva = <@U123>`: the
 * organisation's digest settings, from Slack (which knows the workspace to send to).
 */
export async function digestCommand(
  services: Services,
  org: string,
  teamId: string,
  text: string,
  locale: Locale,
): Promise<string> {
  const current = await notifySettings(services, org, teamId);
  const [word, ...rest] = text.trim().split(/\s+/);
  if (word.toLowerCase() === 'owner') {
    const match = /^(.+?)\s*=\s*<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(rest.join(' '));
    if (!match)
      return 'Write `/tier owner Ana Silva = @ana`: the owner as the sheet names them, then the Slack user.';
    await services.notify.save({ ...current, teamId, owners: { ...current.owners, [match[1]]: match[2] } });
    return `Digests for the owner "${match[1].replace(/[<>&]/g, '')}" go to <@${match[2]}>.`;
  }
  if (rest[0]?.toLowerCase() === 'off') {
    await services.notify.save({ ...current, teamId, digestDay: null });
    return 'The weekly digest is off.';
  }
  const day = WEEKDAYS.indexOf((rest[0] ?? '').toLowerCase());
  const hour = Number(rest[1]);
  const zone = rest[2] ?? current.timeZone;
  if (day < 0 || !Number.isInteger(hour) || hour < 0 || hour > 23 || !isTimeZone(zone)) {
    return 'Write `/tier digest monday 9 Europe/Berlin`: a weekday, an hour from 0 to 23 and a time zone (or `/tier digest off`).';
  }
  await services.notify.save({ ...current, teamId, digestDay: day, digestHour: hour, timeZone: zone });
  return locale === 'zh'
    ? `每周摘要：${WEEKDAYS_ZH[day]} ${hour}:00（${zone}），发送给每位负责人。`
    : `Weekly digest: ${WEEKDAYS[day]}s at ${hour}:00 (${zone}), to each owner.`;
}
