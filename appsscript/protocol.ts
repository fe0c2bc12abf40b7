/**
 * What the sidebar and its server functions exchange through google.script.run: plain JSON (no Dates,
 * which google.script.run drops). Types only: `SidebarServer` is what appsscript/server.ts implements
 * (main.ts proves it to the compiler) and what the sidebar calls by name.
 *
 * The server sends facts and kinds, never sentences: the sidebar words every state in the user's
 * language (English or Chinese), and Code.js, loaded on every custom-function call, stays small.
 */

import type { ConfigProblem, HoldoutCheck, RowProblem, TierwiseConfig } from '../shared';

export type Locale = 'en' | 'zh';

export interface StoredVersion {
  version: number;
  config: TierwiseConfig;
  savedBy: string;
  savedAt: string;
  note: string | null;
}

export type SaveOutcome =
  | { ok: true; saved: StoredVersion }
  | { ok: false; conflict: StoredVersion }
  | { ok: false; errors: ConfigProblem[]; uncovered: string[]; shadowed: string[] }
  | { ok: false; failure: string };

/**
 * The customer data range, or why there is none yet. `range` is A1 with the sheet name. A data range the
 * manager chose is remembered per document; otherwise the first tab's used range is tried.
 */
export type DataStatus =
  /** A customer table (or transaction log) whose header Tierwise recognises. */
  | { kind: 'ready'; range: string; rows: number; header: string[] }
  /** Nothing to read: the sheet is empty. Next: insert the example, or paste the data and choose it. */
  | { kind: 'blank'; range: string }
  /**
   * Something else is there (a dashboard, notes, a table without an id column). `problem` is the core's
   * message (what is missing, what would be accepted); `candidates` are ranges on other tabs that look
   * like customer tables, best first (at most 5).
   */
  | { kind: 'not-a-table'; range: string; header: string[]; problem: string; candidates: string[] };

/**
 * The Tierwise server, which is built into the add-on (TIERWISE_BACKEND_URL at build time) and cannot
 * be changed from the spreadsheet: an editor must never be able to send the user's token elsewhere.
 */
export type ServerStatus =
  /** Built without a server: versions are kept in the spreadsheet; Slack and sync are unavailable. */
  | { kind: 'none' }
  | { kind: 'connected'; url: string }
  /** 401/403: the user is not a member of the organisation (or not allowed to manage it). */
  | { kind: 'not-member'; url: string; user: string; status: number; detail: string }
  /** No answer at all (DNS, timeout, TLS): `detail` is what UrlFetchApp said. */
  | { kind: 'unreachable'; url: string; detail: string }
  /** Any other answer (5xx, a malformed body). */
  | { kind: 'failed'; url: string; status: number; detail: string };

/**
 * Does the config range (what the formulas read) hold the version the sidebar shows?
 * The range carries the version it was written from and a checksum of what was written, so a hand edit
 * and a save made in another spreadsheet of the organisation are told apart.
 */
export type ConfigDrift =
  | { kind: 'in-sync' }
  /** No config range yet: formulas that pass it get the default; the first save creates it. */
  | { kind: 'missing' }
  /** The range holds an older (or other) saved version; `refreshConfig` writes the current one. */
  | { kind: 'behind'; rangeVersion: number; currentVersion: number }
  /**
   * Someone edited the range by hand and it still reads as a configuration (the formulas use it).
   * `restoreLastGood` writes `rangeVersion` back; saving `config` keeps the edit as a new version.
   */
  | { kind: 'hand-edited'; rangeVersion: number | null; config: TierwiseConfig }
  /** The range no longer reads as a configuration: every formula that passes it shows an error. */
  | { kind: 'broken'; rangeVersion: number | null; problem: string };

/** What the sidebar offers, in this order; each one maps to a button or a short instruction. */
export type NextStep =
  /** Select the customer table and press "use selection" (or pick a candidate): `setDataRange`. */
  | 'choose-range'
  /** `insertExample`: a sample sheet with data, formulas and the config range. */
  | 'insert-example'
  /** Ask an admin of the organisation to add `user` (Slack: /tierwise members add …). */
  | 'ask-admin'
  /** Try again later; the add-on's owner may need to check the deployment. */
  | 'retry'
  /** `refreshConfig`: write the server's (or the sheet history's) current version into the config range. */
  | 'refresh-config'
  /** `restoreLastGood`: write back the last saved version the range held. */
  | 'restore-last-good'
  /** Save the hand-edited configuration as a new version. */
  | 'keep-hand-edit'
  /** Show the short help (menu: Tierwise → Help). */
  | 'read-help';

export interface SidebarState {
  /**
   * The configuration to edit: the server's current version, the sheet's latest version, or — when the
   * server cannot be used — what the config range holds (then `canSave` is false).
   */
  config: TierwiseConfig;
  version: number;
  mode: 'sheet' | 'shared';
  canSave: boolean;
  /** The built-in server address, for display only (null without one). */
  backendUrl: string | null;
  server: ServerStatus;
  data: DataStatus;
  /** Same as `data.range` (kept for the sidebar's header line). */
  dataRange: string;
  drift: ConfigDrift;
  /** The configuration's locale, else the spreadsheet's (zh for any Chinese locale). */
  locale: Locale;
  /** The spreadsheet's time zone (IANA), in which every calendar day is read and written. */
  timeZone: string;
  user: string;
  next: NextStep[];
}

/** The customer data, Dates as YYYY-MM-DD in the spreadsheet's time zone. */
export interface SheetData {
  header: string[];
  rows: (string | number | boolean)[][];
  firstRow: number;
  range: string;
  /** Number formats of the first data row ("$#,##0.00"): where the sidebar finds the currency. */
  formats: string[];
}

/**
 * "Check the CLV model" on the sheet's transaction log (`HoldoutCheck`: bad dates, too little history,
 * a failed fit, or the comparison). A customer table cannot be checked: it has no purchase dates.
 */
export type HoldoutAnswer =
  | { kind: 'not-a-log'; range: string }
  | { kind: 'checked'; range: string; check: HoldoutCheck; rejected: number; firstRejected: RowProblem[] };

/** What the sidebar can call. Every function may throw (the sidebar shows the message). */
export interface SidebarServer {
  sidebarState(): SidebarState;
  /** The data range's contents; throws with the DataStatus problem when it is not a customer table. */
  sheetData(): SheetData;
  saveConfig(config: unknown, baseVersion: number, note: string | null): SaveOutcome;
  configHistory(): StoredVersion[];
  rollbackConfig(toVersion: number, baseVersion: number): SaveOutcome;
  /** Uses an A1 range (with or without a sheet name) or, with null, the current selection. */
  setDataRange(a1: string | null): DataStatus;
  /** Writes the current version into the config range (after a save elsewhere, or to undo a hand edit). */
  refreshConfig(): ConfigDrift;
  /** Writes back the last saved version the config range held (after a broken hand edit). */
  restoreLastGood(): ConfigDrift;
  /** Adds a "Tierwise example" sheet (sample customers, formulas, config range) and chooses it as the data. */
  insertExample(): DataStatus;
  /** Colours the TIER output column by tier (conditional formatting); returns how many rules were added. */
  formatByTier(): { rules: number; range: string };
  /** Creates or refreshes the "Due this week" sheet: customers whose next contact falls in the next 7 days. */
  dueThisWeek(): { sheet: string; rows: number };
  syncChunk(
    syncId: string,
    index: number,
    firstRow: number,
    header: string[],
    rows: unknown[][],
  ): { index: number };
  syncCommit(syncId: string, chunks: number, asOf: string): Record<string, unknown>;
  createLinkCode(): { code: string; expiresAt: string };
  /** Dates YYYY-MM-DD, or null for the default split of the data (see `defaultHoldoutDates`). */
  holdoutCheck(calibrationEnd: string | null, holdoutEnd: string | null): HoldoutAnswer;
}
