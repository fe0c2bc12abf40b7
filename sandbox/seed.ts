/** Seeds an organisation with customers and a linked Slack workspace, through the same services the API uses. */

import { commitSync } from '../lambda/api/sync';
import type { Services } from '../lambda/services';

export interface Seed {
  org: string;
  name: string;
  manager: string;
  teamId: string;
  /** Header row first. */
  rows: string[][];
  asOf: string;
}

const CHUNK_ROWS = 2_000;

export async function seedOrg(services: Services, seed: Seed): Promise<{ customers: number }> {
  await services.orgs.createOrg(seed.org, seed.name);
  await services.orgs.addMember(seed.manager, { org: seed.org, role: 'manager' });
  await services.orgs.linkTeam(seed.teamId, seed.org, 'seed');
  const meta = await services.orgs.meta(seed.org);
  if (meta?.generation) return { customers: meta.customers };
  const [header, ...data] = seed.rows;
  const syncId = `seed-${Date.now()}`;
  let chunks = 0;
  for (let from = 0; from < data.length; from += CHUNK_ROWS, chunks++) {
    await services.books.putUpload(seed.org, syncId, {
      index: chunks,
      firstRow: from + 2,
      header,
      rows: data.slice(from, from + CHUNK_ROWS),
    });
  }
  const result = await commitSync(services, seed.org, { syncId, chunks, asOf: seed.asOf });
  if (!result.ok) throw new Error(`seeding ${seed.org} failed: ${result.error}`);
  return { customers: result.customers };
}
