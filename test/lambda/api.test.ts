import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
let now = new Date('2024-07-01T09:00:00Z');
let manager: string;
let viewer: string;
let rival: string;

beforeAll(async () => {
  world = await startLambdaWorld({ now: () => now });
  const { orgs } = world.services;
  await orgs.createOrg('acme', 'Acme Trading');
  await orgs.createOrg('globex', 'Globex');
  await orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  await orgs.addMember('clerk@acme.test', { org: 'acme', role: 'viewer' });
  await orgs.addMember('boss@globex.test', { org: 'globex', role: 'manager' });
  manager = await world.issuer.token('boss@acme.test');
  viewer = await world.issuer.token('clerk@acme.test');
  rival = await world.issuer.token('boss@globex.test');
});
afterAll(() => world.close());

describe('authentication', () => {
  it('refuses a request without a token', async () => {
    const res = await world.api('GET', '/api/config');
    expect(res.status).toBe(401);
    expect(res.body.error).toContain('Authorization: Bearer');
  });

  it.each([
    ['another audience', { audience: 'someone-else' }],
    ['another issuer', { issuer: 'https://evil.example' }],
    ['an expired token', { expiresIn: '-1m' }],
    ['an unverified e-mail', { emailVerified: false }],
  ])('refuses %s', async (_, overrides) => {
    const token = await world.issuer.token('boss@acme.test', overrides);
    expect((await world.api('GET', '/api/config', undefined, token)).status).toBe(401);
  });

  it('refuses a token signed by another key', async () => {
    const { testIssuer } = await import('../helpers/tokens');
    const other = await testIssuer('test-client.apps.googleusercontent.com');
    expect(
      (await world.api('GET', '/api/config', undefined, await other.token('boss@acme.test'))).status,
    ).toBe(401);
  });

  it('refuses someone who is not a member', async () => {
    const res = await world.api('GET', '/api/config', undefined, await world.issuer.token('stranger@x.test'));
    expect(res.status).toBe(403);
  });
});

describe('configuration versions', () => {
  it('serves the default preset as version 0 before any save', async () => {
    const res = await world.api('GET', '/api/config', undefined, viewer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 0, config: { name: 'rfm-segments' } });
  });

  it('saves a new version for a manager, and refuses a viewer', async () => {
    const config = getPreset('value-pyramid')!;
    const denied = await world.api('PUT', '/api/config', { baseVersion: 0, config }, viewer);
    expect(denied.status).toBe(403);
    const saved = await world.api('PUT', '/api/config', { baseVersion: 0, config, note: 'pyramid' }, manager);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ version: 1, savedBy: 'boss@acme.test', note: 'pyramid' });
  });

  it('answers a stale save with 409 and the current version, saving nothing', async () => {
    const config = getPreset('cycle-spend-grid')!;
    const stale = await world.api('PUT', '/api/config', { baseVersion: 0, config }, manager);
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ version: 1, config: { name: 'value-pyramid' } });
    expect((await world.api('GET', '/api/config', undefined, manager)).body.version).toBe(1);
  });

  it('lets only one of two simultaneous saves on the same base win', async () => {
    const a = getPreset('cycle-spend-grid')!;
    const b = getPreset('risk-revisit')!;
    const results = await Promise.all([
      world.api('PUT', '/api/config', { baseVersion: 1, config: a }, manager),
      world.api('PUT', '/api/config', { baseVersion: 1, config: b }, manager),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await world.api('GET', '/api/config', undefined, manager)).body.version).toBe(2);
  });

  it('refuses a malformed configuration with 400 and field paths, keeping the previous one', async () => {
    const broken = getPreset('rfm-segments')!;
    broken.tiers[1].action = '';
    broken.model = { kind: 'rules', rules: [{ when: { r: [4, 5] }, is: 'champions' }] };
    const res = await world.api('PUT', '/api/config', { baseVersion: 2, config: broken }, manager);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['tiers[1].action']);
    const coverage = getPreset('rfm-segments')!;
    coverage.model = { kind: 'rules', rules: [{ when: { r: [4, 5] }, is: 'champions' }] };
    const uncovered = await world.api('PUT', '/api/config', { baseVersion: 2, config: coverage }, manager);
    expect(uncovered.body.uncovered).toEqual(['r=1', 'r=2', 'r=3']);
    expect((await world.api('GET', '/api/config', undefined, manager)).body.version).toBe(2);
  });

  it('keeps the history with who and when, and rolls back as a new version', async () => {
    const history = await world.api('GET', '/api/config/history', undefined, viewer);
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const rolled = await world.api('POST', '/api/config/rollback', { toVersion: 1, baseVersion: 2 }, manager);
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({
      version: 3,
      basedOn: 1,
      note: 'rollback to version 1',
      config: { name: 'value-pyramid' },
    });
  });

  it('shows another organisation nothing of this one', async () => {
    const res = await world.api('GET', '/api/config', undefined, rival);
    expect(res.body).toMatchObject({ version: 0 });
    const history = await world.api('GET', '/api/config/history', undefined, rival);
    expect(history.body.versions).toEqual([]);
  });
});

describe('customer sync', () => {
  it('commits uploaded chunks as one book, reporting bad rows by sheet row', async () => {
    const rows = [...EXAMPLE_ROWS, ['C099', 'Bad Row Ltd', 'ana', 'someday', '10']];
    const res = await syncThroughApi(world.api, manager, rows, {
      syncId: 'sync-0001',
      asOf: '2024-06-30',
      chunkRows: 30,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customers: 20, alreadyCommitted: false });
    expect(res.body.rejected).toEqual([
      { row: 102, column: 'date', value: 'someday', reason: expect.stringContaining('not a date') },
    ]);
  });

  it('is idempotent: committing the same sync again changes nothing', async () => {
    const again = await world.api(
      'POST',
      '/api/sync/commit',
      { syncId: 'sync-0001', chunks: 4, asOf: '2024-06-30' },
      manager,
    );
    expect(again.body).toMatchObject({ customers: 20, alreadyCommitted: true });
  });

  it('refuses to commit while chunks are missing, and the old book stays', async () => {
    await world.api(
      'POST',
      '/api/sync/upload',
      {
        syncId: 'sync-0002',
        index: 1,
        firstRow: 32,
        header: EXAMPLE_ROWS[0],
        rows: EXAMPLE_ROWS.slice(31, 40),
      },
      manager,
    );
    const res = await world.api(
      'POST',
      '/api/sync/commit',
      { syncId: 'sync-0002', chunks: 2, asOf: '2024-06-30' },
      manager,
    );
    expect(res.status).toBe(409);
    expect(res.body.missing).toEqual([0]);
    expect((await world.services.orgs.meta('acme'))?.generation).toBe('sync-0001');
  });

  it('re-syncs atomically and remembers each customer’s previous tier', async () => {
    const res = await syncThroughApi(world.api, manager, EXAMPLE_ROWS.slice(0, 61), {
      syncId: 'sync-0003',
      asOf: '2024-06-30',
    });
    expect(res.status).toBe(200);
    const meta = await world.services.orgs.meta('acme');
    expect(meta).toMatchObject({ generation: 'sync-0003', previousGeneration: 'sync-0001' });
    const book = await world.services.books.readBook('acme', 'sync-0003');
    expect(book.every((r) => r.previousTier !== null)).toBe(true);
  });

  it('refuses sync writes from a viewer and bad uploads with the field named', async () => {
    expect(
      (
        await world.api(
          'POST',
          '/api/sync/upload',
          { syncId: 'sync-0004', index: 0, firstRow: 2, header: [], rows: [] },
          viewer,
        )
      ).status,
    ).toBe(403);
    const bad = await world.api(
      'POST',
      '/api/sync/upload',
      { syncId: 'x', index: 0, firstRow: 2, header: [], rows: [] },
      manager,
    );
    expect(bad).toMatchObject({ status: 400, body: { field: 'syncId' } });
  });
});

describe('link codes', () => {
  it('expire after 15 minutes', async () => {
    const { body } = await world.api('POST', '/api/link-codes', {}, manager);
    now = new Date(now.getTime() + 16 * 60_000);
    expect(await world.services.orgs.consumeLinkCode(body.code)).toEqual({ ok: false, reason: 'expired' });
    now = new Date('2024-07-01T09:00:00Z');
  });

  it('work once', async () => {
    const { body } = await world.api('POST', '/api/link-codes', {}, manager);
    const results = await Promise.all([
      world.services.orgs.consumeLinkCode(body.code),
      world.services.orgs.consumeLinkCode(body.code),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

it('answers /healthz', async () => {
  expect((await world.api('GET', '/healthz')).body).toEqual({ ok: true });
});
