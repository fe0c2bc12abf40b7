#!/usr/bin/env node
// The CLI is bundled by `npm run build` (run by `npm ci` through the prepare script).
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('tierwise: the CLI is not built yet; run `npm run build` in the project folder');
    process.exit(1);
  }
  throw error;
});
