import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate, parseDay } from '../../shared';
import { launchChromium, openSidebar } from '../helpers/browser';
import { ROOT } from '../helpers/cli';
import { cdnowTable } from '../helpers/data';
import { EXAMPLE_ROWS } from '../helpers/org';
import { simulateLog } from '../helpers/simulate';
import { loadBundle, midnight } from './fakes';

// "Check the CLV model" in the built sidebar, in headless Chromium at Google's 300 px, its
// google.script.run answered by the built Apps Script bundle in node:vm (Server reads the sheet, Clv
// fits). The spreadsheet is in Shanghai and the user in Los Angeles: days are the sheet's, whatever the
// browser's zone. Assertions are on the DOM; screenshots go to test/artifacts/ for a person to look at.

const ARTIFACTS = `${ROOT}test/artifacts`;
let browser: Browser;
let savedTz: string | undefined;

beforeAll(async () => {
  savedTz = process.env.TZ;
  process.env.TZ = 'Etc/UTC'; // the script's zone; the sheet's is Shanghai
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

const ZONE = 'Asia/Shanghai';

/** A sheet holding a transaction log, dates as Date cells (midnight in the sheet's zone). */
function sheetWith(rows: (string | number)[][], locale = 'en_US') {
  const sheet = loadBundle({ timeZone: ZONE, locale });
  sheet.spreadsheet.sheets[0].fill([
    ['customer_id', 'date', 'amount'],
    ...rows.map(([id, day, amount]) => [id, midnight(String(day), ZONE), Number(amount)]),
  ]);
  return sheet;
}

const cdnowRows = () =>
  cdnowTable().rows.map(([id, date, amount]) => [
    String(id),
    isoDate(parseDay(String(date))!),
    Number(amount),
  ]);

async function open(
  sheet: ReturnType<typeof loadBundle>,
  calls: string[] = [],
  locale = 'en-US',
): Promise<Page> {
  const page = await openSidebar(browser, {
    height: 1400,
    timezoneId: 'America/Los_Angeles',
    locale,
    call: (name, args) => {
      calls.push(name);
      return sheet.gs[name](...(args as never[]));
    },
  });
  await page.locator('#fold-holdout summary').waitFor();
  return page;
}

/** Opens the section (once the sheet has been read) and presses the button. */
async function check(page: Page, button: string): Promise<void> {
  await page.getByRole('button', { name: button }).click();
}

describe('checking the model on CDNOW, in English', () => {
  let page: Page;
  const calls: string[] = [];
  beforeAll(async () => {
    page = await open(sheetWith(cdnowRows()), calls);
    await page.locator('[data-summary]').waitFor(); // the sheet is read
    await page.locator('#fold-holdout summary').click();
  }, 60_000);
  afterAll(() => page?.close());

  it('offers the first half of the data as calibration, the rest as holdout', async () => {
    expect(await page.getByLabel('Calibration ends').inputValue()).toBe('1997-09-30');
    expect(await page.getByLabel('Holdout ends').inputValue()).toBe('1998-06-30');
    expect(await page.locator('#holdout').innerText()).toContain(
      'Your data run from 1997-01-01 to 1998-06-30.',
    );
    expect(calls).not.toContain('holdoutCheck'); // nothing is fitted before the manager asks
  });

  it('shows the totals in words, the chart, the table and the errors', async () => {
    await check(page, 'Check the model');
    const summary = page.locator('[data-holdout="ok"]');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.innerText()).toMatch(
      /^From 1997-10-01 to 1998-06-30, the 2,357 customers who had bought by 1997-09-30 made 1,882 repeat purchases\. The model, knowing only what came before, predicted 1,\d{3}: \d+\.\d % too few\.$/,
    );
    const chart = page.locator('svg.holdout-chart');
    expect(await chart.locator('path').count()).toBe(4); // actual and model in both panels
    const texts = await chart.locator('text').allTextContents();
    expect(texts).toEqual(
      expect.arrayContaining([
        'Repeat purchases so far, by week',
        'Holdout purchases per customer',
        'calibration end',
        'MBG/NBD',
        '7+',
      ]),
    );
    const rows = page.locator('table.holdout tbody tr');
    expect(await rows.count()).toBe(8);
    expect(await rows.first().innerText()).toMatch(/^0\s+1,411\s+0\.24\s+0\.\d\d$/);
    const errors = await page.locator('.holdout-errors').innerText();
    expect(errors).toMatch(/off by 0\.\d\d purchases on average; .* past rate would be off by 1\.\d\d\./);
    expect(errors).toMatch(/running total of the holdout is off by \d+\.\d % on average/);
  });

  it('fits the 300 px sidebar: nothing wider than the page, text at a readable size', async () => {
    const box = (await page.locator('svg.holdout-chart').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(300);
    expect(box.width).toBeGreaterThan(250); // drawn at its own size, not shrunk
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(300);
    const smallest = await page.evaluate(`Math.min(...[...document.querySelectorAll('svg.holdout-chart text')]
      .map((t) => t.getBoundingClientRect().height))`);
    expect(smallest).toBeGreaterThanOrEqual(10);
    // Every label stays inside the chart.
    const outside =
      await page.evaluate(`(() => { const c = document.querySelector('svg.holdout-chart').getBoundingClientRect();
      return [...document.querySelectorAll('svg.holdout-chart text')].map((t) => t.getBoundingClientRect())
        .filter((r) => r.left < c.left - 0.5 || r.right > c.right + 0.5).length; })()`);
    expect(outside).toBe(0);
    await page.locator('#fold-holdout').screenshot({ path: `${ARTIFACTS}/sidebar-holdout.png` });
  });

  it('says when a date is outside the data, without fitting', async () => {
    await page.getByLabel('Calibration ends').fill('1996-06-01');
    await check(page, 'Check the model');
    const problem = page.locator('[data-holdout="dates"]');
    await problem.waitFor();
    expect(await problem.innerText()).toBe(
      'The calibration ends on 1996-06-01, before the first purchase in the data (1997-01-01): there is nothing to fit. Choose a date between 1997-01-01 and 1998-06-30.',
    );
    expect(await page.locator('svg.holdout-chart').count()).toBe(0);
  });
});

describe('checking the model in Chinese', () => {
  it('words the result and the chart in Chinese', async () => {
    const page = await open(sheetWith(cdnowRows(), 'zh_CN'), [], 'zh-CN');
    await page.locator('[data-summary]').waitFor();
    await page.locator('#fold-holdout summary').click();
    await check(page, '检验模型');
    const summary = page.locator('[data-holdout="ok"]');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.innerText()).toMatch(
      /^1997-10-01 至 1998-06-30，在 1997-09-30 前已购买的 2,357 位客户共重复购买 1,882 次。/,
    );
    const texts = await page.locator('svg.holdout-chart text').allTextContents();
    expect(texts).toEqual(
      expect.arrayContaining(['按周累计的重复购买', '检验期内人均购买', '校准期结束', '实际']),
    );
    await page.getByLabel('校准期结束').fill('1998-06-30');
    await page.getByLabel('检验期结束').fill('1998-07-30');
    await check(page, '检验模型');
    await page.locator('[data-holdout="dates"]').waitFor();
    expect(await page.locator('[data-holdout="dates"]').innerText()).toContain('没有剩余数据可供对比');
    await page.locator('#fold-holdout').screenshot({ path: `${ARTIFACTS}/sidebar-holdout-zh.png` });
    await page.close();
  }, 60_000);
});

describe('when the check cannot compare', () => {
  it('too little history: the 20-customer example says how much is needed', async () => {
    const sheet = loadBundle({ timeZone: ZONE });
    sheet.spreadsheet.sheets[0].fill(EXAMPLE_ROWS);
    const page = await open(sheet);
    await page.locator('[data-summary]').waitFor();
    await page.locator('#fold-holdout summary').click();
    await check(page, 'Check the model');
    const problem = page.locator('[data-holdout="too-little"]');
    await problem.waitFor();
    expect(await problem.innerText()).toMatch(
      /^Too little history up to \d{4}-\d\d-\d\d to fit the model: \d+ customers \(needs 200\), \d+ who bought more than once \(needs 50\)/,
    );
    await page.close();
  }, 60_000);

  it('a fit that fails: says so, with the reason', async () => {
    const { rows } = simulateLog({
      customers: 600,
      start: parseDay('2024-01-01')!,
      joinDays: 84,
      days: 273,
      rate: () => 2 / 7,
      dropout: () => 0.1,
      spend: () => 25,
      seed: 3,
    });
    const page = await open(sheetWith(rows));
    await page.locator('[data-summary]').waitFor();
    await page.locator('#fold-holdout summary').click();
    await check(page, 'Check the model');
    const problem = page.locator('[data-holdout="fit-failed"]');
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.innerText()).toMatch(
      /^The MBG\/NBD model could not be fitted on the purchases up to 2024-\d\d-\d\d, so there is no prediction to compare\./,
    );
    expect(await problem.innerText()).toContain('ran to the boundary');
    await page.close();
  }, 60_000);

  it('a customer table: says a transaction log is needed, without asking the server', async () => {
    const sheet = loadBundle({ timeZone: ZONE });
    sheet.spreadsheet.sheets[0].fill([
      ['customer_id', 'last_purchase', 'orders', 'total_spend'],
      ...Array.from({ length: 12 }, (_, i) => [`C${i}`, '2024-06-01', 1 + i, 100 * (i + 1)]),
    ]);
    const calls: string[] = [];
    const page = await open(sheet, calls);
    await page.locator('[data-summary]').waitFor();
    await page.locator('#fold-holdout summary').click();
    expect(await page.locator('[data-holdout="not-a-log"]').innerText()).toMatch(
      /^The check needs a transaction log/,
    );
    expect(await page.getByRole('button', { name: 'Check the model' }).count()).toBe(0);
    expect(calls).not.toContain('holdoutCheck');
    await page.close();
  }, 60_000);
});
