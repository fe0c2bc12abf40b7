/**
 * The sidebar in the sandbox, at /sidebar: the same built page as in Sheets, with google.script.run
 * answered by the sandbox over HTTP. Its server functions call the sandbox's own config API as the demo
 * manager (as the Apps Script ones do with UrlFetchApp), and the "sheet" is examples/transactions.csv.
 */

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { importJWK, type JWK, SignJWT } from 'jose';
import { type ApiAnswer, apiFailure, saveOutcome } from '../appsscript/outcomes';
import type { HoldoutAnswer, SidebarState } from '../appsscript/protocol';
import { checkHoldout, DEFAULT_CLV_OPTIONS, parseDay, parseTransactions } from '../shared';

type Fn = (...args: unknown[]) => Promise<unknown>;

/** The header that carries the page's token to /sidebar/run/<name>. */
export const RUN_TOKEN_HEADER = 'x-tierwise-sandbox';

/** google.script.run for the browser: each call is a POST to /sidebar/run/<name>, with the page's token. */
const SHIM = `<script>
window.google = { script: { get run() {
  let ok = () => {}, fail = () => {};
  const runner = new Proxy({}, { get(_, name) {
    if (name === 'withSuccessHandler') return (f) => { ok = f; return runner; };
    if (name === 'withFailureHandler') return (f) => { fail = f; return runner; };
    return (...args) => fetch('/sidebar/run/' + String(name), { method: 'POST', headers: { 'content-type': 'application/json', '${RUN_TOKEN_HEADER}': '__TOKEN__' }, body: JSON.stringify(args) })
      .then((r) => r.json()).then((r) => (r.ok ? ok(r.value) : fail(new Error(r.error))), (e) => fail(e));
  } });
  return runner;
} } };
</script>`;

export function sidebarPage(root: string, token: string): string {
  const shim = SHIM.replace('__TOKEN__', token);
  return readFileSync(`${root}dist/gas/Sidebar.html`, 'utf8').replace('<head>', () => `<head>${shim}`);
}

export function sidebarFunctions(options: {
  url: string;
  root: string;
  email: string;
  privateJwk: JWK;
  audience: string;
}): Record<string, Fn> {
  const token = async (): Promise<string> =>
    new SignJWT({ email: options.email, email_verified: true })
      .setProtectedHeader({ alg: 'RS256', kid: 'sandbox' })
      .setIssuer('https://accounts.google.com')
      .setAudience(options.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await importJWK(options.privateJwk, 'RS256'));
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${options.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const fail = (r: ApiAnswer): never => {
    throw new Error(apiFailure(r));
  };
  const csv = `${options.root}examples/transactions.csv`;
  return {
    sidebarState: async (): Promise<SidebarState> => {
      const r = await api('GET', '/api/config');
      if (r.status !== 200) fail(r);
      const config = r.body.config as SidebarState['config'];
      const [header, ...rows] = parse(readFileSync(csv, 'utf8'), { skip_empty_lines: true }) as string[][];
      const range = 'examples/transactions.csv';
      return {
        config,
        version: Number(r.body.version),
        mode: 'shared',
        canSave: true,
        backendUrl: options.url,
        server: { kind: 'connected', url: options.url },
        data: { kind: 'ready', range, rows: rows.length, header },
        dataRange: range,
        drift: { kind: 'in-sync' },
        locale: config.locale,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        user: options.email,
        next: [],
      };
    },
    sheetData: async () => {
      const [header, ...rows] = parse(readFileSync(csv, 'utf8'), { skip_empty_lines: true }) as string[][];
      return { header, rows, firstRow: 2, range: 'examples/transactions.csv', formats: [] };
    },
    saveConfig: async (config, baseVersion, note) =>
      saveOutcome(await api('PUT', '/api/config', { config, baseVersion, note })),
    rollbackConfig: async (toVersion, baseVersion) =>
      saveOutcome(await api('POST', '/api/config/rollback', { toVersion, baseVersion })),
    configHistory: async () => {
      const r = await api('GET', '/api/config/history');
      return r.status === 200 ? r.body.versions : fail(r);
    },
    syncChunk: async (syncId, index, firstRow, header, rows) => {
      const r = await api('POST', '/api/sync/upload', { syncId, index, firstRow, header, rows });
      return r.status === 200 ? { index } : fail(r);
    },
    syncCommit: async (syncId, chunks, asOf) => {
      const r = await api('POST', '/api/sync/commit', { syncId, chunks, asOf });
      return r.status === 200 ? r.body : fail(r);
    },
    createLinkCode: async () => {
      const r = await api('POST', '/api/link-codes', {});
      return r.status === 201 ? r.body : fail(r);
    },
    setDataRange: async () => {
      throw new Error(
        'the sandbox reads examples/transactions.csv; in Sheets, select your table and press this button',
      );
    },
    // The Sheets add-on's check, on the example log (20 customers: it says there is too little history).
    holdoutCheck: async (calibrationEnd, holdoutEnd): Promise<HoldoutAnswer> => {
      const [header, ...rows] = parse(readFileSync(csv, 'utf8'), { skip_empty_lines: true }) as string[][];
      const { log, rejected } = parseTransactions({ header, rows });
      const dates = { calibrationEnd: parseDay(calibrationEnd), holdoutEnd: parseDay(holdoutEnd) };
      const check = checkHoldout(log, dates, { unit: 'week', model: DEFAULT_CLV_OPTIONS.model });
      const range = 'examples/transactions.csv';
      return {
        kind: 'checked',
        range,
        check,
        rejected: rejected.length,
        firstRejected: rejected.slice(0, 3),
      };
    },
    refreshConfig: async () => ({ kind: 'in-sync' }),
    restoreLastGood: async () => ({ kind: 'in-sync' }),
  };
}
