/**
 * The Slack bot on a generated 100,000-customer book, synced through the config API, asked through the
 * real handler (signature checks, Bolt, dynalite): the answers are right and every reply keeps Slack's
 * limits. Speed is measured by `npm run bench`, not here. The book is generated and synced once.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeName } from '../../shared';
import { BIG_BOOK_HEADER, bigBookRows, PLANTED } from '../helpers/big-book';
import { blockKitProblems } from '../helpers/block-kit';
import { startLambdaWorld } from '../helpers/lambda';
import { syncThroughApi } from '../helpers/org';

type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
const TEAM = 'TBIG';
const N = 100_000;
const rows = bigBookRows(N);
const text = (body: unknown): string => JSON.stringify(body);
// biome-ignore lint/suspicious/noExplicitAny: replies are JSON.
const ask = async (query: string, extra = {}): Promise<any> => {
  const reply = await world.command(query, TEAM, extra);
  expect(reply.status).toBe(200);
  expect(blockKitProblems(reply.body)).toEqual([]);
  return reply.body;
};

beforeAll(async () => {
  expect(rows[0]).toEqual(BIG_BOOK_HEADER);
  world = await startLambdaWorld({
    now: () => new Date('2024-07-01T09:00:00Z'),
    users: { U0ANA: { name: 'ana', email: 'ana@big.test' } },
  });
  const { orgs } = world.services;
  await orgs.createOrg('big', 'Big Book Ltd');
  await orgs.addMember('boss@big.test', { org: 'big', role: 'manager' });
  await orgs.linkTeam(TEAM, 'big', 'test');
  const token = await world.issuer.token('boss@big.test');
  const commit = await syncThroughApi(world.api, token, rows, {
    syncId: 'sync-big-0001',
    asOf: '2024-06-30',
    chunkRows: 5_000,
  });
  expect(commit.status).toBe(200);
  expect(commit.body.customers).toBe(N);
}, 240_000);
afterAll(() => world.close());

describe('100,000 customers', () => {
  it('answers the first question on the cold book through response_url, later ones at once', async () => {
    const cold = await world.command(PLANTED[0].name, TEAM);
    expect(text(cold.body)).toContain('Working on it');
    const answer = await world.slack.waitFor(cold.responseUrlPath, 120_000);
    expect(answer.body.text).toMatch(/^Zephyrine Orchard Supplies: /);
    expect(blockKitProblems(answer.body)).toEqual([]);
    expect((await ask(PLANTED[0].name)).text).toMatch(/^Zephyrine Orchard Supplies: /);
  }, 150_000);

  it('finds a customer by exact name, by id, with a typo, and by part of a Chinese name', async () => {
    expect((await ask('zephyrine orchard supplies')).text).toMatch(/^Zephyrine Orchard Supplies: /);
    expect((await ask('C-PLANT-3')).text).toMatch(/^Quillfeather Bindery &amp; Co: /);
    const [id, name] = rows[1 + 54_321];
    expect((await ask(id)).text.startsWith(`${name.replace(/&/g, '&amp;')}: `)).toBe(true);
    expect((await ask('Zephyrine Orchrd Supplies')).text).toMatch(/^Zephyrine Orchard Supplies: /);
    expect((await ask('Quilfeather Bindery')).text).toMatch(/^Quillfeather Bindery &amp; Co: /);
    expect((await ask('明华')).text).toMatch(/^上海明华贸易有限公司: /);
  });

  it('says how many customers really match, and offers the closest 8', async () => {
    const matching = rows.slice(1).filter((r) => normalizeName(r[1]).includes('bakery')).length;
    expect(matching).toBeGreaterThan(1_000);
    const body = await ask('bakery');
    expect(body.text).toBe(`${matching.toLocaleString('en-US')} customers match "bakery"; the 8 closest:`);
    expect(body.blocks[1].elements).toHaveLength(8);
  });

  it('shows a synced <!channel> as text', async () => {
    const body = await ask('mischief makers');
    expect(body.text).toMatch(/^&lt;!channel&gt; Mischief Makers: /);
    expect(text(body)).not.toMatch(/<!channel>|<!here>/);
  });

  it('lists who is due: everyone, and "me" resolved through users.info', async () => {
    const all = await ask('due all');
    const total = Number(/^([\d,]+) customers to contact this week$/.exec(all.text)?.[1].replace(/,/g, ''));
    expect(total).toBeGreaterThan(1_000);
    // One page of 10 with buttons, "…and N more" and the paging buttons to see them.
    expect(text(all.blocks)).toContain(`…and ${(total - 10).toLocaleString('en-US')} more.`);
    expect(text(all.blocks)).toContain('tier_due_page_next');
    const mine = await ask('due', { userId: 'U0ANA', userName: 'not-ana' });
    const listed = text(mine.blocks).match(/ · (ana|rep\d+|&lt;!here&gt;)\\n/g) ?? [];
    expect(mine.text).toMatch(/customers to contact this week for ana$/);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((l) => l.includes('ana'))).toBe(true);
  });

  it('publishes a Home tab inside 100 blocks', async () => {
    const response = await world.event(TEAM, 'EvBigHome', {
      type: 'app_home_opened',
      user: 'U0ANA',
      tab: 'home',
    });
    expect(response.statusCode).toBe(200);
    const published = world.slack.calls.filter((c) => c.path === '/api/views.publish').at(-1);
    expect(blockKitProblems(published?.body.view, { home: true })).toEqual([]);
    expect(text(published?.body.view)).toContain('to contact this week for ana');
  });

  it('refuses a 3,000-character query politely', async () => {
    expect((await ask('zz'.repeat(1_500))).text).toContain('at most 200 characters');
  });
});
