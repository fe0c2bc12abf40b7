import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestDue, localTime } from '../../lambda/slack/digest';
import { type Json, startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;
let now = new Date('2024-07-01T05:00:00Z');

/** Globex's customer table: owners written as e-mails; dee has no Slack account. */
const GLOBEX_ROWS = [
  ['customer_id', 'name', 'owner', 'last_purchase', 'orders', 'total_spend'],
  ['G1', 'Globex East', 'cy@globex.test', '2024-05-01', '3', '900'],
  ['G2', 'Globex West', 'cy@globex.test', '2024-05-20', '2', '400'],
  ['G3', 'Globex North', 'dee@globex.test', '2024-05-02', '4', '1200'],
];

async function setUp(org: string, name: string, team: string, rows: string[][]) {
  await world.services.orgs.createOrg(org, name);
  await world.services.orgs.addMember(`boss@${org}.test`, { org, role: 'manager' });
  const token = await world.issuer.token(`boss@${org}.test`);
  const commit = await syncThroughApi(world.api, token, rows, {
    syncId: `sync-${org}-01`,
    asOf: '2024-06-30',
  });
  expect(commit.status).toBe(200);
  const { body } = await world.api('POST', '/api/link-codes', {}, token);
  await world.command(`link ${body.code}`, team);
}

const dms = () => world.slack.calls.filter((c) => c.path === '/api/chat.postMessage');
const runDigest = async () => {
  const response = await world.handler({ digest: true } as never, {});
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.body ?? '{}').digests as Json[];
};

beforeAll(async () => {
  world = await startLambdaWorld({
    now: () => now,
    users: {
      U0ANA: { name: 'ana', email: 'ana@acme.test' },
      U0BO: { name: 'bo', email: 'bo@acme.test' },
      U0CY: { name: 'cy', email: 'cy@globex.test' },
    },
  });
  await setUp('acme', 'Acme Trading', 'TACME', EXAMPLE_ROWS);
  await setUp('globex', 'Globex', 'TGLOBEX', GLOBEX_ROWS);
  // Acme's sheet names owners by first name: a manual override says who they are in Slack.
  expect(((await world.command('digest monday 9 Europe/Berlin', 'TACME')).body as Json).text).toContain(
    'Weekly digest: mondays at 9:00',
  );
  await world.command('owner ana = <@U0ANA|ana>', 'TACME');
  await world.command('owner bo = <@U0BO|bo>', 'TACME');
  await world.command('digest monday 9 America/New_York', 'TGLOBEX');
});
afterAll(() => world.close());

describe('the weekly digest', () => {
  it('reads local days and hours in each time zone', () => {
    expect(localTime(new Date('2024-07-01T07:30:00Z'), 'Europe/Berlin')).toEqual({
      date: '2024-07-01',
      weekday: 1,
      hour: 9,
    });
    expect(localTime(new Date('2024-07-01T03:30:00Z'), 'America/New_York')).toEqual({
      date: '2024-06-30',
      weekday: 0,
      hour: 23,
    });
    const settings = {
      org: 'x',
      teamId: 'T',
      timeZone: 'Asia/Shanghai',
      digestDay: 1,
      digestHour: 9,
      alertChannel: null,
      owners: {},
    };
    expect(digestDue(settings, new Date('2024-07-01T00:59:00Z'))).toBeNull(); // 08:59 in Shanghai
    expect(digestDue(settings, new Date('2024-07-01T01:00:00Z'))).toEqual({ date: '2024-07-01' });
  });

  it('sends each owner their own list, in each organisation’s hour, once', async () => {
    now = new Date('2024-07-01T05:00:00Z'); // 07:00 Berlin, 01:00 New York: nobody yet
    await runDigest();
    expect(dms()).toHaveLength(0);

    now = new Date('2024-07-01T07:30:00Z'); // 09:30 Berlin: Acme's owners
    const reports = await runDigest();
    // li owns customers too but has no Slack user and no override: reported, not guessed.
    expect(reports).toEqual([{ org: 'acme', sent: 2, unmatched: ['li'] }]);
    const acme = dms();
    expect(acme.map((c) => c.body.channel).sort()).toEqual(['U0ANA', 'U0BO']);
    for (const dm of acme) {
      const owner = dm.body.channel === 'U0ANA' ? 'ana' : 'bo';
      const other = owner === 'ana' ? 'bo' : 'ana';
      expect(JSON.stringify(dm.body.blocks)).toContain(`for ${owner}`);
      expect(JSON.stringify(dm.body.blocks)).not.toContain(` · ${other}\\n`);
      expect(JSON.stringify(dm.body.blocks)).toContain('tier_done_0');
    }
    await runDigest(); // the next run in the same hour, or a retry: nothing twice
    expect(dms()).toHaveLength(2);

    now = new Date('2024-07-01T13:30:00Z'); // 09:30 New York: Globex's
    const later = await runDigest();
    expect(later).toEqual([{ org: 'globex', sent: 1, unmatched: ['dee@globex.test'] }]);
    const globex = dms().slice(2);
    expect(globex.map((c) => c.body.channel)).toEqual(['U0CY']);
    expect(JSON.stringify(globex[0].body.blocks)).toContain('Globex East');
    expect(JSON.stringify(globex[0].body.blocks)).not.toContain('Globex North');
  });

  it('refuses settings it cannot follow, saying what would work', async () => {
    const reply = ((await world.command('digest someday 25 Mars/Olympus', 'TACME')).body as Json).text;
    expect(reply).toContain('a weekday, an hour from 0 to 23 and a time zone');
  });
});
