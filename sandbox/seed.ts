/** Seeds an organisation with customers and a linked Slack workspace, through the same services the API uses. */

import { commitSync } from '../lambda/api/sync';
import type { Services } from '../lambda/services';
import { syncChunks } from '../shared';

export interface Seed {
  org: string;
  name: string;
  manager: string;
  teamId: string;
  /** Header row first. */
  rows: string[][];
  asOf: string;
}

export async function seedOrg(services: Services, seed: Seed): Promise<{ customers: number }> {
  await services.orgs.createOrg(seed.org, seed.name);
  await services.orgs.addMember(seed.manager, { org: seed.org, role: 'manager' });
  await services.orgs.linkTeam(seed.teamId, seed.org, 'seed');
  const meta = await services.orgs.meta(seed.org);
  if (meta?.generation) return { customers: meta.customers };
  const [header, ...data] = seed.rows;
  const syncId = `seed-${Date.now()}`;
  const chunks = syncChunks(header, data, 2);
  for (const chunk of chunks) await services.books.putUpload(seed.org, syncId, chunk);
  const result = await commitSync(services, seed.org, { syncId, chunks: chunks.length, asOf: seed.asOf });
  if (!result.ok) throw new Error(`seeding ${seed.org} failed: ${result.error}`);
  return { customers: result.customers };
}
