import { existsSync, readFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { googleScriptRunShim } from '../../sandbox/gas-shim';
import { ROOT } from './cli';

/**
 * Debian's Chromium (or the browser CHROMIUM_PATH names), headless, with every background connection off
 * (the network here is closed). `npm test` first runs scripts/ensure-chromium.mjs, which looks in the same places.
 */
export const CHROMIUM =
  [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ].find((path): path is string => !!path && existsSync(path)) ?? '/usr/bin/chromium';

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/**
 * google.script.run for a page: every server call goes to `window.__gasCall(name, argsJson)`, which the
 * test binds to the real server functions. Arguments and results cross as JSON text, as values do in
 * Apps Script (and as text they cross quickly: Playwright's own serialisation of a 200,000-row answer
 * takes half a minute).
 */
export const GOOGLE_SCRIPT_RUN_SHIM = googleScriptRunShim(
  '(name, args) => window.__gasCall(name, args).then((text) => JSON.parse(text))',
);

/**
 * The built sidebar (dist/gas/Sidebar.html) in a new page as wide as Google's sidebar (300 px), its
 * google.script.run answered by `call` (JSON in, JSON out, as Apps Script does). `timezoneId` and
 * `locale` set the browser's, i.e. the user's.
 */
export async function openSidebar(
  browser: Browser,
  options: {
    call: (name: string, args: unknown[]) => unknown;
    height?: number;
    timezoneId?: string;
    locale?: string;
  },
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width: 300, height: options.height ?? 900 },
    timezoneId: options.timezoneId ?? 'UTC',
    locale: options.locale ?? 'en-US',
  });
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort()); // Google's CSS is out of reach here
  await page.exposeFunction('__gasCall', async (name: string, args: string) =>
    JSON.stringify((await options.call(name, JSON.parse(args))) ?? null),
  );
  await page.addInitScript(GOOGLE_SCRIPT_RUN_SHIM);
  // Served from a (routed) URL rather than setContent, so the init script runs as on a navigation.
  const html = readFileSync(`${ROOT}dist/gas/Sidebar.html`, 'utf8');
  await page.route('http://127.0.0.1:9/sidebar', (route) =>
    route.fulfill({ body: html, contentType: 'text/html' }),
  );
  await page.goto('http://127.0.0.1:9/sidebar');
  return page;
}
