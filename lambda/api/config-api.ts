/**
 * The config API the Sheets sidebar calls, behind the same Function URL as Slack: read, save
 * (optimistic lock), history and rollback of the configuration; customer sync; Slack link codes.
 * Every request carries a Google ID token; writes are for the organisation's managers only.
 */

import { checkConfig, contactRows } from '../../shared';
import { AuthError } from '../auth';
import { type HttpRequest, type HttpResponse, json, problem } from '../http';
import { defaultStoredConfig } from '../live-book';
import type { Services } from '../services';
import type { StoredConfig } from '../store/config-store';
import { isTransient } from '../store/dynamo';
import type { Membership } from '../store/org-store';
import { readJsonBody } from './body';
import { commitSync } from './sync';

interface Caller extends Membership {
  email: string;
}

type Route = (services: Services, caller: Caller, body: Record<string, unknown>) => Promise<HttpResponse>;

/** Configuration bodies: a large real one is tens of KB; a 500 KB label still gets a 400 naming its field. */
const CONFIG_BODY_BYTES = 1 << 20;
/** Sync chunks: Lambda Function URLs accept at most 6 MB of request. */
const SYNC_BODY_BYTES = 6 << 20;

const ROUTES: Record<string, { manager: boolean; run: Route; maxBytes?: number }> = {
  'GET /api/me': { manager: false, run: async (_, caller) => json(200, caller) },
  'GET /api/config': {
    manager: false,
    run: async (s, c) => json(200, view((await s.configs.current(c.org)) ?? defaultStoredConfig())),
  },
  'PUT /api/config': { manager: true, run: saveConfig },
  'GET /api/config/history': {
    manager: false,
    run: async (s, c) => json(200, { versions: (await s.configs.history(c.org)).map(view) }),
  },
  'POST /api/config/rollback': { manager: true, run: rollback },
  'POST /api/sync/upload': { manager: true, run: upload, maxBytes: SYNC_BODY_BYTES },
  'POST /api/sync/commit': { manager: true, run: commit },
  'POST /api/link-codes': {
    manager: true,
    run: async (s, c) => json(201, await s.orgs.createLinkCode(c.org, c.email)),
  },
  // The contact log for the sheet: one row per customer with a logged contact, header first.
  'GET /api/contacts': {
    manager: false,
    run: async (s, c) => json(200, { rows: contactRows((await s.contacts.states(c.org)).values()) }),
  },
};

export async function handleApi(services: Services, request: HttpRequest): Promise<HttpResponse> {
  const route = ROUTES[`${request.method} ${request.path}`];
  if (!route) return problem(404, `no such endpoint: ${request.method} ${request.path}`);
  const caller = await authenticate(services, request);
  if ('statusCode' in caller) return caller;
  if (route.manager && caller.role !== 'manager') {
    return problem(
      403,
      `${caller.email} may read this organisation's configuration but not change it; ask a manager`,
    );
  }
  let body: Record<string, unknown> = {};
  if (request.method !== 'GET' && request.body) {
    const read = readJsonBody(request.body, route.maxBytes ?? CONFIG_BODY_BYTES);
    if (!read.ok) return problem(read.status, read.error, read.details);
    body = read.value;
  }
  try {
    return await route.run(services, caller, body);
  } catch (error) {
    if (!isTransient(error)) throw error;
    // Every write here is all-or-nothing (a conditional put, or a pointer moved last), so "try again" is safe.
    return problem(
      503,
      `Tierwise could not reach its database just now (${(error as Error).name}: ${(error as Error).message.slice(0, 120)}). ` +
        'Nothing is half-written and your live data is as it was, unless a reload shows the change went through. Try again in a minute.',
      { retry: true },
    );
  }
}

async function authenticate(services: Services, request: HttpRequest): Promise<Caller | HttpResponse> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return problem(401, 'sign in: send "Authorization: Bearer <Google ID token>"');
  let email: string;
  try {
    ({ email } = await services.verifyToken(match[1]));
  } catch (error) {
    if (error instanceof AuthError) return problem(401, error.message);
    throw error;
  }
  const membership = await services.orgs.membership(email);
  if (!membership)
    return problem(403, `${email} is not a member of any Tierwise organisation; ask a manager to add you`);
  return { email, ...membership };
}

const view = (s: StoredConfig) => ({
  version: s.version,
  config: s.config,
  savedBy: s.savedBy,
  savedAt: s.savedAt,
  note: s.note,
  basedOn: s.basedOn,
});

function wholeNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

async function saveConfig(
  services: Services,
  caller: Caller,
  body: Record<string, unknown>,
): Promise<HttpResponse> {
  const baseVersion = wholeNumber(body.baseVersion);
  if (baseVersion === null)
    return problem(400, 'baseVersion must be the version your edit started from (0 for the first save)', {
      field: 'baseVersion',
    });
  const check = checkConfig(body.config);
  if (!check.valid) {
    return problem(400, 'the configuration has problems; nothing was saved', {
      errors: check.errors,
      uncovered: check.uncovered,
      shadowed: check.shadowed,
    });
  }
  const note = typeof body.note === 'string' ? body.note.slice(0, 500) : null;
  const result = await services.configs.save(caller.org, {
    config: check.config,
    baseVersion,
    savedBy: caller.email,
    note,
  });
  if (!result.ok) {
    const current = result.current ?? defaultStoredConfig();
    return problem(
      409,
      `someone saved version ${current.version} since you started from version ${baseVersion}; nothing was saved`,
      {
        current: view(current),
      },
    );
  }
  return json(200, view(result.saved));
}

async function rollback(
  services: Services,
  caller: Caller,
  body: Record<string, unknown>,
): Promise<HttpResponse> {
  const toVersion = wholeNumber(body.toVersion);
  const baseVersion = wholeNumber(body.baseVersion);
  if (toVersion === null || baseVersion === null)
    return problem(400, 'send toVersion (the version to restore) and baseVersion (the current one)');
  const target = await services.configs.get(caller.org, toVersion);
  if (!target) return problem(404, `there is no version ${toVersion}`);
  const result = await services.configs.save(caller.org, {
    config: target.config,
    baseVersion,
    savedBy: caller.email,
    note: `rollback to version ${toVersion}`,
    basedOn: toVersion,
  });
  if (!result.ok) {
    return problem(409, 'the configuration changed since you looked; nothing was rolled back', {
      current: view(result.current ?? defaultStoredConfig()),
    });
  }
  return json(200, view(result.saved));
}

const SYNC_ID = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_ROWS_PER_CHUNK = 5_000;
/** 2,000 chunks of 5,000 rows: ten million rows, far beyond a sheet's limit. */
const MAX_CHUNKS = 2_000;
const MAX_COLUMNS = 200;
/** Google Sheets holds at most 50,000 characters in a cell. */
const MAX_CELL_CHARS = 50_000;

/** The first cell that no sheet could have sent, with where it is, or null. */
function badCell(header: unknown[], rows: unknown[][], firstRow: number): string | null {
  if (header.length > MAX_COLUMNS)
    return `header has ${header.length} columns; at most ${MAX_COLUMNS} are accepted`;
  const long = header.findIndex((h) => typeof h !== 'string' || h.length > 200);
  if (long >= 0) return `header column ${long + 1} must be a name of at most 200 characters`;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row.length > MAX_COLUMNS)
      return `row ${firstRow + r} has ${row.length} cells; at most ${MAX_COLUMNS} are accepted`;
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      const where = `row ${firstRow + r}, column ${String(header[c] ?? c + 1).slice(0, 40)}`;
      if (cell !== null && !['string', 'number', 'boolean'].includes(typeof cell))
        return `${where}: a cell must be text, a number, true/false or empty`;
      if (typeof cell === 'string' && cell.length > MAX_CELL_CHARS)
        return `${where}: ${cell.length.toLocaleString('en')} characters; a cell holds at most ${MAX_CELL_CHARS.toLocaleString('en')}`;
    }
  }
  return null;
}

async function upload(
  services: Services,
  caller: Caller,
  body: Record<string, unknown>,
): Promise<HttpResponse> {
  const { syncId, header, rows } = body;
  const index = wholeNumber(body.index);
  const firstRow = wholeNumber(body.firstRow);
  if (typeof syncId !== 'string' || !SYNC_ID.test(syncId))
    return problem(400, 'syncId must be 8 to 64 letters, digits, - or _', { field: 'syncId' });
  if (index === null || index >= MAX_CHUNKS)
    return problem(400, `index must be the chunk number, from 0 to ${MAX_CHUNKS - 1}`, { field: 'index' });
  if (firstRow === null)
    return problem(400, 'firstRow must be the sheet row of the chunk’s first row', { field: 'firstRow' });
  if (!Array.isArray(header) || !header.every((h) => typeof h === 'string'))
    return problem(400, 'header must be a list of column names', { field: 'header' });
  if (!Array.isArray(rows) || !rows.every(Array.isArray))
    return problem(400, 'rows must be a list of rows (lists of cells)', { field: 'rows' });
  if (rows.length > MAX_ROWS_PER_CHUNK)
    return problem(400, `a chunk holds at most ${MAX_ROWS_PER_CHUNK} rows, got ${rows.length}`, {
      field: 'rows',
    });
  const bad = badCell(header, rows, firstRow);
  if (bad) return problem(400, `nothing was stored: ${bad}`, { field: 'rows' });
  if (await services.books.isCommitted(caller.org, syncId))
    return problem(409, `sync id "${syncId}" was committed already; start a new sync (with a new id)`, {
      field: 'syncId',
    });
  await services.books.putUpload(caller.org, syncId, { index, firstRow, header, rows });
  return json(200, { syncId, index, rows: rows.length });
}

function textMap(value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  if (entries.length > MAX_COLUMNS) return null;
  return entries.every(([k, v]) => k.length <= 200 && typeof v === 'string' && v.length <= 200)
    ? (value as Record<string, string>)
    : null;
}

async function commit(
  services: Services,
  caller: Caller,
  body: Record<string, unknown>,
): Promise<HttpResponse> {
  const chunks = wholeNumber(body.chunks);
  if (typeof body.syncId !== 'string' || !SYNC_ID.test(body.syncId))
    return problem(400, 'syncId must be the id the chunks were uploaded with', { field: 'syncId' });
  if (chunks === null || chunks < 1 || chunks > MAX_CHUNKS)
    return problem(400, `chunks must be the number of chunks uploaded (1 to ${MAX_CHUNKS})`, {
      field: 'chunks',
    });
  if (typeof body.asOf !== 'string')
    return problem(400, 'asOf must be the date of the sync, YYYY-MM-DD', { field: 'asOf' });
  const columns = body.columns === undefined ? undefined : textMap(body.columns);
  if (columns === null)
    return problem(400, 'columns must map field names to column names (texts)', { field: 'columns' });
  const result = await commitSync(services, caller.org, {
    syncId: body.syncId,
    chunks,
    asOf: body.asOf,
    columns,
  });
  if (!result.ok) return problem(result.status, result.error, result.details);
  return json(200, result);
}
