import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM, functionUrlEvent, signedHeaders, slashCommandBody } from '../../lambda/slack/requests';
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
    const body = text((await world.command('globx corporation', TEAM)).body);
    expect(body).toContain('No customer matches');
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
    const before = countPublishes();
    const reply = await world.command('summary', TEAM, { secret: 'not-the-secret' });
    expect(reply.status).toBe(401);
    expect(countPublishes()).toBe(before);
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
