// Bundles every entry point with esbuild. Each target lists what it must not contain.
import { build } from 'esbuild';

const started = Date.now();
const common = { bundle: true, logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
  }),
  build({
    ...common,
    entryPoints: ['bench/main.ts'],
    outfile: 'dist/bench.js',
    platform: 'node',
    format: 'esm',
    target: 'node20',
  }),
]);
console.log(`built dist/ in ${Date.now() - started} ms`);
