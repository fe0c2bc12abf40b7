/**
 * The sidebar's one way to the server: google.script.run as typed promises. Arguments must be plain
 * JSON (google.script.run drops Dates).
 */

import type { SaveOutcome, SheetData, SidebarState, StoredVersion } from '../protocol';

/** What the sidebar calls (until protocol.ts carries the server's interface, see issue 9). */
export interface SidebarCalls {
  sidebarState(): SidebarState;
  sheetData(): SheetData;
  saveConfig(config: unknown, baseVersion: number, note: string | null): SaveOutcome;
  configHistory(): StoredVersion[];
  rollbackConfig(toVersion: number, baseVersion: number): SaveOutcome;
  setDataRange(a1: string | null): string;
  syncChunk(
    syncId: string,
    index: number,
    firstRow: number,
    header: string[],
    rows: unknown[][],
  ): { index: number };
  syncCommit(
    syncId: string,
    chunks: number,
    asOf: string,
  ): { customers: number; rejected: { row: number; column: string; reason: string }[] };
  createLinkCode(): { code: string; expiresAt: string };
}

interface ScriptRun {
  withSuccessHandler(f: (value: unknown) => void): ScriptRun;
  withFailureHandler(f: (error: Error) => void): ScriptRun;
  [name: string]: unknown;
}
declare const google: { script: { run: ScriptRun } };

export function call<K extends keyof SidebarCalls>(
  name: K,
  ...args: Parameters<SidebarCalls[K]>
): Promise<ReturnType<SidebarCalls[K]>> {
  return new Promise((resolve, reject) => {
    const run = google.script.run
      .withSuccessHandler((v) => resolve(v as ReturnType<SidebarCalls[K]>))
      .withFailureHandler(reject);
    (run[name] as (...a: unknown[]) => void)(...args);
  });
}
