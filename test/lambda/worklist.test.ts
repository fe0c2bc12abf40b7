import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueMessage, homeWorklist, PAGE_SIZE } from '../../lambda/slack/worklist';
import { FORM, functionUrlEvent, signedHeaders } from '../../sandbox/requests';
import {
  dayFromParts,
  getPreset,
  parseCustomerTable,
  planContacts,
  scoreBook,
  summarizePopulation,
  type TierwiseConfig,
} from '../../shared';
import { blockKitProblems } from '../helpers/block-kit';
import { type Json, SIGNING_SECRET, startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
let token: string;
const TEAM = 'TACME';
const text = (body: unknown): string => JSON.stringify(body);
let counter = 0;

/** A signed interactivity payload (block_actions or view_submission), as Slack posts it. */
async function interact(payload: Record<string, unknown>) {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const headers = signedHeaders(SIGNING_SECRET, body, FORM, Math.floor(Date.now() / 1000));
  return world.call(functionUrlEvent('/slack/events', 'POST', headers, body));
}

/** A click on a button of a message (with its response_url) or of the Home tab. */
async function click(actionId: string, value: string, where: 'message' | 'home' = 'message') {
  const path = `/respond/click${++counter}`;
  const response = await interact({
    type: 'block_actions',
    team: { id: TEAM, domain: 'local' },
    user: { id: 'U0ANA', username: 'ana', name: 'ana', team_id: TEAM },
    api_app_id: 'A0LOCAL',
    token: 'unused',
    trigger_id: `trigger-${counter}`,
    container:
      where === 'home'
        ? { type: 'view', view_id: 'V0HOME' }
        : { type: 'message', message_ts: '1.1', channel_id: 'C0LOCAL', is_ephemeral: true },
    ...(where === 'home'
      ? { view: { id: 'V0HOME', type: 'home' } }
      : {
          channel: { id: 'C0LOCAL', name: 'general' },
          response_url: `${world.slack.responseUrl(`click${counter}`)}`,
        }),
    actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value, action_ts: '1.1' }],
  });
  expect(response.statusCode).toBe(200);
  return path;
}

/** The buttons of a message or view, by action id prefix. */
const buttons = (view: Json, prefix: string): { action_id: string; value: string }[] =>
  (view.blocks as Json[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements)
    .filter((e: Json) => e.action_id.startsWith(prefix));

/** Bold customer names on a list, in order. */
const listed = (view: Json): string[] =>
  (view.blocks as Json[])
    .filter((b) => b.type === 'section' && /^\*[^*]+\* \(/.test(b.text?.text ?? ''))
    .map((b) => /^\*([^*]+)\*/.exec(b.text.text)![1]);

const dueAll = async () => (await world.command('due all', TEAM)).body as Json;

beforeAll(async () => {
  world = await startLambdaWorld({
    now: () => new Date('2024-07-01T09:00:00Z'),
    users: { U0ANA: { name: 'ana', email: 'ana@acme.test' } },
  });
  const { orgs } = world.services;
  await orgs.createOrg('acme', 'Acme Trading');
  await orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  token = await world.issuer.token('boss@acme.test');
  const commit = await syncThroughApi(world.api, token, EXAMPLE_ROWS, {
    syncId: 'sync-0001',
    asOf: '2024-06-30',
  });
  expect(commit.status).toBe(200);
  const { body } = await world.api('POST', '/api/link-codes', {}, token);
  await world.command(`link ${body.code}`, TEAM);
});
afterAll(() => world.close());

describe('the due list closes the loop', () => {
  it('lists by what is at stake, with relative dates, buttons, and freshness', async () => {
    const list = await dueAll();
    expect(blockKitProblems(list)).toEqual([]);
    expect(text(list)).toMatch(/days overdue|due today|due (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day/);
    expect(text(list)).toContain('As of the sync of 1 July 2024 · synced');
    expect(buttons(list, 'tier_done_').length).toBe(listed(list).length);
    expect(buttons(list, 'tier_note_').length).toBe(listed(list).length);
    expect(text(list)).not.toContain('Hibernating'); // left alone: never due
  });

  it('Mark contacted takes the customer off the list at once, in the message and in the next /tier due', async () => {
    const before = await dueAll();
    const [first, second] = listed(before);
    const done = buttons(before, 'tier_done_')[0];
    const path = await click(done.action_id, done.value);
    const redrawn = await world.slack.waitFor(path);
    expect(redrawn.body.replace_original).toBe(true);
    expect(listed(redrawn.body)).not.toContain(first);
    expect(listed(redrawn.body)).toContain(second);
    expect(listed(await dueAll())).not.toContain(first);
    const card = (await world.command(first.replace(/&amp;/g, '&'), TEAM)).body as Json;
    const next = /Next contact\*: (\d{4}-\d\d-\d\d)/.exec(text(card))?.[1] ?? '';
    expect(next > '2024-07-01').toBe(true); // a cadence after today's contact
    const rows = (await world.api('GET', '/api/contacts', undefined, token)).body.rows as string[][];
    expect(rows.some((r) => r[1] === '2024-07-01' && r[6] === 'ana')).toBe(true);
  });

  it('Snooze 1 month postpones the next contact to 31 July, and the sheet sees it', async () => {
    const before = await dueAll();
    const [first] = listed(before);
    const snooze = buttons(before, 'tier_snooze_month_')[0];
    await world.slack.waitFor(await click(snooze.action_id, snooze.value));
    expect(listed(await dueAll())).not.toContain(first);
    const rows = (await world.api('GET', '/api/contacts', undefined, token)).body.rows as string[][];
    expect(rows.filter((r) => r[2] === '2024-07-31')).toHaveLength(1);
  });

  it('Log a note opens a modal; a submitted note and outcome are logged and the list redrawn', async () => {
    const before = await dueAll();
    const [first] = listed(before);
    const note = buttons(before, 'tier_note_')[0];
    const path = await click(note.action_id, note.value);
    const opened = await world.slack.waitFor('/api/views.open');
    const view = opened.body.view as Json;
    expect(view.callback_id).toBe('tier_note');
    // The checker knows message blocks; the modal's input blocks are checked by their own limits.
    expect(blockKitProblems({ blocks: view.blocks.filter((b: Json) => b.type !== 'input') })).toEqual([]);
    expect(view.private_metadata.length).toBeLessThanOrEqual(3_000);
    const submit = (value: string, outcome: string | null) =>
      interact({
        type: 'view_submission',
        team: { id: TEAM, domain: 'local' },
        user: { id: 'U0ANA', username: 'ana', name: 'ana', team_id: TEAM },
        api_app_id: 'A0LOCAL',
        token: 'unused',
        trigger_id: 'trigger-submit',
        view: {
          ...view,
          id: 'V0MODAL',
          state: {
            values: {
              note: { text: { type: 'plain_text_input', value } },
              outcome: {
                choice: {
                  type: 'static_select',
                  selected_option: outcome
                    ? { value: outcome, text: { type: 'plain_text', text: outcome } }
                    : null,
                },
              },
            },
          },
        },
      });
    const empty = await submit('   ', null);
    expect(JSON.parse(empty.body ?? '{}')).toMatchObject({
      response_action: 'errors',
      errors: { note: expect.any(String) },
    });
    const saved = await submit('Wants a quote for 50 units <!channel>', 'follow-up');
    expect(saved.statusCode).toBe(200);
    const redrawn = await world.slack.waitFor(path);
    expect(listed(redrawn.body)).not.toContain(first);
    const rows = (await world.api('GET', '/api/contacts', undefined, token)).body.rows as string[][];
    expect(rows.find((r) => r[5] === 'Wants a quote for 50 units <!channel>')?.[4]).toBe('follow-up');
  });

  it('pages through the list and the backlog with buttons', async () => {
    const list = await dueAll();
    const backlog = buttons(list, 'tier_due_page_backlog')[0];
    expect(text(list)).toContain('Long overdue:');
    const shown = await world.slack.waitFor(await click(backlog.action_id, backlog.value));
    expect(text(shown.body)).toContain('long-overdue customer');
    expect(blockKitProblems(shown.body)).toEqual([]);
    expect(buttons(shown.body, 'tier_due_page_week')).toHaveLength(1);
  });

  it('shared cards say who shared them', async () => {
    const card = (await world.command('acme corp', TEAM)).body as Json;
    const share = buttons(card, 'tier_share')[0];
    const posted = await world.slack.waitFor(await click('tier_share', share.value));
    expect(text(posted.body)).toContain('Shared by ana');
    expect(text(posted.body)).toContain('As of the sync of 1 July 2024');
  });
});

describe('the App Home is a working view', () => {
  it('shows the user’s list with buttons, filters, bars and freshness, and pages', async () => {
    await world.event(TEAM, 'EvHome1', { type: 'app_home_opened', user: 'U0ANA', tab: 'home' });
    const home = world.slack.calls.filter((c) => c.path === '/api/views.publish').at(-1)!.body.view as Json;
    expect(blockKitProblems(home, { home: true })).toEqual([]);
    expect(text(home)).toContain('synced');
    expect(text(home)).toContain('█');
    expect(buttons(home, 'tier_home_filter').length).toBeGreaterThan(1);
    const filter = buttons(home, 'tier_home_filter_')[0];
    await click(filter.action_id, filter.value, 'home');
    const filtered = world.slack.calls.filter((c) => c.path === '/api/views.publish').at(-1)!.body
      .view as Json;
    expect(blockKitProblems(filtered, { home: true })).toEqual([]);
    const pressed = buttons(filtered, 'tier_home_filter_').find((b: Json) => (b as Json).style === 'primary');
    expect(pressed?.action_id).toBe(filter.action_id);
  });
});

describe('views stay inside Block Kit limits with hostile data', () => {
  const asOf = dayFromParts(2024, 7, 1)!;
  const base = getPreset('value-pyramid')!;
  const config: TierwiseConfig = {
    ...base,
    currency: 'EUR',
    tiers: base.tiers.map((t) => ({
      ...t,
      label: `<!channel> ${'★'.repeat(140)}`,
      action: `<!here> ${'a'.repeat(3_000)}`,
    })),
  };
  const rows = Array.from({ length: 500 }, (_, i) => [
    `${'I'.repeat(2_500)}${i}`,
    `<!channel> & ${'😀'.repeat(5_000 + (i % 2))}`,
    `<@U${i}> ${'o'.repeat(3_000)}`,
    i % 2 ? '2024-06-01' : '2023-01-01',
    '2020-01-01',
    3,
    100 + i,
  ]);
  const { customers } = parseCustomerTable(
    { header: ['id', 'name', 'owner', 'last_purchase', 'first_purchase', 'orders', 'total_spend'], rows },
    { asOf },
  );
  const scored = scoreBook(customers, config, { asOf });
  const plan = planContacts(scored);
  const freshness = { asOf, syncedAt: '2024-07-01T07:00:00Z', now: new Date('2024-07-01T09:00:00Z') };

  it('every page of the list and the backlog, and the Home tab', () => {
    expect(plan.entries.length).toBeGreaterThan(PAGE_SIZE);
    expect(plan.longOverdue.length).toBeGreaterThan(PAGE_SIZE);
    for (const list of ['due', 'backlog'] as const) {
      for (const page of [0, 1, 99]) {
        const input = {
          plan,
          place: { scope: `n:${'<!here>'.repeat(300)}`, list, page },
          who: '<!here>',
          locale: 'en' as const,
          today: asOf,
          currency: 'EUR',
        };
        expect(blockKitProblems(dueMessage(input, freshness))).toEqual([]);
        const home = homeWorklist(
          {
            ...input,
            tiers: config.tiers,
            filter: config.tiers[0].key,
            summary: summarizePopulation(scored),
          },
          freshness,
        );
        expect(blockKitProblems(home, { home: true })).toEqual([]);
      }
    }
  });
});

describe('the contact day', () => {
  it('is the organisation’s day in its time zone, not UTC’s', async () => {
    // 09:00 UTC on 1 July is 23:00 on 30 June in Honolulu.
    await world.command('digest monday 9 Pacific/Honolulu', TEAM);
    try {
      const done = buttons(await dueAll(), 'tier_done_')[0];
      await world.slack.waitFor(await click(done.action_id, done.value));
      const rows = (await world.api('GET', '/api/contacts', undefined, token)).body.rows as string[][];
      const logged = rows.filter((r) => r[7] === '2024-07-01T09:00:00.000Z' && r[1] === '2024-06-30');
      expect(logged).toHaveLength(1);
    } finally {
      const settings = (await world.services.notify.get('acme'))!;
      await world.services.notify.save({ ...settings, timeZone: 'UTC', digestDay: null });
    }
  });
});
