import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { ROOT } from '../helpers/cli';
import { loadBundle, TEST_BACKEND } from './fakes';

// Issue 9's blocker: the sidebar sends the manager's Google ID token with every server call. Whatever an
// editor of the spreadsheet changes (document properties, the config sheet, the arguments of any
// server function the sidebar exposes), the token goes to the server built into the add-on and nowhere else.
const EVIL = 'https://attacker.lambda-url.us-east-1.on.aws';

describe('an editor cannot redirect the user’s ID token', () => {
  it('ignores every place an editor can write, and sends the token only to the built-in server', () => {
    const sheet = loadBundle({ server: true });
    // What the old add-on read the address from, and whatever else an editor can put in the document.
    for (const key of ['backendUrl', 'BACKEND', 'server', 'url']) sheet.properties.set(key, EVIL);
    sheet.spreadsheet.sheets[0].fill([
      ['customer_id', 'last_purchase', 'orders', 'total_spend'],
      ['C1', '2024-06-01', 3, EVIL],
    ]);
    sheet.gs.sidebarState();
    sheet.spreadsheet.getRange("'Tierwise Config'!B1:C1").setValues([[EVIL, EVIL]]);
    // Every server function the sidebar can call, with an attacker's URL wherever a string goes.
    sheet.gs.saveConfig(getPreset('value-pyramid'), 0, EVIL);
    sheet.gs.configHistory();
    sheet.gs.rollbackConfig(1, 1);
    sheet.gs.refreshConfig();
    sheet.gs.restoreLastGood();
    sheet.gs.syncChunk(EVIL, 0, 2, ['customer_id'], [[EVIL]]);
    sheet.gs.syncCommit(EVIL, 1, '2024-06-30');
    sheet.gs.createLinkCode();
    expect(() => sheet.gs.setDataRange(EVIL)).toThrow(/is not a range/);
    expect(sheet.gs.setBackend).toBeUndefined(); // the old way to change the address is gone
    expect(sheet.fetches.length).toBeGreaterThan(8);
    for (const { url, token } of sheet.fetches) {
      expect(url.startsWith(`${TEST_BACKEND}/api/`)).toBe(true);
      expect(token).toBe('google-id-token-of-the-user');
    }
  });

  it('whitelists exactly the built-in server, so Apps Script itself refuses any other address', () => {
    const sheet = loadBundle({ server: true });
    expect(sheet.manifest.urlFetchWhitelist).toEqual([`${TEST_BACKEND}/`]);
    // The fake enforces the whitelist as Apps Script does: a fetch elsewhere would throw, not send.
    const fetch = (sheet.gs as unknown as { UrlFetchApp: { fetch: (u: string, o: object) => unknown } })
      .UrlFetchApp.fetch;
    expect(() => fetch(`${EVIL}/api/config`, {})).toThrow(/not allowed/);
  });

  it('has no way to set the address in the bundle at all', () => {
    const code = readFileSync(`${ROOT}dist/gas-shared/Server.html`, 'utf8');
    expect(code).toContain(TEST_BACKEND);
    expect(code).not.toMatch(/getProperty\(["'`]backendUrl/);
    expect(code).not.toContain('setBackend');
  });

  it('a sheet-only build never fetches and never asks for a token', () => {
    const sheet = loadBundle();
    sheet.gs.sidebarState();
    sheet.gs.saveConfig(getPreset('value-pyramid'), 0, null);
    expect(() => sheet.gs.createLinkCode()).toThrow(/built without a Tierwise server/);
    expect(sheet.fetches).toEqual([]);
    expect(readFileSync(`${ROOT}dist/gas/Server.html`, 'utf8')).not.toContain('getIdentityToken');
  });

  it('refuses to build with a server address that is not an https origin', () => {
    for (const bad of ['http://example.com', 'https://example.com/path?x=1', 'javascript:alert(1)']) {
      const run = spawnSync(process.execPath, ['scripts/build.mjs', '--apps-script-to', 'dist/gas-bad'], {
        cwd: ROOT,
        env: { ...process.env, TIERWISE_BACKEND_URL: bad },
        encoding: 'utf8',
      });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('must be an https origin');
    }
    // And a good one ends up, trailing slash trimmed, in the bundle and the whitelist.
    execFileSync(process.execPath, ['scripts/build.mjs', '--apps-script-to', 'dist/gas-good'], {
      cwd: ROOT,
      env: { ...process.env, TIERWISE_BACKEND_URL: 'https://abc.lambda-url.eu-west-1.on.aws/' },
    });
    const manifest = JSON.parse(readFileSync(`${ROOT}dist/gas-good/appsscript.json`, 'utf8'));
    expect(manifest.urlFetchWhitelist).toEqual(['https://abc.lambda-url.eu-west-1.on.aws/']);
  });
});
