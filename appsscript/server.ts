/**
 * What the sidebar calls through google.script.run (the `SidebarServer` of protocol.ts). The configuration
 * lives in a protected config range that the formulas take as an argument, so a save changes an argument
 * and Sheets recalculates every formula that uses it. With a backend, saves go through the config API
 * first (versioned, shared with Slack); without one, versions are kept in a hidden history sheet.
 *
 * The backend address is built in (TIERWISE_BACKEND_URL at build time; urlFetchWhitelist is that exact
 * URL): nothing an editor of the spreadsheet can change decides where the user's ID token goes.
 */

import {
  defaultConfig,
  isDate,
  nextVersion,
  parseConfig,
  type TierwiseConfig,
  TierwiseError,
  validateConfig,
} from '../shared';
import { configFrom, recognise } from './cells';
import { type ApiAnswer, apiFailure, saveOutcome, storedVersion } from './outcomes';
import type {
  ConfigDrift,
  DataStatus,
  NextStep,
  SaveOutcome,
  ServerStatus,
  SheetData,
  SidebarState,
  StoredVersion,
} from './protocol';
import { isoOf, sheetLocale, sheetZone } from './zone';

/**
 * The config API, fixed when the add-on was built ("" for a sheet-only build). Used by name, never
 * copied into a variable, so each build drops the other mode's code.
 */
declare const BACKEND: string;

export const CONFIG_SHEET = 'Tierwise Config';
export const HISTORY_SHEET = 'Tierwise History';
/** The formulas' config argument: 'Tierwise Config'!A2:A41, JSON in chunks below a cell's limit. */
export const CONFIG_RANGE = 'A2:A41';
/** Beside it: the version the range was written from and a checksum of what was written. */
const STAMP = 'B2:C2';
const CELL_CHUNK = 40_000;

export const book = () => SpreadsheetApp.getActiveSpreadsheet();
const props = () => PropertiesService.getDocumentProperties();
const user = (): string => Session.getActiveUser().getEmail() || 'you';
const a1Of = (range: GoogleAppsScript.Spreadsheet.Range): string =>
  `'${range.getSheet().getName()}'!${range.getA1Notation()}`;

/** FNV-1a: tells a hand edit of the config range from what the sidebar wrote. */
function checksum(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** Runs `write` under the document lock: two editors saving at once cannot interleave their writes. */
function locked<T>(write: () => T): T {
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(20_000)) throw new Error('another editor is saving; try again in a moment');
  try {
    return write();
  } finally {
    lock.releaseLock();
  }
}

/**
 * The config sheet, protected so that only the one who created it (and the owner) can change it; where
 * the user may not restrict editors (e.g. their rights come from a group), a warning is the fallback.
 */
function configSheet(): GoogleAppsScript.Spreadsheet.Sheet {
  let sheet = book().getSheetByName(CONFIG_SHEET);
  if (sheet) return sheet;
  sheet = book().insertSheet(CONFIG_SHEET);
  sheet
    .getRange('A1:C1')
    .setValues([
      [
        `Tierwise configuration: edit it in the sidebar. Formulas read ${CONFIG_SHEET}!${CONFIG_RANGE}.`,
        'version',
        'checksum',
      ],
    ]);
  const protection = sheet.protect().setDescription('Tierwise configuration (edit in the sidebar)');
  try {
    protection.addEditor(Session.getEffectiveUser());
    protection.removeEditors(protection.getEditors());
    if (protection.canDomainEdit()) protection.setDomainEdit(false);
  } catch {
    protection.setWarningOnly(true);
  }
  return sheet;
}

/** Writes a version where the formulas read it: the one step that makes them recalculate. */
function writeConfigRange(version: number, config: TierwiseConfig): void {
  const json = JSON.stringify(config);
  const cells: string[][] = [];
  for (let i = 0; i < 40; i++) cells.push([json.slice(i * CELL_CHUNK, (i + 1) * CELL_CHUNK)]);
  const sheet = configSheet();
  try {
    sheet.getRange(CONFIG_RANGE).setValues(cells);
    sheet.getRange(STAMP).setValues([[version, checksum(json)]]);
  } catch (error) {
    throw new Error(
      `version ${version} is saved, but this spreadsheet's config range could not be written (${(error as Error).message}): the owner of the spreadsheet can open the sidebar and refresh it`,
    );
  }
}

function historySheet(): GoogleAppsScript.Spreadsheet.Sheet {
  let sheet = book().getSheetByName(HISTORY_SHEET);
  if (!sheet) {
    sheet = book().insertSheet(HISTORY_SHEET);
    sheet.appendRow(['version', 'savedBy', 'savedAt', 'note', 'config']);
    sheet.hideSheet();
  }
  return sheet;
}

function localHistory(): StoredVersion[] {
  const rows = book().getSheetByName(HISTORY_SHEET)?.getDataRange().getValues().slice(1) ?? [];
  return rows
    .map((r) => ({
      version: Number(r[0]),
      savedBy: String(r[1]),
      savedAt: String(r[2]),
      note: r[3] ? String(r[3]) : null,
      config: parseConfig(JSON.parse(String(r[4]))),
    }))
    .sort((a, b) => b.version - a.version);
}

/** The server could not be asked at all (no answer, as opposed to an answer that says no). */
class Unreachable extends Error {}

/** A call to the built-in config API with the user's Google ID token; never a shared secret. */
function api(method: 'get' | 'put' | 'post', path: string, body?: unknown): ApiAnswer {
  if (!BACKEND) throw new Error('this add-on was built without a Tierwise server (TIERWISE_BACKEND_URL)');
  let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
  try {
    response = UrlFetchApp.fetch(`${BACKEND}${path}`, {
      method,
      contentType: 'application/json',
      headers: { Authorization: `Bearer ${ScriptApp.getIdentityToken()}` },
      muteHttpExceptions: true,
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new Unreachable(`the Tierwise server at ${BACKEND} did not answer: ${(error as Error).message}`);
  }
  const text = response.getContentText();
  let parsed: Record<string, unknown>;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { error: `not JSON: ${text.slice(0, 120)}` };
  }
  return { status: response.getResponseCode(), body: parsed };
}

/** A call whose answer must be `ok`; anything else throws with the server's words. */
export function apiOk(method: 'get' | 'put' | 'post', path: string, body: unknown, ok = 200) {
  const answer = api(method, path, body);
  if (answer.status !== ok) throw new Error(apiFailure(answer));
  return answer.body;
}

interface Current {
  version: number;
  config: TierwiseConfig;
}

/** The current version: the server's, or the sheet history's newest, or the default (version 0). */
function current(): Current {
  if (BACKEND) {
    const body = apiOk('get', '/api/config', undefined);
    return { version: Number(body.version), config: parseConfig(body.config) };
  }
  return localHistory()[0] ?? { version: 0, config: defaultConfig(sheetLocale()) };
}

function serverStatus(): { server: ServerStatus; now: Current | null } {
  if (!BACKEND) return { server: { kind: 'none' }, now: current() };
  try {
    const answer = api('get', '/api/config');
    if (answer.status === 200) {
      const now = { version: Number(answer.body.version), config: parseConfig(answer.body.config) };
      return { server: { kind: 'connected', url: BACKEND }, now };
    }
    const detail = String(answer.body.error ?? 'no details');
    if (answer.status === 401 || answer.status === 403) {
      return {
        server: { kind: 'not-member', url: BACKEND, user: user(), status: answer.status, detail },
        now: null,
      };
    }
    return { server: { kind: 'failed', url: BACKEND, status: answer.status, detail }, now: null };
  } catch (error) {
    const detail = (error as Error).message;
    if (error instanceof Unreachable)
      return { server: { kind: 'unreachable', url: BACKEND, detail }, now: null };
    return { server: { kind: 'failed', url: BACKEND, status: 200, detail }, now: null };
  }
}

interface RangeContents {
  rows: unknown[][];
  text: string;
  version: number | null;
  sum: string;
}

function rangeContents(): RangeContents | null {
  const sheet = book().getSheetByName(CONFIG_SHEET);
  if (!sheet) return null;
  const rows = sheet.getRange(CONFIG_RANGE).getValues();
  const [[version, sum]] = sheet.getRange(STAMP).getValues();
  return {
    rows,
    text: rows.map((r) => String(r[0])).join(''),
    version: version === '' ? null : Number(version),
    sum: String(sum),
  };
}

/** Does the config range hold `now`? Saved elsewhere, edited by hand, or broken. */
function driftFrom(range: RangeContents | null, now: Current): ConfigDrift {
  if (!range) return { kind: 'missing' };
  const written = range.sum === checksum(range.text);
  if (written && range.version === now.version) return { kind: 'in-sync' };
  if (written && range.version !== null) {
    return { kind: 'behind', rangeVersion: range.version, currentVersion: now.version };
  }
  try {
    const config = configFrom(range.rows, sheetLocale);
    if (JSON.stringify(config) === JSON.stringify(now.config)) return { kind: 'in-sync' };
    return { kind: 'hand-edited', rangeVersion: range.version, config };
  } catch (error) {
    return { kind: 'broken', rangeVersion: range.version, problem: (error as Error).message };
  }
}

export function sidebarState(): SidebarState {
  const { server, now } = serverStatus();
  const range = rangeContents();
  let drift: ConfigDrift;
  let shown: Current;
  if (now) {
    if (!range) locked(() => writeConfigRange(now.version, now.config)); // usable from the first open
    drift = range ? driftFrom(range, now) : { kind: 'in-sync' };
    shown = now;
  } else {
    // The server cannot be used: show what the formulas use, read-only.
    const version = range?.version ?? 0;
    drift = range ? driftFrom(range, { version, config: readableConfig(range) }) : { kind: 'missing' };
    shown = { version, config: range ? readableConfig(range) : defaultConfig(sheetLocale()) };
  }
  const data = dataStatus();
  return {
    config: shown.config,
    version: shown.version,
    mode: BACKEND ? 'shared' : 'sheet',
    canSave: now !== null,
    backendUrl: BACKEND || null,
    server,
    data,
    dataRange: data.range,
    drift,
    locale: shown.config.locale,
    timeZone: sheetZone(),
    user: user(),
    next: nextSteps(server, data, drift),
  };
}

function readableConfig(range: RangeContents): TierwiseConfig {
  try {
    return configFrom(range.rows, sheetLocale);
  } catch {
    return defaultConfig(sheetLocale());
  }
}

function nextSteps(server: ServerStatus, data: DataStatus, drift: ConfigDrift): NextStep[] {
  const steps: NextStep[] = [];
  if (data.kind === 'blank') steps.push('insert-example', 'choose-range');
  if (data.kind === 'not-a-table') steps.push('choose-range', 'insert-example');
  if (server.kind === 'not-member') steps.push('ask-admin');
  if (server.kind === 'unreachable' || server.kind === 'failed') steps.push('retry');
  if (drift.kind === 'behind') steps.push('refresh-config');
  if (drift.kind === 'hand-edited') steps.push('keep-hand-edit', 'restore-last-good');
  if (drift.kind === 'broken') steps.push('restore-last-good');
  if (steps.length > 0) steps.push('read-help');
  return steps;
}

/**
 * Saves through the config API, which runs every check of the core (structure and coverage) and keeps
 * the version history. In sheet-only mode the sidebar has already run the same checks as the manager
 * edited; here the structure is validated again, so the config range never holds a configuration the
 * formulas cannot read. (The coverage proofs stay out of this script to keep custom functions' load small.)
 */
export function saveConfig(input: unknown, baseVersion: number, note: string | null): SaveOutcome {
  const validation = validateConfig(input);
  if (!validation.ok) return { ok: false, errors: validation.problems, uncovered: [], shadowed: [] };
  const config = validation.config;
  if (BACKEND) {
    const outcome = saveOutcome(api('put', '/api/config', { config, baseVersion, note }));
    if (outcome.ok) locked(() => writeConfigRange(outcome.saved.version, outcome.saved.config));
    return outcome;
  }
  return locked((): SaveOutcome => {
    const latest = localHistory()[0];
    const version = nextVersion(latest?.version, baseVersion);
    if (version === null) return { ok: false, conflict: latest };
    const saved: StoredVersion = {
      version,
      config,
      savedBy: user(),
      savedAt: new Date().toISOString(),
      note,
    };
    historySheet().appendRow([
      saved.version,
      saved.savedBy,
      saved.savedAt,
      note ?? '',
      JSON.stringify(config),
    ]);
    writeConfigRange(saved.version, config);
    return { ok: true, saved };
  });
}

export function configHistory(): StoredVersion[] {
  if (!BACKEND) return localHistory();
  return (apiOk('get', '/api/config/history', undefined).versions as unknown[]).map(storedVersion);
}

export function rollbackConfig(toVersion: number, baseVersion: number): SaveOutcome {
  if (BACKEND) {
    const outcome = saveOutcome(api('post', '/api/config/rollback', { toVersion, baseVersion }));
    if (outcome.ok) locked(() => writeConfigRange(outcome.saved.version, outcome.saved.config));
    return outcome;
  }
  const target = localHistory().find((v) => v.version === toVersion);
  if (!target) return { ok: false, failure: `there is no version ${toVersion}` };
  return saveConfig(target.config, baseVersion, `rollback to version ${toVersion}`);
}

/** Writes the current version into the config range. */
export function refreshConfig(): ConfigDrift {
  const now = current();
  locked(() => writeConfigRange(now.version, now.config));
  return driftFrom(rangeContents(), now);
}

/** Writes back the saved version the config range held before a hand edit (else the current one). */
export function restoreLastGood(): ConfigDrift {
  const held = rangeContents()?.version ?? null;
  const now = current();
  const target =
    held === null || held === now.version ? now : configHistory().find((v) => v.version === held);
  if (!target)
    throw new TierwiseError(`version ${held} is no longer in the history: refresh to version ${now.version}`);
  locked(() => writeConfigRange(target.version, target.config));
  return driftFrom(rangeContents(), now);
}

/** Tierwise's own sheets are never the customer data. */
const isOwn = (name: string): boolean => name.startsWith('Tierwise ') || name === DUE_SHEET;
export const DUE_SHEET = 'Due this week';

export function dataRange(): GoogleAppsScript.Spreadsheet.Range {
  const saved = props().getProperty('dataRange');
  if (saved) {
    try {
      return book().getRange(saved);
    } catch {
      // The sheet was renamed or deleted: fall back to the first tab.
    }
  }
  const first =
    book()
      .getSheets()
      .find((s) => !isOwn(s.getName())) ?? book().getSheets()[0];
  return first.getDataRange();
}

/** The header row of a range, trailing empty cells dropped. */
function headerOf(range: GoogleAppsScript.Spreadsheet.Range): string[] {
  const header = range
    .getSheet()
    .getRange(range.getRow(), range.getColumn(), 1, range.getNumColumns())
    .getValues()[0]
    .map((c) => String(c).trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  return header;
}

/** Whether `range` holds a customer table, and where else one might be. */
export function statusOf(range: GoogleAppsScript.Spreadsheet.Range): DataStatus {
  const a1 = a1Of(range);
  const header = headerOf(range);
  if (header.length === 0 && range.getSheet().getLastRow() === 0) return { kind: 'blank', range: a1 };
  const problem = recognise(header);
  if (problem === null) return { kind: 'ready', range: a1, rows: range.getNumRows() - 1, header };
  const candidates: string[] = [];
  for (const sheet of book().getSheets().slice(0, 30)) {
    if (candidates.length === 5) break;
    if (isOwn(sheet.getName()) || sheet.getName() === range.getSheet().getName() || sheet.getLastRow() < 2)
      continue;
    const other = sheet.getDataRange();
    if (recognise(headerOf(other)) === null) candidates.push(a1Of(other));
  }
  return { kind: 'not-a-table', range: a1, header, problem, candidates };
}

const dataStatus = (): DataStatus => statusOf(dataRange());

/** Remembers `range` as the customer data when it is a customer table. */
export function useRange(range: GoogleAppsScript.Spreadsheet.Range): DataStatus {
  const status = statusOf(range);
  if (status.kind === 'ready') props().setProperty('dataRange', status.range);
  return status;
}

/** The configuration the formulas use now (the config range's, else the current version), created if missing. */
export function configInUse(): TierwiseConfig {
  const range = rangeContents();
  if (range) return readableConfig(range);
  const now = current();
  locked(() => writeConfigRange(now.version, now.config));
  return now.config;
}

/** The data range's values with each Date as the day the spreadsheet shows (YYYY-MM-DD). */
export function dataValues(range = dataRange()): {
  header: string[];
  rows: SheetData['rows'];
  status: DataStatus;
} {
  const status = statusOf(range);
  if (status.kind !== 'ready') {
    throw new Error(
      status.kind === 'blank' ? `${status.range} is empty` : `${status.range}: ${status.problem}`,
    );
  }
  const values = range.getValues();
  const rows: SheetData['rows'] = [];
  for (let r = 1; r < values.length; r++) {
    rows.push(values[r].map((c) => (isDate(c) ? isoOf(c) : (c as string | number | boolean))));
  }
  return { header: status.header, rows, status };
}

/** The customer data for the sidebar's preview and sync: Dates as YYYY-MM-DD in the sheet's zone. */
export function sheetData(): SheetData {
  const range = dataRange();
  const { header, rows, status } = dataValues(range);
  const formats = rows.length
    ? range
        .getSheet()
        .getRange(range.getRow() + 1, range.getColumn(), 1, range.getNumColumns())
        .getNumberFormats()[0]
    : [];
  return { header, rows, firstRow: range.getRow() + 1, range: status.range, formats };
}

/** Uses the current selection (or an A1 range) as the customer data, if it is a customer table. */
export function setDataRange(a1: string | null): DataStatus {
  let range: GoogleAppsScript.Spreadsheet.Range | null;
  try {
    range = a1 ? book().getRange(a1) : SpreadsheetApp.getActiveRange();
  } catch {
    throw new Error(`"${a1}" is not a range: write it like 'Customers'!A1:F500`);
  }
  if (!range) throw new Error('select the customer table (with its header row) first');
  // One selected cell stands for the table around it.
  if (range.getNumRows() === 1 && range.getNumColumns() === 1) range = range.getSheet().getDataRange();
  return useRange(range);
}

/** One chunk of the customer sync (the sidebar sends them one by one, showing progress). */
export function syncChunk(
  syncId: string,
  index: number,
  firstRow: number,
  header: string[],
  rows: unknown[][],
): { index: number } {
  apiOk('post', '/api/sync/upload', { syncId, index, firstRow, header, rows });
  return { index };
}

export function syncCommit(syncId: string, chunks: number, asOf: string): Record<string, unknown> {
  return apiOk('post', '/api/sync/commit', { syncId, chunks, asOf });
}

export function createLinkCode(): { code: string; expiresAt: string } {
  return apiOk('post', '/api/link-codes', {}, 201) as { code: string; expiresAt: string };
}
