import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPreset } from '../../shared';
import { launchChromium, openSidebar } from '../helpers/browser';
import { ROOT } from '../helpers/cli';
import { EXAMPLE_ROWS } from '../helpers/org';
import { type FakeSheet, loadBundle } from './fakes';

// The built sidebar page in headless Chromium at Google's sidebar width (300 px); google.script.run
// reaches the built Apps Script bundle running in node:vm with the same fakes as the custom-function
// tests. Screenshots go to test/artifacts/ (gitignored) for a person to look at; the assertions are on
// the DOM, so the tests fail when the page is wrong.

const ARTIFACTS = `${ROOT}test/artifacts`;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** The example transactions with amounts as numbers, as a sheet holds them. */
function exampleSheet(target: FakeSheet): void {
  const [header, ...rows] = EXAMPLE_ROWS;
  target.fill([header, ...rows.map((row) => row.map((cell, i) => (i === 4 ? Number(cell) : cell)))]);
}

async function open(
  sheet: ReturnType<typeof loadBundle>,
  calls: string[] = [],
  height = 900,
  user: { timezoneId?: string; locale?: string } = {},
): Promise<Page> {
  return openSidebar(browser, {
    ...user,
    height,
    call: (name, args) => {
      calls.push(name);
      return sheet.gs[name](...(args as never[]));
    },
  });
}

const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage });

describe('editing, preview and saving', () => {
  let page: Page;
  let sheet: ReturnType<typeof loadBundle>;
  const calls: string[] = [];
  const tierRow = (key: string) => page.locator(`table.tiers tr[data-tier="${key}"]`);

  beforeAll(async () => {
    // An add-on built with a server (dist/gas-shared), whose config API the fakes answer.
    sheet = loadBundle({ server: true });
    exampleSheet(sheet.spreadsheet.sheets[0]);
    sheet.spreadsheet.sheets[0].formats.set('2,5', '[$$-409]#,##0.00'); // the amount column, as Sheets' "Currency"
    page = await open(sheet, calls, 1600);
    await page.locator('table.tiers').waitFor();
  }, 60_000);
  afterAll(() => page?.close());

  it('shows the configuration and a preview computed from the sheet, amounts in the sheet’s currency', async () => {
    await expect
      .poll(() => page.locator('[data-summary]').innerText())
      .toBe('20 customers · $71,796 revenue · as of 2024-06-27');
    expect(await tierRow('champions').innerText()).toMatch(/Champions\s+4\s+\$36,541/);
    expect(await page.locator('[data-movement]').innerText()).toBe(
      'No customer changes tier with these settings.',
    );
    expect(calls).toContain('sheetData');
  });

  it('previews a threshold change as movement before anything is saved', async () => {
    await page.getByLabel('Start from a preset').selectOption('value-pyramid');
    await tierRow('platinum').waitFor();
    await page.getByLabel('Platinum: up to share of revenue').fill('50');
    // Every customer moves from an RFM segment to a value tier; the table says where.
    // The top three hold less than half of the revenue between them.
    await expect.poll(() => tierRow('platinum').innerText()).toMatch(/Platinum\s+3 \+3/);
    expect(await page.locator('h3[data-movement]').innerText()).toMatch(/^20 customers change tier/);
    const champions = page.locator('table.movement tr', { hasText: 'Champions' });
    expect(await champions.locator('td.moved').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Revenue', exact: true }).click();
    await expect.poll(() => champions.innerText()).toMatch(/\$\d{1,3}(,\d{3})*/);
    expect(sheet.gs.configHistory()).toEqual([]); // nothing saved yet
  });

  it('shows a check failure beside the field and blocks saving', async () => {
    const field = page.getByLabel('Gold: up to share of revenue');
    await field.fill('40');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').first().innerText()).toContain(
      'must be greater than the tier before',
    );
    await expect.poll(() => page.getByRole('button', { name: /^Save version/ }).isDisabled()).toBe(true);
    expect(await page.locator('[data-save-state]').innerText()).toBe('1 problem to fix before saving.');
    await field.fill('95');
    await expect.poll(() => page.getByRole('button', { name: /^Save version/ }).isDisabled()).toBe(false);
  });

  it('keeps the focus and the typed text while the preview re-renders', async () => {
    const field = page.getByLabel('Platinum: up to share of revenue');
    await field.focus();
    await field.press('End');
    await field.press('Backspace');
    await field.type('5.5');
    await page.waitForTimeout(400); // the preview runs 150 ms after typing stops
    expect(await field.inputValue()).toBe('55.5');
    expect(await page.evaluate('document.activeElement.dataset.path')).toBe('model.cuts[0].upTo');
    await field.fill('50');
  });

  it('validates JSON with the core’s field paths before applying it', async () => {
    await page.locator('#fold-json summary').click();
    const json = page.getByLabel('Configuration JSON');
    const config = JSON.parse(await json.inputValue());
    config.model.cuts[1].upTo = 2;
    config.tiers[0].cadenceDays = 'weekly';
    await json.fill(JSON.stringify(config));
    await page.getByRole('button', { name: 'Check and apply' }).click();
    const refusal = page.locator('#fold-json .message.error');
    await expect.poll(() => refusal.innerText()).toContain('Not applied: 3 problems.');
    expect(await refusal.innerText()).toContain('model.cuts[1].upTo: must be between 0 and 1, got 2');
    expect(await refusal.innerText()).toContain('tiers[0].cadenceDays: must be a number, got "weekly"');
    expect(await page.getByLabel('Gold: up to share of revenue').inputValue()).toBe('95'); // draft untouched
    await json.fill('{"name": ');
    await page.getByRole('button', { name: 'Check and apply' }).click();
    await expect.poll(() => refusal.innerText()).toContain('this is not valid JSON');
    await page.getByRole('button', { name: 'Reset to the current settings' }).click();
    await page.locator('#fold-json summary').click();
  });

  it('saves a new version and writes the config range the formulas read', async () => {
    await page.getByLabel('Note for the history (optional)').fill('half of revenue is platinum');
    await page.getByRole('button', { name: 'Save version 1' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Saved version 1');
    const range = sheet.spreadsheet.getRange("'Tierwise Config'!A2:A41").getValues().flat().join('');
    expect(JSON.parse(range).model.cuts[0].upTo).toBe(0.5);
    expect(await page.locator('[data-save-state]').innerText()).toBe('No changes yet.');
  });

  it('reports a concurrent save and keeps the manager’s edits', async () => {
    expect(sheet.gs.saveConfig(getPreset('cycle-spend-grid'), 1, 'by another manager')).toMatchObject({
      ok: true,
    });
    await page.getByLabel('Platinum: up to share of revenue').fill('60');
    await page.getByRole('button', { name: 'Save version 2' }).click();
    const alert = page.locator('.save-bar .message');
    await expect.poll(() => alert.innerText()).toContain('saved version 2 while you were editing');
    expect(await page.getByLabel('Platinum: up to share of revenue').inputValue()).toBe('60');
    await page.getByRole('button', { name: 'Save mine as version 3' }).click();
    await expect.poll(() => page.getByRole('status').first().innerText()).toContain('Saved version 3');
  });

  it('lists the history in the user’s time zone, with rollback from the keyboard', async () => {
    await page.locator('#fold-history summary').click();
    await expect.poll(() => page.locator('#fold-history').innerText()).toContain('v3');
    // Saved "now" in ISO (UTC); shown in the browser's zone, named.
    expect(await page.locator('#fold-history').innerText()).toMatch(/\d{4}.*(UTC|GMT)/);
    await page.locator('#fold-history button[data-rollback="1"]').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('status').first().innerText())
      .toContain('Rolled back: version 4 restores version 1');
    await shot(page, 'sidebar');
  });

  it('shows a visible message when a server call fails', async () => {
    sheet.backend.handle = () => ({ status: 500, body: { error: 'boom' } });
    await page.locator('#fold-history summary').click();
    await page.locator('#fold-history summary').click();
    await expect
      .poll(() => page.locator('#fold-history').innerText())
      .toContain('Could not reach the server: the Tierwise server answered 500: boom');
  });
});

describe('first runs and dead ends: each leaves a way forward', () => {
  it('on a blank spreadsheet explains the table it needs and how to choose it', async () => {
    const sheet = loadBundle();
    const page = await open(sheet);
    const problem = page.locator('[data-problem="blank"]');
    await problem.waitFor();
    expect(await problem.innerText()).toContain("There is no customer data in 'Customers'!A1 yet.");
    expect(await page.locator('#fold-data').innerText()).toContain(
      'transaction log (customer id, date, amount',
    );
    expect(await page.getByRole('button', { name: 'Use selection' }).isVisible()).toBe(true);
    expect(await page.locator('#fold-preview').innerText()).toContain('The preview needs customer data');
    // The configuration is still there to look at and edit.
    expect(await page.locator('[data-grid="model"] .cell').count()).toBe(25);
    await shot(page, 'first-run-blank', false);
    // The way forward works: select the table, press the button, the preview appears.
    exampleSheet(sheet.spreadsheet.sheets[0]);
    sheet.select("'Customers'!A1:E101");
    await page.getByRole('button', { name: 'Use selection' }).click();
    await expect.poll(() => page.locator('[data-summary]').innerText()).toContain('20 customers');
    await page.close();
  });

  it('on a dashboard first tab says why and offers the tab that holds the customers', async () => {
    const sheet = loadBundle();
    sheet.spreadsheet.sheets[0].name = 'Dashboard';
    sheet.spreadsheet.sheets[0].fill([
      ['Region', 'Q1', 'Q2', 'Growth'],
      ['North', 1200, 1500, '25%'],
      ['South', 900, 870, '-3%'],
    ]);
    exampleSheet(sheet.spreadsheet.insertSheet('Orders'));
    const page = await open(sheet);
    const problem = page.locator('[data-problem="not-a-table"]');
    await problem.waitFor();
    expect(await problem.innerText()).toContain("'Dashboard'!A1:D3 does not look like a customer table.");
    expect(await problem.innerText()).toContain('no column for customerId'); // the core's reason, verbatim
    // The server found the customer table on another tab: one press uses it.
    const offer = page.getByRole('button', { name: "Use 'Orders'!A1:E101" });
    await offer.waitFor();
    await shot(page, 'dashboard-first-tab', false);
    await offer.click();
    await expect.poll(() => page.locator('[data-summary]').innerText()).toContain('20 customers');
    expect(await page.locator('[data-problem]').count()).toBe(0);
    await page.close();
  });
});

describe('the R×F editor, the movement preview and the Chinese interface', () => {
  it('paints segments on the R×F grid, checks coverage on it, and previews who moves', async () => {
    const sheet = loadBundle();
    exampleSheet(sheet.spreadsheet.sheets[0]);
    const page = await open(sheet, [], 1400);
    const grid = page.locator('[data-grid="model"]');
    await grid.locator('.cell').first().waitFor();
    await page.locator('[data-summary]').waitFor();
    expect(await grid.locator('.cell').count()).toBe(25); // R 5..1 down, F 1..5 across, M as layers
    const coverage = page.locator('[data-coverage="model"]');
    expect(await coverage.innerText()).toBe('Checked: each of the 125 cells gets exactly one tier.');
    // R5 F1 is "New" in every M layer; counts come from the sheet's customers.
    const newCell = grid.getByRole('button', { name: /^R 5, F 1: New, \d+ customers?\./ });
    const promising = grid.getByRole('button', { name: /^R 4, F 1: Promising/ });
    await page.getByRole('radio', { name: /Lost/ }).click();
    // Drag from R5 F1 down to R4 F1: both cells become Lost.
    const box = async (cell: typeof newCell) => {
      const b = (await cell.boundingBox())!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    };
    const from = await box(newCell);
    const to = await box(promising);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => grid.getByRole('button', { name: /^R 5, F 1: Lost/ }).count()).toBe(1);
    expect(await grid.getByRole('button', { name: /^R 4, F 1: Lost/ }).count()).toBe(1);
    expect(await coverage.innerText()).toBe('Checked: each of the 125 cells gets exactly one tier.');
    // The preview says who moves: the new and promising customers of the sheet, now lost.
    const moved = page.locator('h3[data-movement]');
    await expect.poll(() => moved.count()).toBe(1);
    expect(await moved.innerText()).toMatch(/^\d+ customers? change/);
    expect(await page.locator('ul.moves').innerText()).toMatch(/(New|Promising) → Lost/);
    const draft = JSON.parse(await page.getByLabel('Configuration JSON').inputValue());
    expect(draft.segments.rules).toEqual(draft.model.rules); // the segments follow the tiers they mirror
    await shot(page, 'rfm-grid-editor');
    await page.locator('#fold-preview').screenshot({ path: `${ARTIFACTS}/movement-preview.png` });

    // The last rule removed by hand leaves the cells it won without a tier: the grid marks them, Save waits.
    await page.locator('#fold-json summary').click();
    draft.model.rules = draft.model.rules.slice(0, -1);
    draft.segments.rules = draft.model.rules;
    await page.getByLabel('Configuration JSON').fill(JSON.stringify(draft));
    await page.getByRole('button', { name: 'Check and apply' }).click();
    await expect.poll(() => coverage.innerText()).toMatch(/^\d+ of 125 cells have no tier \(marked !\)/);
    expect(await grid.locator('.cell.gap').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /^Save version/ }).isDisabled()).toBe(true);
    await page.close();
  });

  it('speaks Chinese when the configuration is in Chinese', async () => {
    const sheet = loadBundle();
    exampleSheet(sheet.spreadsheet.sheets[0]);
    const saved = sheet.gs.saveConfig(getPreset('rfm-segments-zh'), 0, null) as {
      saved: { savedAt: string };
    };
    // A manager in Shanghai: times in the history are in her zone (UTC+8), named.
    const page = await open(sheet, [], 1200, { timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    await page.locator('[data-summary]').waitFor();
    expect(await page.locator('[data-summary]').innerText()).toBe(
      '20 位客户 · 收入 71,796 · 截至 2024-06-27',
    );
    expect(await page.locator('#fold-preview summary').innerText()).toBe('预览：客户如何变动');
    expect(await page.locator('table.tiers').innerText()).toContain('冠军客户');
    expect(await page.locator('[data-coverage="model"]').innerText()).toBe(
      '已检查：全部 125 个格子都恰好属于一个等级。',
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByLabel('语言').selectOption('en'); // the interface follows the configuration's locale
    await expect
      .poll(() => page.locator('#fold-preview summary').innerText())
      .toBe('Preview: who moves where');
    await page.getByLabel('Language').selectOption('zh');
    await expect.poll(() => page.locator('[data-save-state]').innerText()).toBe('尚无修改。');
    await page.locator('#fold-history summary').click();
    const at = new Date(saved.saved.savedAt);
    const local = `${String((at.getUTCHours() + 8) % 24).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    await expect.poll(() => page.locator('#history').innerText()).toContain(local);
    expect(await page.locator('#history').innerText()).toMatch(/GMT\+8/);
    await page.locator('#fold-history summary').click();
    await shot(page, 'chinese-ui', false);
    await page.close();
  });
});

describe('other model kinds and full-size sheets', () => {
  it('paints a matrix model’s cells and edits weighted grades with inputs', async () => {
    const sheet = loadBundle();
    exampleSheet(sheet.spreadsheet.sheets[0]);
    const page = await open(sheet, [], 1400);
    await page.locator('[data-summary]').waitFor();
    await page.getByLabel('Start from a preset').selectOption('nine-grid');
    const grid = page.locator('[data-grid="matrix"]');
    await grid.locator('.cell').first().waitFor();
    const cells = await grid.locator('.cell').count();
    expect(cells).toBe(9);
    const json = page.getByLabel('Configuration JSON');
    const before = JSON.parse(await json.inputValue()).model.cells.flat();
    await grid.locator('.brushes [role="radio"]').first().click();
    // Keyboard: focus the bottom-left cell and press Enter to paint it.
    await grid
      .locator('.cell')
      .nth(cells - 3)
      .focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => JSON.parse(await json.inputValue()).model.cells.flat()).not.toEqual(before);
    expect(JSON.parse(await json.inputValue()).model.cells[0][0]).toBe(
      JSON.parse(await json.inputValue()).tiers[0].key,
    );
    await shot(page, 'matrix-editor', false);

    await page.getByLabel('Start from a preset').selectOption('weighted-grade');
    const weight = page.getByLabel('Weight').first();
    await weight.waitFor();
    expect(await weight.inputValue()).toBe('30');
    await weight.fill('40'); // weights now add up to 110 %
    await expect.poll(() => page.locator('#model').innerText()).toContain('weights must add up to 1');
    await expect.poll(() => page.getByRole('button', { name: /^Save version/ }).isDisabled()).toBe(true);
    await page.close();
  });

  it('edits rules on open-ended metrics as a list: tier, min and max, order', async () => {
    const sheet = loadBundle();
    exampleSheet(sheet.spreadsheet.sheets[0]);
    const page = await open(sheet, [], 1400);
    await page.locator('[data-summary]').waitFor();
    await page.locator('#fold-json summary').click();
    const json = page.getByLabel('Configuration JSON');
    const config = JSON.parse(await json.inputValue());
    config.model.rules = [
      { when: { totalSpend: [5000, null] }, is: 'champions' },
      { when: {}, is: 'lost' },
    ];
    delete config.segments;
    await json.fill(JSON.stringify(config));
    await page.getByRole('button', { name: 'Check and apply' }).click();
    const min = page.getByLabel('Rule 1 total spend min');
    await min.waitFor();
    expect(await min.inputValue()).toBe('5000');
    expect(await page.locator('[data-grid="model"]').count()).toBe(0); // no fixed range: no grid
    await expect.poll(() => page.locator('tr[data-tier="champions"]').innerText()).toMatch(/Champions\s+\d+/);
    const before = await page.locator('tr[data-tier="champions"] td.num').first().innerText();
    await min.fill('2000'); // more customers spend 2,000 or more than 5,000 or more
    await expect
      .poll(() => page.locator('tr[data-tier="champions"] td.num').first().innerText())
      .not.toBe(before);
    expect(JSON.parse(await json.inputValue()).model.rules[0].when.totalSpend).toEqual([2000, null]);
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Rule 3', { exact: true }).selectOption('at-risk');
    await page.getByRole('button', { name: 'Move rule 3 up' }).click();
    await expect
      .poll(async () => JSON.parse(await json.inputValue()).model.rules.map((r: { is: string }) => r.is))
      .toEqual(['champions', 'at-risk', 'lost']);
    await page.getByRole('button', { name: 'Remove rule 3' }).click();
    await expect.poll(async () => JSON.parse(await json.inputValue()).model.rules.length).toBe(2);
    await shot(page, 'rule-list-editor', false);
    await page.close();
  });

  it('previews 200,000 sheet rows without running out of stack', async () => {
    const sheet = loadBundle();
    const header = ['customer_id', 'date', 'amount'];
    const rows: (string | number)[][] = [];
    for (let i = 0; i < 200_000; i++) {
      const day = 1 + (i % 28);
      rows.push([`C${i % 40_000}`, `2024-0${1 + (i % 6)}-${String(day).padStart(2, '0')}`, 10 + (i % 97)]);
    }
    sheet.spreadsheet.sheets[0].fill([header]); // a customer table's header: the sidebar asks for its data
    const page = await openSidebar(browser, {
      call: (name, args) =>
        name === 'sheetData'
          ? { header, rows, firstRow: 2, range: "'Orders'!A1:C200001" }
          : sheet.gs[name](...(args as never[])),
    });
    const summary = page.locator('[data-summary]');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.innerText()).toMatch(/^40,000 customers · [\d,]+ revenue · as of 2024-06-28$/);
    // An edit re-scores everyone: the preview follows.
    await page.getByLabel('Start from a preset').selectOption('value-pyramid');
    await expect
      .poll(() => page.locator('h3[data-movement]').innerText(), { timeout: 20_000 })
      .toMatch(/^40,000 customers change tier/);
    await page.close();
  }, 120_000);
});
