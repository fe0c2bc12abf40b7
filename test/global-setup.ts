import { execFileSync } from 'node:child_process';
import { TEST_BACKEND } from './appsscript/fakes';

/**
 * Integration tests run the real bundles: build them once before any test file runs, plus a Sheets
 * add-on with a server built in (as `TIERWISE_BACKEND_URL=… npm run build` makes for a deployment).
 */
export default function setup(): void {
  // The tests' dist/gas is sheet-only whatever the developer's environment or cdk-outputs.json says.
  execFileSync(process.execPath, ['scripts/build.mjs'], {
    stdio: 'inherit',
    env: { ...process.env, TIERWISE_BACKEND_URL: '' },
  });
  execFileSync(process.execPath, ['scripts/build.mjs', '--apps-script-to', 'dist/gas-shared'], {
    stdio: 'inherit',
    env: { ...process.env, TIERWISE_BACKEND_URL: TEST_BACKEND },
  });
}
