import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JOB_LIFETIME_MS, runDeferred } from '../../lambda/slack/deferred';
import { customerKey } from '../../shared';
import { startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
let syncs = 0;
const text = (body: unknown): string => JSON.stringify(body);

/** A new generation of the book: not loaded by this instance yet, as after a cold start. */
async function coldBook() {
  const token = await world.issuer.token('boss@acme.test');
  const commit = await syncThroughApi(world.api, token, EXAMPLE_ROWS, {
    syncId: `sync-${String(++syncs).padStart(4, '0')}`,
    asOf: '2024-06-30',
  });
  expect(commit.status).toBe(200);
}

beforeAll(async () => {
  // A "large" book here is anything above 10 customers, so the cold path can be tested quickly.
  world = await startLambdaWorld({
    now: () => new Date('2024-07-01T09:00:00Z'),
    deferAboveCustomers: 10,
    users: { U0ANA: { name: 'ana', email: 'ana@acme.test' } },
  });
  await world.services.orgs.createOrg('acme', 'Acme Trading');
  await world.services.orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  await world.services.orgs.linkTeam('TACME', 'acme', 'test');
});
afterAll(() => world.close());
afterEach(() => vi.restoreAllMocks());

describe('a large book this instance has not loaded is answered after the acknowledgement', () => {
  it('slash commands: "Working on it" at once, then the answer through response_url', async () => {
    await coldBook();
    const reply = await world.command('summary', 'TACME');
    expect(text(reply.body)).toContain('Working on it');
    const answer = await world.slack.waitFor(reply.responseUrlPath);
    expect(answer.body).toMatchObject({
      replace_original: true,
      text: expect.stringContaining('20 customers'),
    });
    // Now warm: the next answer comes inside the acknowledgement.
    const warm = await world.command('summary', 'TACME');
    expect(text(warm.body)).toContain('20 customers');
  });

  it('buttons (pick, share) defer too', async () => {
    await coldBook();
    const picked = await world.action('tier_pick_0', customerKey('C001'), 'TACME');
    expect(picked.status).toBe(200);
    await vi.waitFor(() => {
      const posts = world.slack.calls.filter((c) => c.path === picked.responsePath);
      expect(posts.map((p) => p.body.text)).toEqual([
        'Working on it: the answer will appear here in a few seconds.',
        'Acme Corp: Loyal',
      ]);
    });
  });

  it('the App Home defers too: a notice at once, then the user’s view', async () => {
    await coldBook();
    const publishes = () => world.slack.calls.filter((c) => c.path === '/api/views.publish');
    const before = publishes().length;
    const opened = await world.event('TACME', 'EvColdHome', {
      type: 'app_home_opened',
      user: 'U0ANA',
      tab: 'home',
    });
    expect(opened.statusCode).toBe(200);
    await vi.waitFor(() => expect(publishes().length).toBe(before + 2));
    expect(text(publishes()[before].body.view)).toContain('Working on it');
    expect(text(publishes()[before + 1].body.view)).toContain('to contact this week for ana');
  });
});

describe('failures on the deferred path still answer the user', () => {
  it('says so at once when the asynchronous invocation cannot be started', async () => {
    await coldBook();
    const from = world.logs.length;
    const defer = world.services.defer;
    world.services.defer = async () => {
      throw new Error('Lambda Invoke: TooManyRequestsException');
    };
    try {
      const reply = await world.command('summary', 'TACME');
      expect(text(reply.body)).toContain('could not start working on that');
      expect(world.logs.slice(from).join('\n')).toContain('could not start the deferred slack-command');
    } finally {
      world.services.defer = defer;
    }
  });

  it('posts an apology through response_url when the deferred job fails', async () => {
    await coldBook();
    vi.spyOn(world.services.books, 'readBook').mockImplementation(async (org, generation) => {
      // The acknowledgement reads nothing; the deferred job's read fails.
      throw new Error(`DynamoDB throttled reading ${org}/${generation}`);
    });
    const reply = await world.command('due all', 'TACME');
    expect(text(reply.body)).toContain('Working on it');
    const apology = await world.slack.waitFor(reply.responseUrlPath);
    expect(apology.body).toMatchObject({ replace_original: true });
    expect(text(apology.body)).toContain('something went wrong');
  });

  it('drops a job older than a response_url lives instead of answering nobody', async () => {
    const from = world.logs.length;
    const path = '/respond/too-old';
    await runDeferred(world.services, {
      kind: 'slack-command',
      team_id: 'TACME',
      user_id: 'U0ANA',
      user_name: 'ana',
      text: 'summary',
      responseUrl: world.slack.responseUrl('too-old'),
      at: Date.now() - JOB_LIFETIME_MS - 1_000,
    });
    expect(world.logs.slice(from).join('\n')).toContain('dropped a slack-command job');
    expect(world.slack.calls.some((c) => c.path === path)).toBe(false);
    // The same job within its lifetime is answered: the check above could have failed.
    await runDeferred(world.services, {
      kind: 'slack-command',
      team_id: 'TACME',
      user_id: 'U0ANA',
      user_name: 'ana',
      text: 'summary',
      responseUrl: world.slack.responseUrl('too-old'),
      at: Date.now(),
    });
    expect(world.slack.calls.some((c) => c.path === path)).toBe(true);
  });
});
