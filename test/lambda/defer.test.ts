import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLambdaWorld } from '../helpers/lambda';
import { EXAMPLE_ROWS, syncThroughApi } from '../helpers/org';

type World = Awaited<ReturnType<typeof startLambdaWorld>>;
let world: World;

beforeAll(async () => {
  // A "large" book here is anything above 10 customers, so the cold path can be tested quickly.
  world = await startLambdaWorld({ now: () => new Date('2024-07-01T09:00:00Z'), deferAboveCustomers: 10 });
  await world.services.orgs.createOrg('acme', 'Acme Trading');
  await world.services.orgs.addMember('boss@acme.test', { org: 'acme', role: 'manager' });
  await world.services.orgs.linkTeam('TACME', 'acme', 'test');
  await syncThroughApi(world.api, await world.issuer.token('boss@acme.test'), EXAMPLE_ROWS, {
    syncId: 'sync-0001',
    asOf: '2024-06-30',
  });
});
afterAll(() => world.close());

it('acknowledges at once when a large book is not loaded yet, then answers through response_url', async () => {
  // The sync loaded nothing into this instance's book cache: a fresh reader, as after a cold start.
  const reply = await world.command('summary', 'TACME');
  expect(JSON.stringify(reply.body)).toContain('Working on it');
  const answer = await world.slack.waitFor(reply.responseUrlPath);
  expect(answer.body).toMatchObject({
    replace_original: true,
    text: expect.stringContaining('20 customers'),
  });
  // Now warm: the next answer comes inside the acknowledgement.
  const warm = await world.command('summary', 'TACME');
  expect(JSON.stringify(warm.body)).toContain('20 customers');
});
