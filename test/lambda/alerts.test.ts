import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { blockKitProblems } from '../helpers/block-kit';
import { type Json, startLambdaWorld } from '../helpers/lambda';
import { syncThroughApi } from '../helpers/org';

// The tier-drop alert through the real handler: syncs through the config API, the alert channel set
// with `/tier alerts`, Slack's Web API faked (it records chat.postMessage).
type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
let token: string;
let syncs = 0;

const HEADER = ['customer_id', 'name', 'last_purchase', 'orders', 'total_spend'];
/** Customers bought recently, often and much (Champions), or a year ago (they drop). */
const row = (i: number, name: string, lapsed: boolean) => [
  `W${i}`,
  name,
  lapsed ? '2023-05-01' : '2024-06-25',
  '12',
  String(9000 + i),
];
const sync = async (rows: string[][]) => {
  const commit = await syncThroughApi(world.api, token, [HEADER, ...rows], {
    syncId: `wayne-sync-${++syncs}`,
    asOf: '2024-06-30',
    chunkRows: 500,
  });
  expect(commit.status).toBe(200);
  return commit;
};
const alerts = () =>
  world.slack.calls.filter((c) => c.path === '/api/chat.postMessage' && c.body.channel === 'C0ALERTS');

beforeAll(async () => {
  world = await startLambdaWorld();
  await world.services.orgs.createOrg('wayne', 'Wayne Trading');
  await world.services.orgs.addMember('boss@wayne.test', { org: 'wayne', role: 'manager' });
  token = await world.issuer.token('boss@wayne.test');
  // Absolute thresholds, so a customer's tier depends on their own figures only.
  const config = getPreset('rfm-segments')!;
  config.scores = {
    scale: 5,
    recency: { method: 'thresholds', cuts: [30, 60, 120, 240] },
    frequency: { method: 'thresholds', cuts: [2, 3, 5, 10] },
    monetary: { method: 'thresholds', cuts: [100, 300, 1000, 3000] },
  };
  expect((await world.api('PUT', '/api/config', { baseVersion: 0, config }, token)).status).toBe(200);
  const { body } = await world.api('POST', '/api/link-codes', {}, token);
  await world.command(`link ${body.code}`, 'TWAYNE');
});
afterAll(() => world.close());

describe('tier-drop alerts', () => {
  it('are set with /tier alerts #channel and refused for anything else', async () => {
    const bad = (await world.command('alerts sales <!channel>', 'TWAYNE')).body as Json;
    expect(bad.text).toContain('is not a channel');
    expect(bad.text).not.toContain('<!channel>');
    const set = (await world.command('alerts <#C0ALERTS|sales>', 'TWAYNE')).body as Json;
    expect(set.text).toContain('<#C0ALERTS>');
    expect((await world.services.notify.get('wayne'))?.alertChannel).toBe('C0ALERTS');
  });

  it('post one message when a sync moves a Champion down, none when nothing drops', async () => {
    const names = ['Wayne Enterprises', 'Stark <!channel> & Co 🦇'];
    // The first sync has nothing to drop from; the second lapses Wayne only.
    await sync(names.map((n, i) => row(i, n, false)));
    expect(alerts()).toHaveLength(0);
    await sync(names.map((n, i) => row(i, n, i === 0)));
    expect(alerts()).toHaveLength(1);
    const message = alerts()[0].body as Json;
    expect(message.text).toBe("Wayne Enterprises dropped from Champions to Can't Lose Them");
    expect(blockKitProblems(message)).toEqual([]);
    await sync(names.map((n, i) => row(i, n, i === 0))); // the same book again: no drop
    expect(alerts()).toHaveLength(1);
  });

  it('summarise many drops in one message within Block Kit limits', async () => {
    const before = alerts().length;
    const name = (i: number) => `<!here> & ${i} ${'Ω'.repeat(5000)}`;
    await sync(Array.from({ length: 600 }, (_, i) => row(i, name(i), false)));
    // Two in three lapse: 400 drops, 599 (the highest spend) first.
    await sync(Array.from({ length: 600 }, (_, i) => row(i, name(i), i % 3 !== 0)));
    expect(alerts()).toHaveLength(before + 1);
    const message = alerts().at(-1)!.body as Json;
    expect(message.text).toBe('400 customers dropped from Champions in this sync');
    expect(message.blocks[0].text.text.split('\n')).toHaveLength(5);
    expect(message.blocks[0].text.text).toMatch(/^\*&lt;!here&gt; &amp; 599 Ω+…\* dropped from Champions/);
    expect(message.blocks[1].elements[0].text).toBe(
      "…and 395 more dropped from Champions: Can't Lose Them 395",
    );
    expect(JSON.stringify(message)).not.toContain('<!here>');
    expect(blockKitProblems(message)).toEqual([]);
  });

  it('never fail the sync when Slack refuses the post (logged)', async () => {
    world.slack.refused.set('C0ALERTS', 'not_in_channel');
    await sync([row(1, 'Kept', false)]);
    const commit = await sync([row(1, 'Kept', true)]);
    expect(commit.body.customers).toBe(1);
    expect(world.logs.join('\n')).toMatch(/tier-drop alert not sent.*not_in_channel/);
    world.slack.refused.clear();
  });
});
