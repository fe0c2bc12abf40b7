import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { launchChromium, openSidebar } from '../helpers/browser';
import { ROOT } from '../helpers/cli';
import { EXAMPLE_ROWS } from '../helpers/org';
import { FakeBackend, loadBundle } from './fakes';

// The sidebar in Chromium (300 px) on the states the server side reports: a server that refuses the
// user (403) or does not answer, a config range that drifted from the saved version, a spreadsheet in
// Chinese before anything is saved. Each must leave the manager a way forward; each is screenshotted
// to test/artifacts/ and asserted on the DOM.

const ARTIFACTS = `${ROOT}test/artifacts`;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

type Sheet = ReturnType<typeof loadBundle>;

function withExample(sheet: Sheet): Sheet {
  const [header, ...rows] = EXAMPLE_ROWS;
  sheet.spreadsheet.sheets[0].fill([
    header,
    ...rows.map((row) => row.map((c, i) => (i === 4 ? Number(c) : c))),
  ]);
  return sheet;
}

const open = (
  sheet: Sheet,
  height = 900,
  user: { timezoneId?: string; locale?: string } = {},
): Promise<Page> =>
  openSidebar(browser, { ...user, height, call: (name, args) => sheet.gs[name](...(args as never[])) });

const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png` });

describe('a server that cannot be used still leaves a way forward', () => {
  it('403: says who to ask, keeps the preview and the editor, holds Save, and retries', async () => {
    const sheet = withExample(loadBundle({ server: true }));
    const real = sheet.backend.handle.bind(sheet.backend);
    sheet.backend.handle = () => ({
      status: 403,
      body: { error: 'manager@example.com is not a member of acme' },
    });
    const page = await open(sheet);
    const banner = page.locator('[data-server="not-member"]');
    await banner.waitFor();
    expect(await banner.innerText()).toContain(
      'You are not a member of this organisation on the Tierwise server.',
    );
    expect(await banner.innerText()).toContain(
      'Ask an owner of your Tierwise organisation to add manager@example.com',
    );
    expect(await banner.innerText()).toContain('manager@example.com is not a member of acme');
    await expect.poll(() => page.locator('[data-summary]').innerText()).toContain('20 customers');
    expect(await page.locator('[data-save-state]').innerText()).toContain(
      'Saving waits until the server answers',
    );
    await page.getByLabel('Start from a preset').selectOption('value-pyramid');
    expect(await page.getByRole('button', { name: /^Save version/ }).isDisabled()).toBe(true);
    await shot(page, 'server-403');
    // Added meanwhile: "Try again" reconnects without reloading the sidebar.
    sheet.backend.handle = real;
    await banner.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.locator('[data-server]').count()).toBe(0);
    expect(await page.locator('.badge').innerText()).toBe('shared with Slack');
    await page.close();
  });

  it('unreachable: explains, keeps working on the sheet’s copy, and retries', async () => {
    const sheet = withExample(loadBundle({ server: true }));
    sheet.backend.handle = () => {
      throw new Error('Address unavailable: https://tierwise-test.lambda-url.us-east-1.on.aws/api/config');
    };
    const page = await open(sheet);
    const banner = page.locator('[data-server="unreachable"]');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('The Tierwise server cannot be reached.');
    expect(await banner.innerText()).toContain('Address unavailable');
    expect(await banner.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    await expect.poll(() => page.locator('[data-summary]').innerText()).toContain('20 customers');
    expect(await page.locator('body').innerText()).not.toContain('could not start');
    await shot(page, 'server-unreachable');
    await page.close();
  });
});

describe('drift between the config range and the saved version', () => {
  it('another spreadsheet saved: offers to bring this one’s formulas up to date', async () => {
    const backend = new FakeBackend();
    const first = withExample(loadBundle({ server: true, backend }));
    const second = withExample(loadBundle({ server: true, backend }));
    first.gs.sidebarState();
    second.gs.sidebarState();
    expect(first.gs.saveConfig(getPreset('value-pyramid'), 0, 'from the other sheet')).toMatchObject({
      ok: true,
    });
    const page = await open(second);
    const banner = page.locator('[data-drift="behind"]');
    await banner.waitFor();
    expect(await banner.innerText()).toContain(
      'The formulas in this spreadsheet still use version 0; version 1 was saved',
    );
    await shot(page, 'drift-behind');
    await banner.getByRole('button', { name: 'Use version 1 in the formulas' }).click();
    await expect
      .poll(() => page.locator('#status').innerText())
      .toContain('The config range now holds the current version');
    expect(await page.locator('[data-drift]').count()).toBe(0);
    expect(second.gs.sidebarState().drift).toEqual({ kind: 'in-sync' });
    await page.close();
  });

  it('a broken hand edit: says every formula shows an error, and restores the last good version', async () => {
    const sheet = withExample(loadBundle());
    sheet.gs.saveConfig(getPreset('value-pyramid'), 0, null);
    sheet.spreadsheet.getRange("'Tierwise Config'!A2").setValue('{"schemaVersion": 1, oops');
    const page = await open(sheet);
    const banner = page.locator('[data-drift="broken"]');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('no longer reads as a configuration');
    await shot(page, 'drift-broken');
    await banner.getByRole('button', { name: 'Restore version 1' }).click();
    await expect.poll(() => page.locator('#status').innerText()).toContain('The last good version is back');
    expect(sheet.gs.sidebarState().drift).toEqual({ kind: 'in-sync' });
    await page.close();
  });

  it('a hand edit that still reads: loads it with the checks and the preview, to save as a version', async () => {
    const sheet = withExample(loadBundle());
    sheet.gs.saveConfig(getPreset('value-pyramid'), 0, null);
    const edited = getPreset('value-pyramid')!;
    edited.tiers[0].label = 'Diamond';
    sheet.spreadsheet.getRange("'Tierwise Config'!A2").setValue(JSON.stringify(edited));
    const page = await open(sheet);
    const banner = page.locator('[data-drift="hand-edited"]');
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Load the edit to save it' }).click();
    await expect.poll(() => page.locator('table.tiers').innerText()).toContain('Diamond');
    await page.getByRole('button', { name: 'Save version 2' }).click();
    await expect.poll(() => page.locator('#status').innerText()).toContain('Saved version 2');
    await page.close();
  });
});

describe('the spreadsheet’s language before a configuration exists', () => {
  it('a blank spreadsheet in Chinese: the first run in Chinese, with the example one press away', async () => {
    const sheet = loadBundle({ locale: 'zh_CN', timeZone: 'Asia/Shanghai' });
    const page = await open(sheet, 900, { timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    const problem = page.locator('[data-problem="blank"]');
    await problem.waitFor();
    expect(await problem.innerText()).toContain('中还没有客户数据。');
    await shot(page, 'first-run-blank-zh');
    await page.getByRole('button', { name: '插入示例' }).click();
    await expect.poll(() => page.locator('[data-summary]').count()).toBe(1);
    expect(await page.locator('[data-summary]').innerText()).toMatch(/位客户/);
    await page.close();
  });
});
