/**
 * The sidebar's one way to the server: google.script.run as typed promises, by the names and types of
 * `SidebarServer` in protocol.ts. Arguments must be plain JSON (google.script.run drops Dates).
 */

import type { SidebarServer } from '../protocol';

interface ScriptRun {
  withSuccessHandler(f: (value: unknown) => void): ScriptRun;
  withFailureHandler(f: (error: Error) => void): ScriptRun;
  [name: string]: unknown;
}
declare const google: { script: { run: ScriptRun } };

export function call<K extends keyof SidebarServer>(
  name: K,
  ...args: Parameters<SidebarServer[K]>
): Promise<ReturnType<SidebarServer[K]>> {
  return new Promise((resolve, reject) => {
    const run = google.script.run
      .withSuccessHandler((v) => resolve(v as ReturnType<SidebarServer[K]>))
      .withFailureHandler(reject);
    (run[name] as (...a: unknown[]) => void)(...args);
  });
}
