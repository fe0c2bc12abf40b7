import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V1_FIELDS } from '../../lambda/store/book-store';
import { bookKey, linkCodeKey, partSk } from '../../lambda/store/keys';
import { getPreset, type TierwiseConfig } from '../../shared';
import { startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

// Issue 10: hostile and careless input through the real Lambda handler, over dynalite.
type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
let manager: string;
const dir = mkdtempSync(join(tmpdir(), 'tierwise-hostile-'));

beforeAll(async () => {
  // On disk, as the sandbox keeps it, so the restart test below can reopen the same table.
  world = await startLambdaWorld({ now: () => new Date('2024-07-01T09:00:00Z'), dbPath: join(dir, 'db') });
  await world.services.orgs.createOrg('acme', 'Acme Trading');
  await world.services.orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  manager = await world.issuer.token('boss@acme.test');
});
afterAll(async () => {
  await world.close();
  rmSync(dir, { recursive: true, force: true });
});

/** rfm-segments with its model replaced by rules over a declared input `x`. */
function withInput(max: number, rules: TierwiseConfig['model']): TierwiseConfig {
  const config = getPreset('rfm-segments')!;
  config.model = rules;
  if (config.model.kind === 'rules') config.model.inputs = { x: { min: 0, max } };
  return config;
}
const tier = (config: TierwiseConfig, i: number) => config.tiers[i].key;
const put = (config: unknown, baseVersion = 0) =>
  world.api('PUT', '/api/config', { baseVersion, config }, manager);

describe('configuration bounds', () => {
  it('checks a declared input of 0..4294967294 by the rules’ own ranges, not value by value', async () => {
    const base = getPreset('rfm-segments')!;
    const gap = withInput(4294967294, {
      kind: 'rules',
      rules: [
        { when: { x: [null, 999] }, is: tier(base, 0) },
        { when: { x: [5000, null] }, is: tier(base, 1) },
      ],
    });
    const refused = await put(gap);
    expect(refused.status).toBe(400);
    expect(refused.body.uncovered).toEqual(['x=1000..4999']);
    const covered = withInput(4294967294, {
      kind: 'rules',
      rules: [
        { when: { x: [null, 999] }, is: tier(base, 0) },
        { when: { x: [1000, null] }, is: tier(base, 1) },
      ],
    });
    expect((await put(covered)).status).toBe(200);
  });

  it('answers 3e7 and 1e308 at once: the first by its runs, the second as out of range', async () => {
    const base = getPreset('rfm-segments')!;
    const rules = {
      kind: 'rules' as const,
      rules: [{ when: { x: [0, 10] as [number, number] }, is: tier(base, 0) }],
    };
    const wide = await put(withInput(3e7, rules), 1);
    expect(wide.body.uncovered).toEqual(['x=11..30000000']);
    const huge = await put(withInput(1e308, rules), 1);
    expect(huge.status).toBe(400);
    expect(huge.body.errors[0]).toMatchObject({ path: 'model.inputs.x.max' });
  });

  it('refuses a 500 KB label with its field path, and a body over 1 MB with 413', async () => {
    const config = getPreset('rfm-segments')!;
    config.tiers[2].label = 'x'.repeat(500_000);
    const res = await put(config, 1);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'tiers[2].label', message: 'has 500000 characters; at most 1000' },
    ]);
    config.tiers[2].label = 'x'.repeat(2_000_000);
    const big = await put(config, 1);
    expect(big.status).toBe(413);
    expect(big.body.error).toContain('at most 1,024 KB');
  });

  it('refuses 100,000-deep nesting before parsing it, naming where it got too deep', async () => {
    const deep = `{"baseVersion":1,"config":{"model":{"rules":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}}}`;
    const res = await world.call(
      (await import('../../sandbox/requests')).functionUrlEvent(
        '/api/config',
        'PUT',
        { 'content-type': 'application/json', authorization: `Bearer ${manager}` },
        deep,
      ),
    );
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body ?? '{}');
    expect(body.field).toMatch(/^config\.model\.rules\[0\]\[0\]\[0\]/);
    expect(body.error).toContain('deeper than 32 levels');
  });

  it('refuses long lists and long names wherever they are, with the path', async () => {
    const config = getPreset('rfm-segments')!;
    if (config.model.kind !== 'rules') throw new Error('rfm-segments is a rules model');
    const rule = config.model.rules[0];
    const many = { ...config, model: { ...config.model, rules: Array.from({ length: 501 }, () => rule) } };
    expect((await put(many, 1)).body.errors).toEqual([
      { path: 'model.rules', message: 'has 501 entries; at most 500' },
    ]);
    const named = {
      ...config,
      model: { ...config.model, rules: [{ ...rule, when: { ['k'.repeat(2000)]: [1, 2] } }] },
    };
    expect((await put(named, 1)).body.errors).toEqual([
      { path: 'model.rules[0].when', message: 'has a name of 2000 characters' },
    ]);
  });
});

describe('sync by bytes, not rows', () => {
  it('stores a legal 5,000-row chunk with two 80-character columns and commits it', async () => {
    // Random text barely compresses: 5,000 × 2 × 80 characters is ~1 MB gzipped, beyond one 400 KB item.
    const noise = () => randomBytes(60).toString('base64');
    const header = ['customer_id', 'name', 'owner', 'date', 'amount'];
    const rows = Array.from({ length: 5_000 }, (_, i) => [`C${i}`, noise(), noise(), '2024-05-01', '10.00']);
    const upload = await world.api(
      'POST',
      '/api/sync/upload',
      { syncId: 'wide-0001', index: 0, firstRow: 2, header, rows },
      manager,
    );
    expect(upload).toMatchObject({ status: 200, body: { rows: 5_000 } });
    const commit = await world.api(
      'POST',
      '/api/sync/commit',
      { syncId: 'wide-0001', chunks: 1, asOf: '2024-06-30' },
      manager,
    );
    expect(commit).toMatchObject({ status: 200, body: { customers: 5_000 } });
    const book = await world.services.books.readBook('acme', 'wide-0001');
    expect(book.find((r) => r.summary.customerId === 'C4999')?.summary.name).toBe(rows[4999][1]);
  });

  it('refuses a cell no sheet could hold, naming row and column', async () => {
    const res = await world.api(
      'POST',
      '/api/sync/upload',
      {
        syncId: 'wide-0002',
        index: 0,
        firstRow: 2,
        header: ['customer_id', 'name'],
        rows: [
          ['C1', 'ok'],
          ['C2', 'y'.repeat(50_001)],
        ],
      },
      manager,
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toContain('row 3, column name: 50,001 characters');
  });
});

describe('generations', () => {
  it('refuses a commit that reuses an earlier generation’s sync id; the live book stays, also after a restart', async () => {
    for (const syncId of ['gen-A-0001', 'gen-B-0001', 'gen-C-0001']) {
      const res = await syncThroughApi(world.api, manager, EXAMPLE_ROWS, { syncId, asOf: '2024-06-30' });
      expect(res.status).toBe(200);
    }
    // gen-B is the previous generation, gen-A was tidied away: both ids are spent.
    for (const syncId of ['gen-B-0001', 'gen-A-0001', 'wide-0001']) {
      const chunk = {
        syncId,
        index: 0,
        firstRow: 2,
        header: EXAMPLE_ROWS[0],
        rows: EXAMPLE_ROWS.slice(1, 11),
      };
      expect(await world.api('POST', '/api/sync/upload', chunk, manager)).toMatchObject({ status: 409 });
      const commit = { syncId, chunks: 1, asOf: '2024-06-30' };
      expect(await world.api('POST', '/api/sync/commit', commit, manager)).toMatchObject({
        status: 409,
        body: { field: 'syncId' },
      });
    }
    const meta = await world.services.orgs.meta('acme');
    expect(meta).toMatchObject({ generation: 'gen-C-0001', previousGeneration: 'gen-B-0001', customers: 20 });
    // Chunks for a committed id are refused at once, not only at the commit.
    const chunk = { syncId: 'gen-C-0001', index: 0, firstRow: 2, header: EXAMPLE_ROWS[0], rows: [] };
    expect(await world.api('POST', '/api/sync/upload', chunk, manager)).toMatchObject({
      status: 409,
      body: { field: 'syncId' },
    });
    // The current one is idempotent.
    const again = await world.api(
      'POST',
      '/api/sync/commit',
      { syncId: 'gen-C-0001', chunks: 3, asOf: '2024-06-30' },
      manager,
    );
    expect(again.body).toMatchObject({ alreadyCommitted: true, customers: 20 });

    // Restart: close everything, reopen the table from disk with fresh caches.
    await world.close();
    world = await startLambdaWorld({ now: () => new Date('2024-07-01T09:00:00Z'), dbPath: join(dir, 'db') });
    const reopened = await world.services.orgs.meta('acme');
    expect(reopened).toMatchObject({ generation: 'gen-C-0001', customers: 20 });
    expect(await world.services.books.readBook('acme', 'gen-C-0001')).toHaveLength(20);
    manager = await world.issuer.token('boss@acme.test');
    const late = { syncId: 'gen-B-0001', chunks: 1, asOf: '2024-06-30' };
    expect((await world.api('POST', '/api/sync/commit', late, manager)).status).toBe(409);
    expect((await world.services.orgs.meta('acme'))?.generation).toBe('gen-C-0001');
  });

  it('reads a book part written in the previous (positional) format', async () => {
    const summary = {
      customerId: 'OLD1',
      name: 'Old Format Ltd',
      owner: 'ana',
      unit: null,
      firstPurchase: 19000,
      lastPurchase: 19800,
      lastContact: null,
      orders: 3,
      purchaseDays: 3,
      repeatPurchases: 2,
      sinceLastPurchase: 10,
      firstToLastPurchase: 800,
      tenure: 810,
      totalSpend: 300,
      averageOrderValue: 100,
      repeatAverageSpend: 100,
      averageCycle: 400,
      profit: null,
      attributes: {},
    } as Record<string, unknown>;
    const v1 = [V1_FIELDS.map((f) => (f === 'tier' ? 'loyal' : f === 'previousTier' ? 'new' : summary[f]))];
    await world.services.db.send(
      new PutCommand({
        TableName: 'tierwise-test',
        Item: { pk: bookKey('acme', 'v1-gen-0001'), sk: partSk(0), data: gzipSync(JSON.stringify(v1)) },
      }),
    );
    const [record] = await world.services.books.readBook('acme', 'v1-gen-0001');
    const { unit: _, ...inDays } = summary; // summaries no longer carry a unit: durations are days
    expect(record).toEqual({ summary: inDays, tier: 'loyal', previousTier: 'new' });
    // A part that says its durations are in weeks is read in days.
    const weekly = [
      V1_FIELDS.map((f) => (f === 'unit' ? 'week' : f === 'tier' ? 'loyal' : (summary[f] ?? null))),
    ];
    await world.services.db.send(
      new PutCommand({
        TableName: 'tierwise-test',
        Item: { pk: bookKey('acme', 'v1-gen-0002'), sk: partSk(0), data: gzipSync(JSON.stringify(weekly)) },
      }),
    );
    const [week] = await world.services.books.readBook('acme', 'v1-gen-0002');
    expect(week.summary).toMatchObject({
      sinceLastPurchase: 70,
      firstToLastPurchase: 5600,
      tenure: 5670,
      averageCycle: 2800,
    });
    expect(week.summary).not.toHaveProperty('unit');
  });
});

describe('link codes and tokens fail closed', () => {
  it.each([['not a date'], ['2024-07-01'], [42], [null]])(
    'refuses a link code whose expiresAt is %j',
    async (expiresAt) => {
      await world.services.db.send(
        new PutCommand({
          TableName: 'tierwise-test',
          Item: { ...linkCodeKey('BROKEN22'), org: 'acme', expiresAt },
        }),
      );
      expect(await world.services.orgs.consumeLinkCode('BROKEN22')).toEqual({ ok: false, reason: 'expired' });
    },
  );

  it('still accepts a well-formed, unexpired code (the refusals above are about the expiry)', async () => {
    const { body } = await world.api('POST', '/api/link-codes', {}, manager);
    expect(await world.services.orgs.consumeLinkCode(body.code)).toEqual({ ok: true, org: 'acme' });
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['issued an hour in the future', { issuedAt: now() + 3600, expiresIn: now() + 7200 }],
    ['valid for 100 years', { expiresIn: '100y' }],
    ['issued two hours ago, still unexpired', { issuedAt: now() - 7200, expiresIn: '1h' }],
  ])('refuses an ID token %s', async (_, overrides) => {
    const token = await world.issuer.token('boss@acme.test', overrides);
    const res = await world.api('GET', '/api/me', undefined, token);
    expect(res.status).toBe(401);
    expect(res.body.error).toContain('the ID token was refused');
  });

  it('accepts a token issued a minute in the future (clock skew)', async () => {
    const token = await world.issuer.token('boss@acme.test', {
      issuedAt: now() + 60,
      expiresIn: now() + 3660,
    });
    expect((await world.api('GET', '/api/me', undefined, token)).status).toBe(200);
  });
});
