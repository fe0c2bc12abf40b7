#!/usr/bin/env node
// The CLI is bundled by `npm run build` (run by `npm ci` through the prepare script).
import module from 'node:module';

// Node ≥ 22.1 can keep V8's compiled code of the bundle between runs (in the temp folder, or
// NODE_COMPILE_CACHE): faster startup. Older Node has no such function and compiles each time.
module.enableCompileCache?.();

import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('tierwise: the CLI is not built yet; run `npm run build` in the project folder');
    process.exit(1);
  }
  throw error;
});
