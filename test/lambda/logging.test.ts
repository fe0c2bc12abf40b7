import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boltLogger, createLogger, scrub } from '../../lambda/log';
import { BOT_TOKEN, SIGNING_SECRET, startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

// The logs a person searches in CloudWatch, from real requests through the handler: what they must
// say (request id, organisation, route, outcome, latency) and what they must never say.
type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
const lines: string[] = [];
const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const TEAM = 'TLOGS';

// Customer data in the test book: every name and every amount of the example transactions.
const [header, ...rows] = EXAMPLE_ROWS;
const NAMES = [...new Set(rows.map((r) => r[header.indexOf('name')]))];
const AMOUNTS = [...new Set(rows.map((r) => r[header.indexOf('amount')]))];

beforeAll(async () => {
  world = await startLambdaWorld({
    now: () => new Date('2024-07-01T09:00:00Z'),
    // Debug: the most the logger would ever write.
    log: createLogger({ level: 'debug', stage: 'test', write: (line) => lines.push(line) }),
  });
  const { orgs } = world.services;
  await orgs.createOrg('acme', 'Acme Trading');
  await orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  await orgs.linkTeam(TEAM, 'acme', 'test');
  const token = await world.issuer.token('boss@acme.test');
  await syncThroughApi(world.api, token, EXAMPLE_ROWS, { syncId: 'sync-logs', asOf: '2024-06-30' });
});
afterAll(() => world.close());
beforeEach(() => {
  lines.length = 0;
});

/** The captured lines without their clock readings, which can spell an amount by chance (20:22:55.133 has 55.13). */
const withoutClock = (): string =>
  lines
    .map((line) => {
      const { timestamp: _t, latencyMs: _l, _aws, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify({ ...rest, _aws: { ...(_aws as object), Timestamp: undefined } });
    })
    .join('\n');

/** Fails naming the first piece of customer data, token or secret found in the captured lines. */
function expectNoCustomerData(extra: string[] = []): void {
  const text = withoutClock().toLowerCase();
  for (const secret of [SIGNING_SECRET, BOT_TOKEN, 'xoxb-']) expect(text).not.toContain(secret);
  for (const name of NAMES) expect(text, `customer name ${name}`).not.toContain(name.toLowerCase());
  for (const amount of AMOUNTS) expect(text, `amount ${amount}`).not.toContain(amount);
  for (const value of extra) expect(text).not.toContain(value.toLowerCase());
}

describe('a /tier request logs who, where, how it ended and how long it took, and no customer data', () => {
  it('one request line for a lookup answered in the acknowledgement', async () => {
    const reply = await world.command('acme corp', TEAM);
    expect(JSON.stringify(reply.body)).toContain('Acme Corp'); // the answer did carry customer data
    const requests = parsed().filter((l) => l.message === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      level: 'info',
      service: 'tierwise',
      stage: 'test',
      requestId: expect.stringMatching(/^test-request-\d+$/),
      kind: 'slack',
      route: 'slack /tier',
      team: TEAM,
      org: 'acme',
      status: 200,
      outcome: 'ok',
      latencyMs: expect.any(Number),
      coldStart: expect.any(Boolean),
      fault: 0,
    });
    // The line is also a CloudWatch Embedded Metric Format record.
    expect(requests[0]._aws).toMatchObject({
      CloudWatchMetrics: [{ Namespace: 'Tierwise', Dimensions: [['stage', 'kind'], ['stage']] }],
    });
    // Figures the answer showed (spend, averages) appear in no log line either.
    const figures = JSON.stringify(reply.body).match(/\d[\d,]*\.\d\d/g) ?? [];
    expect(figures.length).toBeGreaterThan(0);
    expectNoCustomerData(['acme corp', ...figures, reply.event.body]);
  });

  it('the same for summaries, due lists, choices and the share button', async () => {
    await world.command('summary', TEAM);
    expect(JSON.stringify((await world.command('oscorp', TEAM)).body)).toContain('Oscorp');
    await world.command('due all', TEAM);
    await world.command('acme', TEAM);
    await world.action('tier_share', 'C001', TEAM);
    const routes = parsed()
      .filter((l) => l.message === 'request')
      .map((l) => [l.route, l.org, l.outcome]);
    expect(routes).toEqual([
      ['slack /tier', 'acme', 'ok'],
      ['slack /tier', 'acme', 'ok'],
      ['slack /tier', 'acme', 'ok'],
      ['slack /tier', 'acme', 'ok'],
      ['slack block_actions', 'acme', 'ok'],
    ]);
    expectNoCustomerData(['due all']);
  });

  it('reads the route from a base64-encoded body too', async () => {
    const { event } = await world.command('summary', TEAM);
    lines.length = 0;
    const body = Buffer.from(String(event.body)).toString('base64');
    await world.call({ ...event, body, isBase64Encoded: true });
    expect(parsed().find((l) => l.message === 'request')).toMatchObject({
      route: 'slack /tier',
      team: TEAM,
      status: 401, // the same signature again: a replay
    });
  });

  it('a refused request says so, without its body', async () => {
    const reply = await world.command('acme corp', TEAM, { secret: 'wrong-secret' });
    expect(reply.status).toBe(401);
    expect(parsed().find((l) => l.message === 'request')).toMatchObject({
      status: 401,
      outcome: 'refused',
      route: 'slack /tier',
    });
    expectNoCustomerData(['acme corp']);
  });

  it('config API calls name the caller organisation and route, not the configuration or rows', async () => {
    const token = await world.issuer.token('boss@acme.test');
    await world.api('GET', '/api/config', undefined, token);
    expect(parsed().find((l) => l.message === 'request')).toMatchObject({
      kind: 'api',
      route: 'GET /api/config',
      org: 'acme',
      outcome: 'ok',
    });
    expect(lines.join('\n')).not.toContain('boss@acme.test');
  });
});

describe('the logger', () => {
  it('drops lines below its level', () => {
    const out: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => out.push(l) });
    log.info('hidden');
    log.warn('shown', { n: 1 });
    expect(out.map((l) => JSON.parse(l).message)).toEqual(['shown']);
  });

  it('hands Bolt a logger that never writes its debug lines, objects or tokens', () => {
    const out: string[] = [];
    const bolt = boltLogger(createLogger({ level: 'debug', write: (l) => out.push(l) }));
    bolt.debug(`AWS event: ${JSON.stringify({ body: 'text=Oscorp' })}`);
    bolt.warn('token', 'xoxb-123-456-abc', { body: 'text=Oscorp' }, new Error('failed for xoxp-9-9'));
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]).message).toBe(
      'bolt: token xoxb-[redacted] [object] Error: failed for xoxp-[redacted]'.replace(/xox[bp]-/g, 'xox*-'),
    );
    expect(scrub('x'.repeat(10_000))).toHaveLength(500);
  });
});
