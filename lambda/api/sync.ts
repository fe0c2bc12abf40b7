/**
 * Customer sync from the sheet: chunks are uploaded into a new generation (idempotently, any order),
 * then one commit reads them back, runs them through the core's intake, scores them with the
 * configuration in force, writes the book, and moves the organisation's pointer in one write.
 */

import { intakeBook, parseDay, type RowProblem, scoreBook, type Table } from '../../shared';
import { defaultStoredConfig } from '../live-book';
import type { Services } from '../services';
import { alertTierDrops, tierDrops } from '../slack/alerts';

export interface CommitRequest {
  syncId: string;
  chunks: number;
  asOf: string;
  columns?: Record<string, string>;
}

export type CommitResult =
  | { ok: true; customers: number; rejected: RowProblem[]; generation: string; alreadyCommitted: boolean }
  | { ok: false; status: 400 | 409; error: string; details?: Record<string, unknown> };

export async function commitSync(
  services: Services,
  org: string,
  request: CommitRequest,
): Promise<CommitResult> {
  const meta = await services.orgs.meta(org);
  if (!meta) return { ok: false, status: 400, error: `organisation "${org}" does not exist` };
  if (meta.generation === request.syncId) {
    return {
      ok: true,
      customers: meta.customers,
      rejected: [],
      generation: request.syncId,
      alreadyCommitted: true,
    };
  }
  if (request.syncId === meta.previousGeneration) return reused(request.syncId);
  const asOf = parseDay(request.asOf);
  if (asOf === null)
    return { ok: false, status: 400, error: `asOf "${request.asOf}" is not a date; use YYYY-MM-DD` };
  if (!(await services.books.claimSync(org, request.syncId))) return reused(request.syncId);
  const uploads = (await services.books.readUploads(org, request.syncId)).sort((a, b) => a.index - b.index);
  const present = new Set(uploads.map((u) => u.index));
  const missing = Array.from({ length: request.chunks }, (_, i) => i).filter((i) => !present.has(i));
  if (missing.length > 0 || uploads.length !== request.chunks) {
    return {
      ok: false,
      status: 409,
      error: `the sync is incomplete: ${missing.length} of ${request.chunks} chunks are missing; upload them again, then commit`,
      details: { missing: missing.slice(0, 50) },
    };
  }
  const table: Table = {
    header: uploads[0].header,
    rows: uploads.flatMap((u) => u.rows),
    firstRowNumber: uploads[0].firstRow,
  };
  let intake: ReturnType<typeof intakeBook>;
  try {
    intake = intakeBook(table, { asOf, columns: request.columns });
  } catch (error) {
    return { ok: false, status: 400, error: (error as Error).message };
  }
  const config = ((await services.configs.current(org)) ?? defaultStoredConfig()).config;
  const scored = scoreBook(intake.customers, config, { asOf });
  const previous = meta.generation ? await services.books.readBook(org, meta.generation) : [];
  const previousTier = new Map(previous.map((r) => [r.summary.customerId, r.tier]));
  const records = intake.customers.map((summary, i) => ({
    summary,
    tier: scored.tier[i] >= 0 ? config.tiers[scored.tier[i]].key : null,
    previousTier: previousTier.get(summary.customerId) ?? null,
  }));
  await services.books.writeParts(org, request.syncId, records);
  await services.books.markCommitted(org, request.syncId);
  const switched = await services.orgs.switchGeneration(org, meta.generation, request.syncId, records.length);
  if (!switched) {
    // The same commit sent twice at once: the other request made it live.
    if ((await services.orgs.meta(org))?.generation === request.syncId) {
      return {
        ok: true,
        customers: records.length,
        rejected: intake.rejected,
        generation: request.syncId,
        alreadyCommitted: true,
      };
    }
    return { ok: false, status: 409, error: 'another sync finished first; sync again to replace it' };
  }
  // Tidy up: the generation before the previous one has no reader left (and is never the live one).
  const stale = meta.previousGeneration;
  if (stale && stale !== request.syncId && stale !== meta.generation)
    await services.books.deleteGeneration(org, stale);
  // This commit made the sync live (a replay returned above): at most one alert per sync.
  await alertTierDrops(services, org, config, tierDrops(config.tiers, records));
  return {
    ok: true,
    customers: records.length,
    rejected: intake.rejected,
    generation: request.syncId,
    alreadyCommitted: false,
  };
}

/** Generations are named by their sync id for ever; replaying an old one must not touch the live book. */
const reused = (syncId: string): CommitResult => ({
  ok: false,
  status: 409,
  error: `sync id "${syncId}" belongs to an earlier sync that was replaced since; nothing changed. Start a new sync (with a new id)`,
  details: { field: 'syncId' },
});
