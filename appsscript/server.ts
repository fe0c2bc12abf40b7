/**
 * What the sidebar calls through google.script.run. The configuration lives in a protected config
 * range that the formulas take as an argument, so a save changes an argument and Sheets recalculates
 * every formula that uses it. With a backend, saves go through the config API first (versioned,
 * shared with Slack); without one, versions are kept in a hidden history sheet.
 */

import { isDate, parseConfig, type TierwiseConfig, validateConfig } from '../shared';
import { configFrom } from './cells';
import { type ApiAnswer, apiFailure, saveOutcome, storedVersion } from './outcomes';
import type { SaveOutcome, SheetData, SidebarState, StoredVersion } from './protocol';

export const CONFIG_SHEET = 'Tierwise Config';
export const HISTORY_SHEET = 'Tierwise History';
/** The formulas' config argument: 'Tierwise Config'!A2:A41, JSON in chunks below a cell's limit. */
export const CONFIG_RANGE = 'A2:A41';
const CELL_CHUNK = 40_000;

const props = () => PropertiesService.getDocumentProperties();
const backendUrl = (): string | null => props().getProperty('backendUrl');
const user = (): string => Session.getActiveUser().getEmail() || 'you';

function configSheet(): GoogleAppsScript.Spreadsheet.Sheet {
  const book = SpreadsheetApp.getActiveSpreadsheet();
  let sheet = book.getSheetByName(CONFIG_SHEET);
  if (!sheet) {
    sheet = book.insertSheet(CONFIG_SHEET);
    sheet
      .getRange('A1')
      .setValue(
        `Tierwise configuration: edit it in the sidebar. Formulas read ${CONFIG_SHEET}!${CONFIG_RANGE}.`,
      );
    sheet.protect().setDescription('Tierwise configuration (edit in the sidebar)').setWarningOnly(true);
  }
  return sheet;
}

/** Writes the configuration where the formulas read it: the one step that makes them recalculate. */
export function writeConfigRange(config: TierwiseConfig): void {
  const json = JSON.stringify(config);
  const cells: string[][] = [];
  for (let i = 0; i < 40; i++) cells.push([json.slice(i * CELL_CHUNK, (i + 1) * CELL_CHUNK)]);
  configSheet().getRange(CONFIG_RANGE).setValues(cells);
}

export function readConfigRange(): TierwiseConfig {
  return configFrom(configSheet().getRange(CONFIG_RANGE).getValues());
}

function historySheet(): GoogleAppsScript.Spreadsheet.Sheet {
  const book = SpreadsheetApp.getActiveSpreadsheet();
  let sheet = book.getSheetByName(HISTORY_SHEET);
  if (!sheet) {
    sheet = book.insertSheet(HISTORY_SHEET);
    sheet.appendRow(['version', 'savedBy', 'savedAt', 'note', 'config']);
    sheet.hideSheet();
  }
  return sheet;
}

function localHistory(): StoredVersion[] {
  const rows = historySheet().getDataRange().getValues().slice(1);
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

/** A call to the config API with the user's Google ID token; never a shared secret. */
function api(method: 'get' | 'put' | 'post', path: string, body?: unknown): ApiAnswer {
  const response = UrlFetchApp.fetch(`${backendUrl()}${path}`, {
    method,
    contentType: 'application/json',
    headers: { Authorization: `Bearer ${ScriptApp.getIdentityToken()}` },
    muteHttpExceptions: true,
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const text = response.getContentText();
  return {
    status: response.getResponseCode(),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

export function sidebarState(): SidebarState {
  const url = backendUrl();
  if (url) {
    const current = api('get', '/api/config');
    if (current.status !== 200) throw new Error(apiFailure(current));
    const config = parseConfig(current.body.config);
    return {
      config,
      version: Number(current.body.version),
      mode: 'shared',
      backendUrl: url,
      dataRange: dataRangeA1(),
      user: user(),
    };
  }
  const latest = localHistory()[0];
  return {
    config: latest?.config ?? readConfigRange(),
    version: latest?.version ?? 0,
    mode: 'sheet',
    backendUrl: null,
    dataRange: dataRangeA1(),
    user: user(),
  };
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
  if (backendUrl()) {
    const outcome = saveOutcome(api('put', '/api/config', { config, baseVersion, note }));
    if (outcome.ok) writeConfigRange(outcome.saved.config);
    return outcome;
  }
  const latest = localHistory()[0];
  if ((latest?.version ?? 0) !== baseVersion && latest) return { ok: false, conflict: latest };
  const saved: StoredVersion = {
    version: baseVersion + 1,
    config,
    savedBy: user(),
    savedAt: new Date().toISOString(),
    note,
  };
  historySheet().appendRow([saved.version, saved.savedBy, saved.savedAt, note ?? '', JSON.stringify(config)]);
  writeConfigRange(config);
  return { ok: true, saved };
}

export function configHistory(): StoredVersion[] {
  if (!backendUrl()) return localHistory();
  const res = api('get', '/api/config/history');
  if (res.status !== 200) throw new Error(apiFailure(res));
  return (res.body.versions as unknown[]).map(storedVersion);
}

export function rollbackConfig(toVersion: number, baseVersion: number): SaveOutcome {
  if (backendUrl()) {
    const outcome = saveOutcome(api('post', '/api/config/rollback', { toVersion, baseVersion }));
    if (outcome.ok) writeConfigRange(outcome.saved.config);
    return outcome;
  }
  const target = localHistory().find((v) => v.version === toVersion);
  if (!target) return { ok: false, failure: `there is no version ${toVersion}` };
  return saveConfig(target.config, baseVersion, `rollback to version ${toVersion}`);
}

function dataRange(): GoogleAppsScript.Spreadsheet.Range {
  const saved = props().getProperty('dataRange');
  const book = SpreadsheetApp.getActiveSpreadsheet();
  return saved ? book.getRange(saved) : book.getSheets()[0].getDataRange();
}

const dataRangeA1 = (): string => {
  const range = dataRange();
  return `'${range.getSheet().getName()}'!${range.getA1Notation()}`;
};

/** The customer data for the sidebar's preview and sync: Dates as YYYY-MM-DD (google.script.run drops Dates). */
export function sheetData(): SheetData {
  const range = dataRange();
  const values = range.getValues();
  const iso = (d: Date): string =>
    `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const rows = values
    .slice(1)
    .map((row) => row.map((c: unknown) => (isDate(c) ? iso(c) : (c as string | number | boolean))));
  return { header: values[0].map(String), rows, firstRow: range.getRow() + 1, range: dataRangeA1() };
}

/** Uses the current selection (or an A1 range) as the customer data. */
export function setDataRange(a1: string | null): string {
  const range = a1 ? SpreadsheetApp.getActiveSpreadsheet().getRange(a1) : SpreadsheetApp.getActiveRange();
  if (!range) throw new Error('select the customer table first');
  props().setProperty('dataRange', `'${range.getSheet().getName()}'!${range.getA1Notation()}`);
  return dataRangeA1();
}

export function setBackend(url: string | null): void {
  if (url && !/^https:\/\/|^http:\/\/127\.0\.0\.1/.test(url))
    throw new Error('the server address must start with https://');
  if (url) props().setProperty('backendUrl', url.replace(/\/$/, ''));
  else props().deleteProperty('backendUrl');
}

/** One chunk of the customer sync (the sidebar sends them one by one, showing progress). */
export function syncChunk(
  syncId: string,
  index: number,
  firstRow: number,
  header: string[],
  rows: unknown[][],
): { index: number } {
  const res = api('post', '/api/sync/upload', { syncId, index, firstRow, header, rows });
  if (res.status !== 200) throw new Error(apiFailure(res));
  return { index };
}

export function syncCommit(syncId: string, chunks: number, asOf: string): Record<string, unknown> {
  const res = api('post', '/api/sync/commit', { syncId, chunks, asOf });
  if (res.status !== 200) throw new Error(apiFailure(res));
  return res.body;
}

export function createLinkCode(): { code: string; expiresAt: string } {
  if (!backendUrl()) throw new Error('connect a Tierwise server first (Settings → server address)');
  const res = api('post', '/api/link-codes', {});
  if (res.status !== 201) throw new Error(apiFailure(res));
  return res.body as { code: string; expiresAt: string };
}
