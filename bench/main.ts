/** `npm run bench`: every figure the README reports. Run with --expose-gc for steadier numbers. */

import { benchAppsScript } from './appsscript';
import { benchClv } from './clv';
import { benchCore } from './core';
import { benchLambda } from './lambda';
import { benchNumbers } from './numbers';
import { benchStartup } from './startup';
import { line, mb } from './util';

// Startup first, while this process is small.
const sections: Record<string, () => void | Promise<void>> = {
  startup: benchStartup,
  core: benchCore,
  clv: benchClv,
  lambda: benchLambda,
  sheets: benchAppsScript,
  numbers: benchNumbers,
};

const only = process.argv.slice(2);
console.log(`Tierwise benchmarks on Node ${process.version}, ${process.arch}`);
for (const [name, run] of Object.entries(sections)) {
  if (only.length === 0 || only.includes(name)) await run();
}
line('peak memory (max RSS)', mb(process.resourceUsage().maxRSS * 1024));
