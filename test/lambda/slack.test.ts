import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_SLACK_BODY_BYTES } from '../../lambda/slack/route';
import {
  eventBody,
  FORM,
  functionUrlEvent,
  JSON_TYPE,
  signedHeaders,
  slashCommandBody,
} from '../../sandbox/requests';
import { customerKey } from '../../shared';
import { SIGNING_SECRET, startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
const TEAM = 'TACME';
const text = (body: unknown): string => JSON.stringify(body);

beforeAll(async () => {
  world = await startLambdaWorld({
    now: () => new Date('2024-07-01T09:00:00Z'),
    users: { U0ANA: { name: 'ana', email: 'ana@acme.test' } },
  });
  const { orgs } = world.services;
  await orgs.createOrg('acme', 'Acme Trading');
  await orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  const token = await world.issuer.token('boss@acme.test');
  const commit = await syncThroughApi(world.api, token, EXAMPLE_ROWS, {
    syncId: 'sync-0001',
    asOf: '2024-06-30',
  });
  expect(commit.status).toBe(200);
  const { body } = await world.api('POST', '/api/link-codes', {}, token);
  const linked = await world.command(`link ${body.code}`, TEAM);
  expect(text(linked.body)).toContain('Linked: this workspace now sees *Acme Trading*');
});
afterAll(() => world.close());

describe('/tier through the real handler, Bolt receiver and dynalite', () => {
  it('answers a lookup inside the acknowledgement with a card', async () => {
    const reply = await world.command('acme corp', TEAM);
    expect(reply.status).toBe(200);
    const body = reply.body as { response_type: string; blocks: unknown[]; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe('Acme Corp: Loyal');
    expect(text(body.blocks)).toContain('bought 42 days ago');
    expect(text(body.blocks)).toContain('tier_share');
  });

  it('matches case- and accent-insensitively, and Chinese names', async () => {
    expect((await world.command('CAFE MULLER', TEAM)).body).toMatchObject({
      text: expect.stringMatching(/^Café Müller: /),
    });
    expect((await world.command('明华', TEAM)).body).toMatchObject({
      text: expect.stringMatching(/^上海明华贸易: /),
    });
  });

  it('offers a choice when several customers match', async () => {
    const body = (await world.command('acme', TEAM)).body;
    expect(text(body)).toContain('2 customers match \\"acme\\"');
    expect(text(body)).toContain('tier_pick_0');
  });

  it('suggests the closest names when nothing matches', async () => {
    const far = text((await world.command('globx corporation', TEAM)).body);
    expect(far).toContain('No customer matches');
    expect(far).not.toContain('Closest names');
    const near = text((await world.command('stork indus', TEAM)).body);
    expect(near).toContain('No customer matches \\"stork indus\\"');
    expect(near).toContain('Closest names:');
    expect(near).toContain('Stark Industries');
    expect(near).toContain('tier_pick_0');
  });

  it('lists who is due this week, for me, someone or everyone', async () => {
    const mine = text((await world.command('due', TEAM, { userName: 'ana' })).body);
    expect(mine).toContain('to contact this week for ana');
    expect(mine).not.toContain('· bo');
    const all = text((await world.command('due all', TEAM)).body);
    expect(all).toMatch(/purchase cycle overdue|cadence reached/);
    const bo = text((await world.command('due <@U0BO|bo>', TEAM)).body);
    expect(bo).toContain('for bo');
  });

  it('summarises customers and revenue per tier', async () => {
    const body = text((await world.command('summary', TEAM)).body);
    expect(body).toContain('20 customers, revenue 71,796.03');
  });

  it('explains itself on help and on nonsense-free empty input', async () => {
    expect(text((await world.command('', TEAM)).body)).toContain('/tier due');
  });

  it('tells an unlinked workspace how to link, and shows no data', async () => {
    const body = text((await world.command('acme corp', 'TOTHER')).body);
    expect(body).toContain('not linked to a Tierwise organisation');
    expect(body).not.toContain('Acme Corp');
  });

  it('refuses a used or unknown link code', async () => {
    expect(text((await world.command('link ZZZZ2222', 'TOTHER')).body)).toContain(
      'not valid, or was used already',
    );
  });

  it('picks a customer from a list and shares a card to the channel through response_url', async () => {
    const picked = await world.action('tier_pick_0', customerKey('C001'), TEAM);
    expect(picked.status).toBe(200);
    const replaced = await world.slack.waitFor(picked.responsePath);
    expect(replaced.body).toMatchObject({ replace_original: true, text: 'Acme Corp: Loyal' });
    const shared = await world.action('tier_share', customerKey('C001'), TEAM);
    const posted = await world.slack.waitFor(shared.responsePath);
    expect(posted.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(text(posted.body)).not.toContain('tier_share');
  });

  it('publishes the App Home with the user’s due list, once per event even when Slack retries', async () => {
    const first = await world.event(TEAM, 'Ev001', { type: 'app_home_opened', user: 'U0ANA', tab: 'home' });
    expect(first.statusCode).toBe(200);
    const retry = await world.event(
      TEAM,
      'Ev001',
      { type: 'app_home_opened', user: 'U0ANA', tab: 'home' },
      true,
    );
    expect(retry.statusCode).toBe(200);
    const publishes = world.slack.calls.filter((c) => c.path === '/api/views.publish');
    expect(publishes).toHaveLength(1);
    expect(text(publishes[0].body.view)).toContain('to contact this week for ana');
  });
});

describe('request authenticity', () => {
  const countPublishes = () => world.slack.calls.length;

  it('refuses a forged signature with 401 and does nothing', async () => {
    // Requests that would call Slack (App Home: users.info, views.publish) and change data (link).
    const before = countPublishes();
    const home = { type: 'app_home_opened', user: 'U0ANA', tab: 'home' };
    const forged = await world.event(TEAM, 'EvForged1', home, false, 'not-the-secret');
    expect(forged.statusCode).toBe(401);
    const token = await world.issuer.token('boss@acme.test');
    const { body } = await world.api('POST', '/api/link-codes', {}, token);
    const link = await world.command(`link ${body.code}`, 'TFORGED', { secret: 'not-the-secret' });
    expect(link.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200)); // time for any work they might have started
    expect(countPublishes()).toBe(before);
    expect(await world.services.orgs.linkedOrg('TFORGED')).toBeNull();
    // The same event signed properly does call Slack, so the count above could have moved; the code is unused.
    expect((await world.event(TEAM, 'EvForged2', home)).statusCode).toBe(200);
    await world.slack.waitFor('/api/views.publish');
    expect(countPublishes()).toBeGreaterThan(before);
    expect(await world.services.orgs.consumeLinkCode(body.code)).toEqual({ ok: true, org: 'acme' });
  });

  it('refuses a stale timestamp', async () => {
    const reply = await world.command('summary', TEAM, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(reply.status).toBe(401);
  });

  it('refuses the same signed request twice (replay)', async () => {
    const body = slashCommandBody({ text: 'summary', teamId: TEAM });
    const event = functionUrlEvent(
      '/slack/events',
      'POST',
      signedHeaders(SIGNING_SECRET, body, FORM, Math.floor(Date.now() / 1000)),
      body,
    );
    expect((await world.call(event)).statusCode).toBe(200);
    const again = await world.call(event);
    expect(again.statusCode).toBe(401);
    expect(again.body).toContain('replayed request');
  });
});

describe('every request gets an answer', () => {
  const signedEvent = (
    body: string,
    contentType: string,
    extra: Partial<ReturnType<typeof functionUrlEvent>> = {},
  ) => ({
    ...functionUrlEvent(
      '/slack/events',
      'POST',
      signedHeaders(SIGNING_SECRET, body, contentType, Math.floor(Date.now() / 1000)),
      body,
    ),
    ...extra,
  });
  /** The messages logged since `from` (the world captures its JSON log lines). */
  const loggedSince = (from: number) => world.logs.slice(from).map((l) => JSON.parse(l).message as string);
  afterEach(() => vi.restoreAllMocks());

  it('answers Slack’s unsigned ssl_check probe with 200 and does nothing else', async () => {
    const before = world.slack.calls.length;
    const probe = functionUrlEvent('/slack/events', 'POST', { 'content-type': FORM }, 'ssl_check=1&token=x');
    const reply = await world.call(probe);
    expect(reply).toMatchObject({ statusCode: 200, body: '' });
    expect(world.slack.calls.length).toBe(before);
    // Without ssl_check, the same unsigned form is refused.
    const unsigned = functionUrlEvent('/slack/events', 'POST', { 'content-type': FORM }, 'command=/tier');
    expect((await world.call(unsigned)).statusCode).toBe(401);
  });

  it('refuses a body over the size limit with 413 before checking or parsing it', async () => {
    const huge = `payload=${'x'.repeat(MAX_SLACK_BODY_BYTES)}`;
    const reply = await world.call(functionUrlEvent('/slack/events', 'POST', { 'content-type': FORM }, huge));
    expect(reply.statusCode).toBe(413);
    const encoded = Buffer.from(huge).toString('base64');
    const reply64 = await world.call({
      ...functionUrlEvent('/slack/events', 'POST', { 'content-type': FORM }, encoded),
      isBase64Encoded: true,
    });
    expect(reply64.statusCode).toBe(413);
  });

  it('answers malformed but validly signed requests with 400, not 500', async () => {
    for (const [body, type] of [
      ['payload=%7Bnot-json', FORM],
      ['payload=%5B1%2C2%5D', FORM],
      ['foo=bar', FORM],
      ['{"type": ', JSON_TYPE],
      ['[1, 2]', JSON_TYPE],
    ]) {
      const reply = await world.call(signedEvent(body, type));
      expect(reply.statusCode, body).toBe(400);
      expect(JSON.parse(String(reply.body)).error).toMatch(/^malformed Slack request/);
    }
  });

  it('reads base64 bodies as UTF-8 (Bolt would read them as ASCII), charset in the content type too', async () => {
    const body = eventBody({
      teamId: TEAM,
      eventId: 'EvBase64',
      event: { type: 'app_home_opened', user: 'U0ANA', tab: 'home', note: '上海明华 — ünïcode' },
    });
    const event = signedEvent(Buffer.from(body).toString('base64'), `${JSON_TYPE}; charset=utf-8`, {
      isBase64Encoded: true,
    });
    // Slack signs the bytes it sends: the decoded body.
    event.headers = signedHeaders(
      SIGNING_SECRET,
      body,
      `${JSON_TYPE}; charset=utf-8`,
      Math.floor(Date.now() / 1000),
    );
    const before = world.slack.calls.filter((c) => c.path === '/api/views.publish').length;
    expect((await world.call(event)).statusCode).toBe(200);
    expect(world.slack.calls.filter((c) => c.path === '/api/views.publish').length).toBe(before + 1);
  });

  it('turns an exception in /tier into a short apology and a log line', async () => {
    const from = world.logs.length;
    vi.spyOn(world.services.books, 'readBook').mockRejectedValueOnce(new Error('DynamoDB is down'));
    const reply = await world.command('acme corp', TEAM);
    expect(reply.status).toBe(200);
    expect(text(reply.body)).toContain('something went wrong');
    expect(loggedSince(from)).toContain('/tier failed');
    // The next request, with DynamoDB back, is answered.
    expect((await world.command('acme corp', TEAM)).body).toMatchObject({ text: 'Acme Corp: Loyal' });
  });

  it('apologises through response_url when a button fails', async () => {
    vi.spyOn(world.services.books, 'readBook').mockRejectedValueOnce(new Error('DynamoDB is down'));
    const picked = await world.action('tier_pick_0', customerKey('C001'), TEAM);
    expect(picked.status).toBe(200);
    const apology = await world.slack.waitFor(picked.responsePath);
    expect(text(apology.body)).toContain('something went wrong');
  });

  it('processes Slack’s retry of an event whose first delivery failed', async () => {
    vi.spyOn(world.services.books, 'readBook').mockRejectedValueOnce(new Error('DynamoDB is down'));
    const home = { type: 'app_home_opened', user: 'U0ANA', tab: 'home' };
    const publishes = () => world.slack.calls.filter((c) => c.path === '/api/views.publish');
    const before = publishes().length;
    const first = await world.event(TEAM, 'EvFails', home);
    // The user sees an apology at once; Slack is told the delivery failed, so it retries.
    expect(first.statusCode).toBe(500);
    expect(text(publishes().at(-1)?.body.view)).toContain('something went wrong');
    const retry = await world.event(TEAM, 'EvFails', home, true);
    expect(retry.statusCode).toBe(200);
    expect(publishes().length).toBe(before + 2);
    expect(text(publishes().at(-1)?.body.view)).toContain('to contact this week for ana');
  });

  it('runs a retry after a delivery that died without a word (crash, timeout), not after a slow one', async () => {
    const home = { type: 'app_home_opened', user: 'U0ANA', tab: 'home' };
    const publishes = () => world.slack.calls.filter((c) => c.path === '/api/views.publish').length;
    // The first delivery claimed the event id, then the function died: nothing forgot it.
    expect(await world.services.orgs.firstSighting('event:EvCrashed', 600)).toBe(true);
    const before = publishes();
    // Slack timed out waiting (3 s): the first delivery may still be at work, so this is a duplicate.
    expect((await world.event(TEAM, 'EvCrashed', home, 'http_timeout')).statusCode).toBe(200);
    expect(publishes()).toBe(before);
    // Slack got an HTTP error (the Function URL's 502 for a crashed or timed-out invocation): run it.
    expect((await world.event(TEAM, 'EvCrashed', home, 'http_error')).statusCode).toBe(200);
    expect(publishes()).toBe(before + 1);
  });

  it('refuses a 3,000-character query politely, without searching', async () => {
    const readBook = vi.spyOn(world.services.books, 'readBook');
    const reply = text((await world.command('x'.repeat(3_000), TEAM)).body);
    expect(reply).toContain('at most 200 characters');
    expect(readBook).not.toHaveBeenCalled();
  });
});

describe('who "me" is', () => {
  it('resolves /tier due through users.info by user id, not the deprecated user_name', async () => {
    // Slack's user_name says "someone-else"; users.info says U0ANA is ana.
    const mine = text((await world.command('due', TEAM, { userId: 'U0ANA', userName: 'someone-else' })).body);
    expect(mine).toContain('to contact this week for ana');
    const mention = text((await world.command('due <@U0ANA|whoever>', TEAM)).body);
    expect(mention).toMatch(/to contact this week for whoever/);
    expect(mention).not.toContain('Nobody');
  });

  it('asks users.info once per user while warm', async () => {
    const infos = () =>
      world.slack.calls.filter((c) => c.path === '/api/users.info' && c.body.user === 'U0ANA');
    await world.command('due', TEAM, { userId: 'U0ANA' });
    const after = infos().length;
    await world.command('due', TEAM, { userId: 'U0ANA' });
    expect(infos().length).toBe(after);
  });
});

describe('nothing synced or typed can ping anyone', () => {
  it('escapes the organisation name in the "Linked" reply and a typed owner in /tier due', async () => {
    const { orgs } = world.services;
    await orgs.createOrg('pranks', '<!channel> & Co');
    const { code } = await orgs.createLinkCode('pranks', 'test');
    const linked = (await world.command(`link ${code}`, 'TPRANK')).body as { text: string };
    expect(linked.text).toContain('*&lt;!channel&gt; &amp; Co*');
    expect(text(linked)).not.toContain('<!channel>');
    const due = (await world.command('due &lt;!here&gt;', TEAM)).body as { text: string };
    expect(due.text).toContain('&lt;!here&gt;');
    expect(text(due)).not.toContain('<!here>');
  });
});

// Last: it switches the organisation to Chinese.
describe('language', () => {
  it('answers in Chinese once the organisation’s configuration is Chinese', async () => {
    const token = await world.issuer.token('boss@acme.test');
    const current = await world.api('GET', '/api/config', undefined, token);
    const zh = {
      ...current.body.config,
      locale: 'zh',
      tiers: current.body.config.tiers.map((t: { label: string }, i: number) =>
        i === 1 ? { ...t, label: '忠诚客户' } : t,
      ),
    };
    expect(
      (await world.api('PUT', '/api/config', { baseVersion: current.body.version, config: zh }, token))
        .status,
    ).toBe(200);
    expect(text((await world.command('help', TEAM)).body)).toContain('为客户分级');
    const card = (await world.command('acme corp', TEAM)).body as { text: string; blocks: unknown[] };
    expect(card.text).toBe('Acme Corp: 忠诚客户');
    expect(text(card.blocks)).toContain('天前购买');
  });
});
