/**
 * What the bot answers, as data: each function takes the Slack workspace and what was asked, reads the
 * organisation's book through the services, and returns a message. Listeners only pass these on.
 */

import {
  dueContacts,
  explainCustomer,
  findCustomers,
  type Locale,
  normalizeName,
  summarizePopulation,
  tierMovement,
} from '../../shared';
import { type LiveBook, loadLiveBook } from '../live-book';
import type { Services } from '../services';
import { parseTierCommand, type Who } from './command';
import { slackText } from './text';
import {
  chooser,
  customerCard,
  dueList,
  homeView,
  noMatch,
  plain,
  type SlackMessage,
  summaryMessage,
} from './views';

/** The locale before an organisation's configuration is known. */
const FALLBACK_LOCALE: Locale = 'en';

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

/** Owner names in the sheet are free text: "Ana", "ana@acme.com", "ana.silva". */
export function ownerMatcher(names: readonly string[]): (owner: string | null) => boolean {
  const wanted = new Set(
    names.filter(Boolean).flatMap((n) => [normalizeName(n), normalizeName(n.split('@')[0])]),
  );
  return (owner) =>
    owner !== null && (wanted.has(normalizeName(owner)) || wanted.has(normalizeName(owner.split('@')[0])));
}

export async function answerCommand(
  services: Services,
  payload: { team_id: string; user_name: string; text: string },
): Promise<SlackMessage> {
  const command = parseTierCommand(payload.text);
  if (command.kind === 'help') return plain(slackText(await teamLocale(services, payload.team_id)).help);
  if (command.kind === 'link') return link(services, payload.team_id, command.code, payload.user_name);
  const loaded = await bookForTeam(services, payload.team_id);
  if (!loaded.ok) return loaded.reply;
  const { book } = loaded;
  switch (command.kind) {
    case 'summary': {
      const movement = tierMovement(
        book.config.tiers,
        book.records.map((r) => r.previousTier),
        book.records.map((r) => r.tier),
      );
      const hasPrevious = book.records.some((r) => r.previousTier !== null);
      return summaryMessage(
        summarizePopulation(book.scored),
        hasPrevious ? movement : null,
        book.config.locale,
      );
    }
    case 'due':
      return due(book, command.who, payload.user_name);
    case 'lookup':
      return lookup(book, command.query);
  }
}

function due(book: LiveBook, who: Who, userName: string): SlackMessage {
  const owner = who.kind === 'all' ? null : who.kind === 'me' ? userName : who.name;
  const entries = dueContacts(book.scored, {
    owner: owner === null ? undefined : ownerMatcher([owner]),
    previousTiers: book.records.map((r) => r.previousTier),
  });
  return dueList(entries, owner, book.config.locale);
}

function lookup(book: LiveBook, query: string): SlackMessage {
  const customers = book.scored.customers;
  const match = findCustomers(
    query,
    customers.map((c) => ({ id: c.customerId, name: c.name })),
  );
  const locale = book.config.locale;
  if (match.kind === 'one')
    return customerCard(explainCustomer(book.scored, match.index), customers[match.index], locale);
  if (match.kind === 'none')
    return noMatch(
      query,
      match.suggestions.map((i) => customers[i]),
      locale,
    );
  return chooser(
    query,
    match.indices.map((i) => ({ summary: customers[i], tier: explainCustomer(book.scored, i).tierLabel })),
    locale,
  );
}

/** The card of one customer by id (from a pick or share button). */
export async function answerCustomer(
  services: Services,
  teamId: string,
  customerId: string,
  shared: boolean,
): Promise<SlackMessage> {
  const loaded = await bookForTeam(services, teamId);
  if (!loaded.ok) return loaded.reply;
  const { scored, config } = loaded.book;
  const index = scored.customers.findIndex((c) => c.customerId === customerId);
  if (index < 0) return plain(slackText(config.locale).noMatch(customerId));
  const card = customerCard(explainCustomer(scored, index), scored.customers[index], config.locale, {
    shared,
  });
  return { ...card, replace_original: !shared };
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
  return plain(t.linked(meta?.name ?? result.org));
}

/** The App Home tab for a user known by these names (Slack handle, real name, e-mail). */
export async function homeFor(services: Services, teamId: string, names: string[]) {
  const loaded = await bookForTeam(services, teamId);
  if (!loaded.ok) return { type: 'home' as const, blocks: loaded.reply.blocks };
  const { scored, config, records } = loaded.book;
  const entries = dueContacts(scored, {
    owner: ownerMatcher(names),
    previousTiers: records.map((r) => r.previousTier),
  });
  return homeView(entries, names[0] ?? '', summarizePopulation(scored), config.locale);
}
