/**
 * What the sidebar and its server functions exchange through google.script.run: plain JSON (no Dates,
 * which google.script.run drops). Types only, shared by appsscript/server.ts and the sidebar page.
 */

import type { ConfigProblem, TierwiseConfig } from '../shared';

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

export interface SidebarState {
  config: TierwiseConfig;
  version: number;
  mode: 'sheet' | 'shared';
  backendUrl: string | null;
  dataRange: string;
  user: string;
}

/** The customer data, Dates as YYYY-MM-DD. */
export interface SheetData {
  header: string[];
  rows: (string | number | boolean)[][];
  firstRow: number;
  range: string;
}
