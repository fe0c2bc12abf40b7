import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, tierwise } from '../helpers/cli';

// `npm start` end to end: the sandbox process (dynalite in memory, the built Lambda bundle, the demo
// organisation), then the `tierwise slack` and `tierwise token` commands a newcomer would type.
let sandbox: ChildProcess;
let url: string;

beforeAll(async () => {
  sandbox = spawn(process.execPath, ['bin/tierwise.js', 'sandbox', '--memory', '--port', '0'], { cwd: ROOT });
  url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${output}`)), 20_000);
    sandbox.stdout?.on('data', (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
});
afterAll(() => {
  sandbox.kill('SIGTERM');
});

const async = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['bin/tierwise.js', ...args], { cwd: ROOT });
    let stdout = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.on('close', (status) => resolve({ status, stdout }));
  });

it('answers /tier through the sandbox as Slack would see it', async () => {
  const run = await async('slack', '/tier acme corp', '--url', url);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Acme Corp (C001)');
  expect(run.stdout).toContain('Next action:');
});

it('serves the config API to a sandbox token and /healthz', async () => {
  const token = tierwise('token').stdout.trim();
  const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(await me.json()).toEqual({ email: 'manager@example.com', org: 'demo', role: 'manager' });
  expect((await fetch(`${url}/api/me`)).status).toBe(401);
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
});

it('serves the sidebar at /sidebar, wired to the local config API', async () => {
  const { launchChromium } = await import('../helpers/browser');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 300, height: 1400 } });
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    await page.goto(`${url}/sidebar`);
    await page.locator('#preview table').waitFor();
    expect(await page.locator('#preview').innerText()).toContain('20 customers');
    await page.getByLabel('Start from a preset').selectOption('value-pyramid');
    await page.getByRole('button', { name: /^Save version/ }).click();
    await expect.poll(() => page.locator('#status').innerText()).toMatch(/Saved version \d+/);
    const token = tierwise('token').stdout.trim();
    const response = await fetch(`${url}/api/config`, { headers: { authorization: `Bearer ${token}` } });
    const config = (await response.json()) as { config: { name: string } };
    expect(config.config.name).toBe('value-pyramid');
    const slack = await async('slack', '/tier acme corp', '--url', url);
    expect(slack.stdout).toContain('Platinum'); // the bot now tiers with the saved configuration
  } finally {
    await browser.close();
  }
}, 60_000);

it('administers organisations in a table: create, add a member, make a link code', async () => {
  const { startDynalite } = await import('../helpers/dynalite');
  const db = await startDynalite('tierwise-admin');
  try {
    const flags = ['--table', db.table, '--endpoint', db.endpoint, '--region', 'local'];
    const created = await async('org', 'create', 'acme', 'Acme Ltd', '--manager', 'boss@acme.test', ...flags);
    expect(created.stdout).toBe('created acme (Acme Ltd) with manager boss@acme.test\n');
    expect((await async('org', 'add', 'clerk@acme.test', '--org', 'acme', ...flags)).stdout).toContain(
      'is now a viewer of acme',
    );
    expect((await async('org', 'link-code', '--org', 'acme', ...flags)).stdout).toMatch(
      /\/tier link [A-Z2-9]{8}/,
    );
  } finally {
    await db.close();
  }
});
