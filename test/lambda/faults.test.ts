import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import type { Fault, FaultPlan } from '../helpers/faulty-dynamo';
import { startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

// Issue 10: DynamoDB misbehaving on the wire (a proxy in front of dynalite), through the real handler
// and the real SDK client. Every operation either completes or fails with a clear message, and
// nothing is lost or half-visible.
type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
let manager: string;
const TEAM = 'TFAULT';

beforeAll(async () => {
  world = await startLambdaWorld({ now: () => new Date('2024-07-01T09:00:00Z'), faulty: true });
  await world.services.orgs.createOrg('acme', 'Acme Trading');
  await world.services.orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  await world.services.orgs.linkTeam(TEAM, 'acme', 'test');
  manager = await world.issuer.token('boss@acme.test');
  const first = await syncThroughApi(world.api, manager, EXAMPLE_ROWS, {
    syncId: 'base-0001',
    asOf: '2024-06-30',
  });
  expect(first.status).toBe(200);
});
afterEach(() => world.faults!.plan(null));
afterAll(() => world.close());

/** Fails every `every`-th request of the given operations (all when none are named) with `fault`. */
function every(n: number, fault: Fault, operations?: string[]): FaultPlan {
  let seen = 0;
  return (operation) => {
    if (operations && !operations.includes(operation)) return null;
    return ++seen % n === 0 ? fault : null;
  };
}
const always =
  (fault: Fault, operations?: string[]): FaultPlan =>
  (operation) =>
    !operations || operations.includes(operation) ? fault : null;

const liveGeneration = async () => (await world.services.orgs.meta('acme'))?.generation;

describe('transient faults are ridden out', () => {
  it('completes a sync while every other request is throttled', async () => {
    world.faults!.plan(every(2, { kind: 'throttle' }));
    const res = await syncThroughApi(world.api, manager, EXAMPLE_ROWS, {
      syncId: 'throttled-0001',
      asOf: '2024-06-30',
    });
    world.faults!.plan(null);
    expect(res).toMatchObject({ status: 200, body: { customers: 20 } });
    expect(world.faults!.faults('throttle')).toBeGreaterThan(5);
    expect(await world.services.books.readBook('acme', 'throttled-0001')).toHaveLength(20);
  });

  it('writes every item when BatchWriteItem hands most of them back unprocessed', async () => {
    // 600 customers with long names: several parts, several pieces; each batch writes 1 item per round.
    const header = EXAMPLE_ROWS[0];
    const rows = Array.from({ length: 600 }, (_, i) => [
      `P${i}`,
      `Partial ${i} ${'x'.repeat(60)}`,
      'ana',
      '2024-05-01',
      '12.50',
    ]);
    world.faults!.plan(always({ kind: 'partial', keep: 1 }, ['BatchWriteItem']));
    const res = await syncThroughApi(world.api, manager, [header, ...rows], {
      syncId: 'partial-0001',
      asOf: '2024-06-30',
      chunkRows: 600,
    });
    world.faults!.plan(null);
    expect(res).toMatchObject({ status: 200, body: { customers: 600 } });
    expect(world.faults!.faults('partial')).toBeGreaterThan(0);
    const book = await world.services.books.readBook('acme', 'partial-0001');
    expect(new Set(book.map((r) => r.summary.customerId)).size).toBe(600);
  });

  it('saves a configuration once when the first answer is lost, and says it was saved', async () => {
    const before = (await world.api('GET', '/api/config', undefined, manager)).body.version;
    world.faults!.plan(
      (() => {
        let lost = false;
        return (operation, body) => {
          const conditional =
            operation === 'PutItem' &&
            String(body.ConditionExpression ?? '').includes('attribute_not_exists');
          if (!conditional || lost) return null;
          lost = true;
          return { kind: 'lose-response' };
        };
      })(),
    );
    const saved = await world.api(
      'PUT',
      '/api/config',
      { baseVersion: before, config: getPreset('value-pyramid') },
      manager,
    );
    world.faults!.plan(null);
    expect(world.faults!.faults('lose-response')).toBe(1);
    expect(saved).toMatchObject({ status: 200, body: { version: before + 1 } });
    const history = await world.api('GET', '/api/config/history', undefined, manager);
    expect(history.body.versions[0]).toMatchObject({
      version: before + 1,
      config: { name: 'value-pyramid' },
    });
  });

  it('creates a link code when the first write’s answer is lost, and the code works', async () => {
    world.faults!.plan(
      (() => {
        let lost = false;
        return (operation, body) => {
          if (lost || operation !== 'PutItem' || !String(JSON.stringify(body.Item)).includes('LINKCODE'))
            return null;
          lost = true;
          return { kind: 'lose-response' };
        };
      })(),
    );
    const res = await world.api('POST', '/api/link-codes', {}, manager);
    world.faults!.plan(null);
    expect(res.status).toBe(201);
    expect(await world.services.orgs.consumeLinkCode(res.body.code)).toEqual({ ok: true, org: 'acme' });
  });

  it('gives up on a hung request after its timeout and retries it', async () => {
    let hung = 0;
    world.faults!.plan((operation) => (operation === 'GetItem' && hung++ === 0 ? { kind: 'hang' } : null));
    const res = await world.api('GET', '/api/me', undefined, manager);
    expect(res).toMatchObject({ status: 200, body: { org: 'acme' } });
    expect(world.faults!.faults('hang')).toBe(1);
  }, 20_000);
});

describe('persistent faults fail clearly and change nothing', () => {
  it('answers a commit with 503 "try again" while DynamoDB throttles, keeps the live book, then commits on retry', async () => {
    const live = await liveGeneration();
    const customers = (await world.services.books.readBook('acme', live!)).length;
    const header = EXAMPLE_ROWS[0];
    const upload = await world.api(
      'POST',
      '/api/sync/upload',
      { syncId: 'stuck-0001', index: 0, firstRow: 2, header, rows: EXAMPLE_ROWS.slice(1) },
      manager,
    );
    expect(upload.status).toBe(200);
    // The book parts never get written: BatchWriteItem is throttled for good.
    world.faults!.plan(always({ kind: 'throttle' }, ['BatchWriteItem']));
    const commit = { syncId: 'stuck-0001', chunks: 1, asOf: '2024-06-30' };
    const failed = await world.api('POST', '/api/sync/commit', commit, manager);
    world.faults!.plan(null);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ retry: true });
    expect(failed.body.error).toMatch(/could not reach its database.*ThrottlingException.*Try again/s);
    expect(await liveGeneration()).toBe(live);
    expect(await world.services.books.readBook('acme', live!)).toHaveLength(customers);
    // Trying again, with the database back, completes the same sync.
    const retried = await world.api('POST', '/api/sync/commit', commit, manager);
    expect(retried).toMatchObject({ status: 200, body: { customers: 20, alreadyCommitted: false } });
    expect(await liveGeneration()).toBe('stuck-0001');
  }, 60_000);

  it('refuses a save with 503 and keeps the previous configuration', async () => {
    const current = (await world.api('GET', '/api/config', undefined, manager)).body;
    world.faults!.plan(always({ kind: 'error' }, ['PutItem']));
    const res = await world.api(
      'PUT',
      '/api/config',
      { baseVersion: current.version, config: getPreset('nine-grid') },
      manager,
    );
    world.faults!.plan(null);
    expect(res.status).toBe(503);
    const after = (await world.api('GET', '/api/config', undefined, manager)).body;
    expect(after).toMatchObject({ version: current.version, config: { name: current.config.name } });
  }, 60_000);

  it('tells a Slack user to try again when the database cannot be read', async () => {
    world.faults!.plan(always({ kind: 'throttle' }, ['GetItem', 'Query']));
    const reply = await world.command('summary', TEAM);
    world.faults!.plan(null);
    // Inside the acknowledgement, or through response_url when the listener answered late.
    const said =
      reply.status === 200 && reply.body
        ? JSON.stringify(reply.body)
        : JSON.stringify((await world.slack.waitFor(reply.responseUrlPath, 30_000)).body);
    expect(said).toMatch(/try again/i);
  }, 60_000);
});
