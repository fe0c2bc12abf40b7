import { chromium } from 'playwright-core';

/** Debian's Chromium, headless, with every background connection off (the network here is closed). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
 * google.script.run for a page: every server call goes to `window.__gasCall(name, args)`, which the
 * test binds to the real server functions. Arguments cross as JSON, as they do in Apps Script.
 */
export const GOOGLE_SCRIPT_RUN_SHIM = `
window.google = { script: { get run() {
  let ok = () => {}, fail = () => {};
  const runner = new Proxy({}, { get(_, name) {
    if (name === 'withSuccessHandler') return (f) => { ok = f; return runner; };
    if (name === 'withFailureHandler') return (f) => { fail = f; return runner; };
    return (...args) => window.__gasCall(String(name), JSON.parse(JSON.stringify(args)))
      .then((value) => ok(value), (error) => fail(new Error(String(error && error.message || error))));
  } });
  return runner;
} } };`;
