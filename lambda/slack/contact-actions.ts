/**
 * The buttons that close the loop: Mark contacted, Snooze (a week, a month), Log a note (a modal),
 * paging, the backlog and the App Home's tier filters. Each click writes to the contact log, then the
 * list (or card, or Home tab) it came from is drawn again with the customer's new next contact.
 */

import type { App } from '@slack/bolt';
import { customersOwnedBy, explainCustomer } from '../../shared';
import { type Actor, type ContactAction, logContact, parseChannel, parseNote } from '../contacts';
import { bookSummary, duePlan, type LiveBook, loadLiveBook, today, todayIn } from '../live-book';
import { errorFields } from '../log';
import type { Services } from '../services';
import { type WhoIs, whoIsThrough } from './people';
import { slackText } from './text';
import { customerCard, type HomeView, homeNotice, plain, type SlackMessage } from './views';
import { dueMessage, type Freshness, homeWorklist, noteModal, type Place, parsePlace } from './worklist';

async function liveBookForTeam(services: Services, teamId: string): Promise<LiveBook | null> {
  const org = await services.orgs.linkedOrg(teamId);
  if (!org) return null;
  const book = await loadLiveBook(services, org);
  return 'missing' in book ? null : book;
}

export const freshnessOf = (services: Services, book: LiveBook): Freshness => ({
  asOf: book.scored.asOf,
  syncedAt: book.meta.syncedAt,
  now: services.now(),
});

/** The owner names a list scope stands for; null for everyone. */
async function scopeNames(
  scope: string,
  teamId: string,
  userId: string,
  whoIs: WhoIs,
): Promise<string[] | null> {
  if (scope === 'all') return null;
  if (scope.startsWith('u:')) return whoIs(teamId, scope.slice(2));
  if (scope.startsWith('n:')) return [scope.slice(2)];
  return whoIs(teamId, userId);
}

/** One page of a due list (or the backlog) for a scope, as a message. */
export async function dueListMessage(
  services: Services,
  book: LiveBook,
  place: Place,
  names: string[] | null,
): Promise<SlackMessage> {
  const owned = names === null ? null : customersOwnedBy(book.directory, names);
  return dueMessage(
    {
      plan: duePlan(book, owned),
      place,
      who: names?.[0] ?? null,
      locale: book.config.locale,
      today: today(services),
      currency: book.config.currency,
    },
    freshnessOf(services, book),
  );
}

/** The App Home for a user: their due list (optionally one tier's), with buttons, paging and the tier bars. */
export async function homeWorklistFor(
  services: Services,
  teamId: string,
  userId: string,
  whoIs: WhoIs,
  place: Place = { scope: 'home:', list: 'due', page: 0 },
): Promise<HomeView> {
  const book = await liveBookForTeam(services, teamId);
  if (!book) return homeNotice(slackText('en').noBook);
  const names = await whoIs(teamId, userId);
  const owned = customersOwnedBy(book.directory, names);
  const filter = place.scope.startsWith('home:') ? place.scope.slice(5) : '';
  const tierIndex = book.config.tiers.findIndex((t) => t.key === filter);
  const plan = duePlan(book, owned);
  const inTier = (e: { index: number }) => tierIndex < 0 || book.scored.tier[e.index] === tierIndex;
  return homeWorklist(
    {
      plan: { ...plan, entries: plan.entries.filter(inTier), longOverdue: plan.longOverdue.filter(inTier) },
      place: { ...place, scope: `home:${tierIndex < 0 ? '' : filter}` },
      who: names[0],
      locale: book.config.locale,
      today: today(services),
      currency: book.config.currency,
      tiers: book.config.tiers,
      filter: tierIndex < 0 ? '' : filter,
      summary: bookSummary(book).population,
    },
    freshnessOf(services, book),
  );
}

/** What each contact button logs; a contact is made through the tier's channel. */
const ACTIONS: Record<string, (channel: string | null) => ContactAction> = {
  done: (channel) => ({ kind: 'contacted', channel: parseChannel(channel) }),
  snooze_week: () => ({ kind: 'snoozed', length: 'week' }),
  snooze_month: () => ({ kind: 'snoozed', length: 'month' }),
};

interface Clicked {
  teamId: string;
  userId: string;
  fromHome: boolean;
  responseUrl: string | null;
}

/** Logs `action` on the customer with `key`, then returns what to draw where the click came from. */
async function act(
  services: Services,
  clicked: Clicked,
  key: string,
  place: Place,
  action: (channel: string | null) => ContactAction,
  whoIs: WhoIs,
): Promise<{ home: HomeView } | { message: SlackMessage }> {
  const book = await liveBookForTeam(services, clicked.teamId);
  if (!book) return { message: plain(slackText('en').noBook) };
  const index = book.directory.byKey(key);
  if (index === undefined) return { message: plain(slackText(book.config.locale).gone) };
  const customer = book.scored.customers[index];
  const tier = book.scored.tier[index];
  const channel = tier >= 0 ? book.config.tiers[tier].channel : null;
  const names = await whoIs(clicked.teamId, clicked.userId);
  const actor: Actor = { id: clicked.userId, name: names[0] === clicked.userId ? null : names[0] };
  // The contact's day is the organisation's (its `/tier digest` time zone), not UTC's.
  const zone = (await services.notify.get(book.meta.org))?.timeZone ?? 'UTC';
  const day = todayIn(services, zone);
  await logContact(services, book.meta.org, customer.customerId, action(channel), actor, day);
  return redraw(services, clicked, place, whoIs);
}

/** The list, card or Home tab the click came from, drawn again from the fresh book. */
async function redraw(services: Services, clicked: Clicked, place: Place, whoIs: WhoIs) {
  if (clicked.fromHome)
    return { home: await homeWorklistFor(services, clicked.teamId, clicked.userId, whoIs, place) };
  const book = await liveBookForTeam(services, clicked.teamId);
  if (!book) return { message: plain(slackText('en').noBook) };
  if (place.list === 'card') {
    const index = book.directory.byKey(place.scope);
    if (index === undefined) return { message: plain(slackText(book.config.locale).gone) };
    return {
      message: customerCard(
        explainCustomer(book.scored, index),
        book.scored.customers[index],
        book.config.locale,
      ),
    };
  }
  const names = await scopeNames(place.scope, clicked.teamId, clicked.userId, whoIs);
  return { message: await dueListMessage(services, book, place, names) };
}

/** Sends a redrawn view where it belongs: the Home tab, or the message through its response_url. */
async function show(
  services: Services,
  drawn: { home: HomeView } | { message: SlackMessage },
  clicked: Clicked,
  client: { views: { publish(args: { user_id: string; view: HomeView }): Promise<unknown> } },
): Promise<void> {
  if ('home' in drawn) {
    await client.views.publish({ user_id: clicked.userId, view: drawn.home });
    return;
  }
  if (!clicked.responseUrl) return;
  const response = await fetch(clicked.responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...drawn.message, replace_original: true }),
  });
  if (!response.ok) services.log.warn('response_url refused the redraw', { status: response.status });
}

function clickedFrom(body: Record<string, unknown>): Clicked {
  const team = body.team as { id?: string } | undefined;
  const user = body.user as { id?: string; team_id?: string } | undefined;
  const container = body.container as { type?: string } | undefined;
  return {
    teamId: team?.id ?? user?.team_id ?? '',
    userId: user?.id ?? '',
    fromHome: container?.type === 'view',
    responseUrl: typeof body.response_url === 'string' ? body.response_url : null,
  };
}

export function registerContactActions(app: App, services: Services): void {
  const failed = async (
    clicked: Clicked,
    what: string,
    error: unknown,
    client: Parameters<typeof show>[3],
  ) => {
    services.log.error(`${what} failed`, errorFields(error));
    const apology = plain(slackText('en').failed);
    await show(
      services,
      clicked.fromHome ? { home: homeNotice(apology.text) } : { message: apology },
      clicked,
      client,
    ).catch(() => {});
  };

  app.action(/^tier_(done|snooze_week|snooze_month)_\d+$/, async ({ ack, body, action, client }) => {
    await ack();
    const clicked = clickedFrom(body as never);
    try {
      const kind =
        /^tier_(done|snooze_week|snooze_month)_/.exec('action_id' in action ? action.action_id : '')?.[1] ??
        'done';
      const { key, place } = parsePlace('value' in action ? String(action.value) : '');
      const drawn = await act(services, clicked, key, place, ACTIONS[kind], whoIsThrough(client));
      await show(services, drawn, clicked, client);
    } catch (error) {
      await failed(clicked, 'contact button', error, client);
    }
  });

  app.action(/^tier_note_\d+$/, async ({ ack, body, action, client }) => {
    await ack();
    const clicked = clickedFrom(body as never);
    try {
      const { key, place } = parsePlace('value' in action ? String(action.value) : '');
      const book = await liveBookForTeam(services, clicked.teamId);
      const index = book?.directory.byKey(key);
      if (!book || index === undefined) throw new Error('the customer is no longer in the book');
      const c = book.scored.customers[index];
      const metadata = JSON.stringify({
        key,
        place,
        home: clicked.fromHome,
        url: clicked.responseUrl,
        team: clicked.teamId,
      });
      const triggerId = (body as { trigger_id?: string }).trigger_id ?? '';
      await client.views.open({
        trigger_id: triggerId,
        view: noteModal(c.name ?? c.customerId, metadata, book.config.locale),
      });
    } catch (error) {
      await failed(clicked, 'note button', error, client);
    }
  });

  app.view('tier_note', async ({ ack, body, view, client }) => {
    const values = view.state.values;
    const parsed = parseNote(values.note?.text?.value, values.outcome?.choice?.selected_option?.value);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: { [parsed.field]: parsed.error } });
      return;
    }
    await ack();
    let meta: { key: string; place: Place; home: boolean; url: string | null; team: string };
    try {
      meta = JSON.parse(view.private_metadata);
    } catch {
      services.log.error('note modal without its metadata', {});
      return;
    }
    const clicked: Clicked = {
      teamId: meta.team || body.team?.id || '',
      userId: body.user.id,
      fromHome: meta.home,
      responseUrl: meta.url,
    };
    try {
      const note = parsed;
      const drawn = await act(
        services,
        clicked,
        meta.key,
        meta.place,
        (channel) => ({
          kind: 'note',
          note: note.note,
          outcome: note.outcome,
          channel: parseChannel(channel),
        }),
        whoIsThrough(client),
      );
      await show(services, drawn, clicked, client);
    } catch (error) {
      await failed(clicked, 'note', error, client);
    }
  });

  // Paging, the backlog and back, in messages and in the Home tab.
  app.action(/^tier_due_page_(prev|next|backlog|week)$/, async ({ ack, body, action, client }) => {
    await ack();
    const clicked = clickedFrom(body as never);
    try {
      const { place } = parsePlace('value' in action ? String(action.value) : '');
      await show(services, await redraw(services, clicked, place, whoIsThrough(client)), clicked, client);
    } catch (error) {
      await failed(clicked, 'paging', error, client);
    }
  });

  app.action(
    /^tier_home_(page_(prev|next|backlog|week)|filter(_\d+)?)$/,
    async ({ ack, body, action, client }) => {
      await ack();
      const clicked = { ...clickedFrom(body as never), fromHome: true };
      try {
        const { place } = parsePlace('value' in action ? String(action.value) : '');
        await show(services, await redraw(services, clicked, place, whoIsThrough(client)), clicked, client);
      } catch (error) {
        await failed(clicked, 'home paging', error, client);
      }
    },
  );
}
