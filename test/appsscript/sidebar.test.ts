import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { GOOGLE_SCRIPT_RUN_SHIM, launchChromium } from '../helpers/browser';
import { ROOT } from '../helpers/cli';
import { EXAMPLE_ROWS } from '../helpers/org';
import { loadBundle } from './fakes';

// The built sidebar page in headless Chromium; google.script.run reaches the built Apps Script bundle
// running in node:vm with the same fakes as the custom-function tests.
let browser: Browser;
let page: Page;
let sheet: ReturnType<typeof loadBundle>;
const calls: string[] = [];

beforeAll(async () => {
  sheet = loadBundle();
  const [header, ...rows] = EXAMPLE_ROWS;
  sheet.spreadsheet.sheets[0].fill([
    header,
    ...rows.map((row) => row.map((cell, i) => (i === 4 ? Number(cell) : cell))),
  ]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 300, height: 1600 } });
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort()); // Google's CSS is out of reach here
  await page.exposeFunction('__gasCall', (name: string, args: unknown[]) => {
    calls.push(name);
    return JSON.parse(JSON.stringify(sheet.gs[name](...args)));
  });
  await page.addInitScript(GOOGLE_SCRIPT_RUN_SHIM);
  // Served from a (routed) URL rather than setContent, so the init script runs as on a navigation.
  const html = readFileSync(`${ROOT}dist/gas/Sidebar.html`, 'utf8');
  await page.route('http://127.0.0.1:9/sidebar', (route) =>
    route.fulfill({ body: html, contentType: 'text/html' }),
  );
  await page.goto('http://127.0.0.1:9/sidebar');
  await page.getByRole('table').waitFor();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const tierRow = (label: string) => page.locator('#preview tbody tr', { hasText: label });

it('shows the configuration and a preview computed from the sheet', async () => {
  await expect.poll(() => page.locator('#preview').innerText()).toContain('20 customers, revenue 71796.03');
  expect(await tierRow('Champions').innerText()).toContain('4 → 4');
  expect(calls).toContain('sheetData');
});

it('previews a threshold change before anything is saved', async () => {
  await page.getByLabel('Start from a preset').selectOption('value-pyramid');
  await expect.poll(() => tierRow('Platinum').innerText()).toContain('→');
  const before = await tierRow('Platinum').innerText();
  await page.getByLabel('Platinum: up to share of revenue (0–1)').fill('0.5');
  await expect.poll(() => tierRow('Platinum').innerText()).not.toBe(before);
  expect(await tierRow('Platinum').innerText()).toMatch(/0 → 3 \+3/); // the top three hold less than half between them
  expect(sheet.gs.configHistory()).toEqual([]); // nothing saved yet
});

it('shows a check failure beside the field and blocks saving', async () => {
  const field = page.getByLabel('Gold: up to share of revenue (0–1)');
  await field.fill('0.4');
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  await page.locator('.field-error:not([hidden])').first().waitFor({ state: 'visible' });
  await expect.poll(() => page.getByRole('button', { name: /^Save version/ }).isDisabled()).toBe(true);
  await field.fill('0.95');
  await expect.poll(() => page.getByRole('button', { name: /^Save version/ }).isDisabled()).toBe(false);
});

it('saves a new version and writes the config range the formulas read', async () => {
  await page.getByLabel('Note for the history (optional)').fill('half of revenue is platinum');
  await page.getByRole('button', { name: 'Save version 1' }).click();
  await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Saved version 1');
  const range = sheet.spreadsheet.getRange("'Tierwise Config'!A2:A41").getValues().flat().join('');
  expect(JSON.parse(range).model.cuts[0].upTo).toBe(0.5);
});

it('reports a concurrent save and keeps the manager’s edits', async () => {
  expect(sheet.gs.saveConfig(getPreset('cycle-spend-grid'), 1, 'by another manager')).toMatchObject({
    ok: true,
  });
  await page.getByLabel('Platinum: up to share of revenue (0–1)').fill('0.6');
  await page.getByRole('button', { name: 'Save version 2' }).click();
  const alert = page.locator('#save-status');
  await expect.poll(() => alert.innerText()).toContain('saved version 2 while you were editing');
  expect(await page.getByLabel('Platinum: up to share of revenue (0–1)').inputValue()).toBe('0.6');
  await page.getByRole('button', { name: 'Save mine as version 3' }).click();
  await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Saved version 3');
});

it('lists the history with rollback, and is usable from the keyboard', async () => {
  await page.getByRole('button', { name: 'Show history' }).click();
  await expect.poll(() => page.locator('#history').innerText()).toContain('v3');
  await page.locator('#history button[data-rollback="1"]').focus();
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.getByRole('status').first().innerText())
    .toContain('Rolled back: version 4 restores version 1');
  mkdirSync(`${ROOT}test/artifacts`, { recursive: true });
  await page.screenshot({ path: `${ROOT}test/artifacts/sidebar.png`, fullPage: true });
});

it('shows a visible message when a server call fails', async () => {
  sheet.gs.setBackend('https://abc.lambda-url.us-east-1.on.aws/');
  sheet.backend.handle = () => ({ status: 500, body: { error: 'boom' } });
  await page.getByRole('button', { name: 'Show history' }).click();
  await expect
    .poll(() => page.locator('#history').innerText())
    .toContain('Could not reach the server: the Tierwise server answered 500: boom');
});
