/**
 * The sidebar in the sandbox, at /sidebar: the same built page as in Sheets, with google.script.run
 * answered by the sandbox over HTTP. Its server functions call the sandbox's own config API as the demo
 * manager (as the Apps Script ones do with UrlFetchApp), and the "sheet" is examples/transactions.csv.
 */

import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { type ApiAnswer, apiFailure, saveOutcome } from '../appsscript/outcomes';
import type { HoldoutAnswer, SidebarState } from '../appsscript/protocol';
import { checkHoldout, DEFAULT_CLV_OPTIONS, parseDay, parseTransactions } from '../shared';
import { EXAMPLE_CSV, exampleRows } from './examples';
import { googleScriptRunShim } from './gas-shim';
import { configApiClient } from './http';
import { idTokenSigner } from './id-token';

type Fn = (...args: unknown[]) => Promise<unknown>;

/** The header that carries the page's token to /sidebar/run/<name>. */
export const RUN_TOKEN_HEADER = 'x-tierwise-sandbox';

/** google.script.run for the browser: each call is a POST to /sidebar/run/<name>, with the page's token (hex). */
const send = (token: string) => `(name, args) =>
  fetch('/sidebar/run/' + name, { method: 'POST', headers: { 'content-type': 'application/json', '${RUN_TOKEN_HEADER}': '${token}' }, body: args })
    .then((r) => r.json()).then((r) => { if (r.ok) return r.value; throw new Error(r.error); })`;

export function sidebarPage(root: string, token: string): string {
  const shim = `<script>${googleScriptRunShim(send(token))}</script>`;
  return readFileSync(`${root}dist/gas/Sidebar.html`, 'utf8').replace('<head>', () => `<head>${shim}`);
}

export function sidebarFunctions(options: {
  url: string;
  root: string;
  email: string;
  privateJwk: JWK;
  audience: string;
}): Record<string, Fn> {
  const sign = idTokenSigner(options.privateJwk, { kid: 'sandbox', audience: options.audience });
  const api = configApiClient(options.url, () => sign(options.email));
  const fail = (r: ApiAnswer): never => {
    throw new Error(apiFailure(r));
  };
  return {
    sidebarState: async (): Promise<SidebarState> => {
      const r = await api('GET', '/api/config');
      if (r.status !== 200) fail(r);
      const config = r.body.config as SidebarState['config'];
      const [header, ...rows] = exampleRows(options.root);
      const range = EXAMPLE_CSV;
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
      const [header, ...rows] = exampleRows(options.root);
      return { header, rows, firstRow: 2, range: EXAMPLE_CSV, formats: [] };
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
      const [header, ...rows] = exampleRows(options.root);
      const { log, rejected } = parseTransactions({ header, rows });
      const dates = { calibrationEnd: parseDay(calibrationEnd), holdoutEnd: parseDay(holdoutEnd) };
      const check = checkHoldout(log, dates, { unit: 'week', model: DEFAULT_CLV_OPTIONS.model });
      return {
        kind: 'checked',
        range: EXAMPLE_CSV,
        check,
        rejected: rejected.length,
        firstRejected: rejected.slice(0, 3),
      };
    },
    refreshConfig: async () => ({ kind: 'in-sync' }),
    restoreLastGood: async () => ({ kind: 'in-sync' }),
  };
}
