/**
 * What the bot answers, as data: each function takes the Slack workspace and what was asked, reads the
 * organisation's book through the services, and returns a message. Listeners only pass these on.
 */

import {
  customerAction,
  explainCustomer,
  findInDirectory,
  type Locale,
  MAX_QUERY_LENGTH,
  queryTooLong,
} from '../../shared';
import { bookSummary, type LiveBook, loadLiveBook } from '../live-book';
import type { Services } from '../services';
import { alertsCommand } from './alerts';
import { context, label } from './blocks';
import { parseTierCommand, type Who } from './command';
import { dueListMessage, freshnessOf, homeWorklistFor } from './contact-actions';
import { digestCommand, notifySettings } from './digest';
import type { WhoIs } from './people';
import { slackText } from './text';
import {
  chooser,
  customerCard,
  type HomeView,
  homeNotice,
  noMatch,
  plain,
  type SlackMessage,
  summaryMessage,
} from './views';
import {
  cardWithActions,
  type Freshness,
  freshnessLine,
  funnelBlocks,
  sharedBy,
  withBlocks,
} from './worklist';

/** The locale before an organisation's configuration is known. */
const FALLBACK_LOCALE: Locale = 'en';

/** What Slack tells us about a `/tier` command (the fields a deferred job carries too). */
export interface AskedCommand {
  team_id: string;
  user_id: string;
  /** Deprecated by Slack; only a fallback when `users.info` is unavailable. */
  user_name: string;
  text: string;
}

type Loaded = { ok: true; book: LiveBook } | { ok: false; reply: SlackMessage };

async function bookForTeam(services: Services, teamId: string): Promise<Loaded> {
  const org = await services.orgs.linkedOrg(teamId);
  if (!org) return { ok: false, reply: plain(slackText(FALLBACK_LOCALE).notLinked) };
  const book = await loadLiveBook(services, org);
  if ('missing' in book) return { ok: false, reply: plain(slackText(FALLBACK_LOCALE).noBook) };
  return { ok: true, book };
}

/** The linked organisation's language (its configuration's locale), English before anything is linked. */
export async function teamLocale(services: Services, teamId: string): Promise<Locale> {
  const org = await services.orgs.linkedOrg(teamId);
  if (!org) return FALLBACK_LOCALE;
  return (await services.configs.cached(org))?.config.locale ?? FALLBACK_LOCALE;
}

export async function answerCommand(
  services: Services,
  asked: AskedCommand,
  whoIs: WhoIs,
): Promise<SlackMessage> {
  // Reminder settings: `/tier digest …`, `/tier owner … = @user` (slack/digest.ts), `/tier alerts …`
  // (slack/alerts.ts).
  if (/^(digest|owner|alerts)\b/i.test(asked.text.trim())) {
    const org = await services.orgs.linkedOrg(asked.team_id);
    if (!org) return plain(slackText(FALLBACK_LOCALE).notLinked);
    if (/^alerts\b/i.test(asked.text.trim())) {
      const current = await notifySettings(services, org, asked.team_id);
      return plain(await alertsCommand(services, asked.team_id, asked.text, current));
    }
    const locale = await teamLocale(services, asked.team_id);
    return plain(await digestCommand(services, org, asked.team_id, asked.text, locale));
  }
  const command = parseTierCommand(asked.text);
  if (command.kind === 'help') return plain(slackText(await teamLocale(services, asked.team_id)).help);
  if (command.kind === 'link') return link(services, asked.team_id, command.code, asked.user_name);
  // Bound the work before doing any: a 3,000-character query would cost seconds of matching.
  if (command.kind === 'lookup' && queryTooLong(command.query))
    return plain(slackText(await teamLocale(services, asked.team_id)).tooLong(MAX_QUERY_LENGTH));
  const loaded = await bookForTeam(services, asked.team_id);
  if (!loaded.ok) return loaded.reply;
  const { book } = loaded;
  switch (command.kind) {
    case 'summary': {
      const { population, movement } = bookSummary(book);
      return withBlocks(summaryMessage(population, movement, book.config.locale), [
        ...funnelBlocks(population, book.config.locale),
        context(freshnessLine(freshnessOf(services, book), book.config.locale)),
      ]);
    }
    case 'due':
      return dueListMessage(
        services,
        book,
        { scope: dueScope(command.who), list: 'due', page: 0 },
        await ownerNames(asked, command.who, whoIs),
      );
    case 'lookup':
      return lookup(book, command.query, freshnessOf(services, book));
  }
}

/**
 * The names `/tier due …` is about: the asker's (`me`) or a mentioned user's, resolved through
 * users.info; a typed name as typed; null for everyone. The first name is the one echoed.
 */
async function ownerNames(asked: AskedCommand, who: Who, whoIs: WhoIs): Promise<string[] | null> {
  switch (who.kind) {
    case 'all':
      return null;
    case 'me':
      return whoIs(asked.team_id, asked.user_id, [asked.user_name]);
    case 'user':
      return who.userId ? [who.name, ...(await whoIs(asked.team_id, who.userId))] : [who.name];
  }
}

/** The scope a `/tier due …` list keeps in its buttons, so a click redraws the same list. */
function dueScope(who: Who): string {
  if (who.kind !== 'user') return who.kind;
  return who.userId ? `u:${who.userId}` : `n:${who.name}`;
}

function lookup(book: LiveBook, query: string, freshness: Freshness): SlackMessage {
  const customers = book.scored.customers;
  const match = findInDirectory(book.directory, query);
  const locale = book.config.locale;
  if (match.kind === 'one') {
    const card = customerCard(explainCustomer(book.scored, match.index), customers[match.index], locale);
    return cardWithActions(card, customers[match.index].customerId, locale, freshness);
  }
  if (match.kind === 'none')
    return noMatch(
      query,
      match.suggestions.map((i) => customers[i]),
      locale,
    );
  return chooser(
    query,
    match.indices.map((i) => ({ summary: customers[i], tier: customerAction(book.scored, i).tierLabel })),
    match.total,
    locale,
  );
}

/** The card of one customer by its short key (from a pick or share button). */
export async function answerCustomer(
  services: Services,
  teamId: string,
  key: string,
  shared: boolean,
  /** The Slack user sharing the card, named on it. */
  sharer?: string,
): Promise<SlackMessage> {
  const loaded = await bookForTeam(services, teamId);
  if (!loaded.ok) return loaded.reply;
  const { scored, config, directory } = loaded.book;
  // Buttons sent before short keys carried the raw customer id.
  const index = directory.byKey(key) ?? directory.byId.get(key.trim().toLowerCase());
  if (index === undefined) return plain(slackText(config.locale).gone);
  const card = customerCard(explainCustomer(scored, index), scored.customers[index], config.locale, {
    shared,
  });
  const freshness = freshnessOf(services, loaded.book);
  const full = shared
    ? sharer
      ? sharedBy(card, sharer, config.locale, freshness)
      : card
    : cardWithActions(card, scored.customers[index].customerId, config.locale, freshness);
  return { ...full, replace_original: !shared };
}

async function link(
  services: Services,
  teamId: string,
  code: string | null,
  userName: string,
): Promise<SlackMessage> {
  const t = slackText(FALLBACK_LOCALE);
  if (!code) return plain(t.linkUsage);
  const result = await services.orgs.consumeLinkCode(code);
  if (!result.ok) return plain(result.reason === 'expired' ? t.linkExpired : t.linkUnknown);
  await services.orgs.linkTeam(teamId, result.org, userName);
  const meta = await services.orgs.meta(result.org);
  return plain(t.linked(label(meta?.name ?? result.org)));
}

/** The App Home tab for a Slack user: their due list and the tier summary. */
export async function homeFor(
  services: Services,
  teamId: string,
  userId: string,
  whoIs: WhoIs,
): Promise<HomeView> {
  const loaded = await bookForTeam(services, teamId);
  if (!loaded.ok) return homeNotice(loaded.reply.text);
  return homeWorklistFor(services, teamId, userId, whoIs);
}
