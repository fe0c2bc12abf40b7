// Bundles every entry point with esbuild; a full build takes well under a second, so there is one build
// for everything. The one flag, `--apps-script-to DIR`, builds only the Sheets add-on (see below).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { appsScriptStubs } from './apps-script-stubs.mjs';

const started = Date.now();

/**
 * The config API the Sheets add-on talks to, fixed at build time so that no editor of a spreadsheet can
 * send the user's ID token anywhere else: TIERWISE_BACKEND_URL, else (TIERWISE_STAGE=dev|prod) the
 * FunctionUrl that `npm run deploy` saved for that stage. Empty: a sheet-only add-on (no UrlFetch).
 */
function backendUrl() {
  let url = process.env.TIERWISE_BACKEND_URL;
  const stage = process.env.TIERWISE_STAGE;
  if (url === undefined && stage) {
    const file = `dist/cdk-outputs.${stage}.json`;
    if (!existsSync(file))
      throw new Error(`TIERWISE_STAGE=${stage}: no ${file}; run npm run deploy -- --stage ${stage}`);
    url = JSON.parse(readFileSync(file, 'utf8'))[`Tierwise-${stage}`]?.FunctionUrl;
  }
  url = (url ?? '').trim().replace(/\/+$/, '');
  if (url && !/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(url))
    throw new Error(
      `TIERWISE_BACKEND_URL must be an https origin such as https://abc.lambda-url.us-east-1.on.aws, not "${url}"`,
    );
  return url;
}

/** The manifest: urlFetchWhitelist is exactly the built-in server; without one, no UrlFetch scopes at all. */
function manifest(backend) {
  const json = JSON.parse(readFileSync('appsscript/appsscript.json', 'utf8'));
  if (backend) json.urlFetchWhitelist = [`${backend}/`];
  else
    json.oauthScopes = json.oauthScopes.filter(
      (s) => !s.endsWith('/script.external_request') && s !== 'openid',
    );
  return `${JSON.stringify(json, null, 2)}\n`;
}

// `--apps-script-to DIR`: only the Sheets add-on, into DIR (the tests build one with a server this way).
const gasFlag = process.argv.indexOf('--apps-script-to');
const gasDir = gasFlag > 0 ? process.argv[gasFlag + 1] : 'dist/gas';
const backend = backendUrl();

// Chunk names carry a content hash: drop the previous build's (not when only the add-on is built, which
// leaves the CLI as it is).
if (gasFlag < 0)
  for (const name of existsSync('dist') ? readdirSync('dist') : [])
    if (name.startsWith('cli-')) rmSync(`dist/${name}`);

/**
 * Bolt's index loads every receiver; the Lambda uses only AwsLambdaReceiver. Express (with body-parser,
 * iconv-lite and mime-db) and Socket Mode (with undici) are needed only when those receivers are
 * constructed, so they are replaced by a stub that throws if ever called. Saves ~1 MB of the bundle
 * and of every cold start; the bundle smoke test (test/lambda/bundle.test.ts) proves it still runs.
 */
const UNUSED_BY_LAMBDA = /^(express|raw-body|@slack\/socket-mode)$/;
const stubUnused = {
  name: 'stub-unused-receivers',
  setup(b) {
    b.onResolve({ filter: UNUSED_BY_LAMBDA }, (args) => ({ path: args.path, namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({
      contents: `const fail = () => { throw new Error('${args.path} is not bundled in the Tierwise Lambda'); };
module.exports = new Proxy(fail, { get: (_, key) => (key === '__esModule' ? false : fail) });`,
      loader: 'js',
    }));
  },
};
const common = { bundle: true, logLevel: 'warning', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20' };

const nodeBuilds = () => [
  // The CLI (with the sandbox/ commands it loads) and the benchmarks run inside the project: dependencies
  // load from node_modules.
  // Split at the CLI's dynamic imports, so a command loads only its own code: `score` never pays for
  // dynalite and the AWS SDK, which the sandbox needs. Chunks sit beside cli.js (import.meta.url paths).
  build({
    ...node,
    entryPoints: { cli: 'cli/bin.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'cli-[name]-[hash]',
    format: 'esm',
    sourcemap: true,
    packages: 'external',
  }),
  build({
    ...node,
    entryPoints: ['bench/main.ts'],
    outfile: 'dist/bench.js',
    format: 'esm',
    packages: 'external',
  }),
  // `npm run load`: the sandbox under concurrent reads while a large sync and a save happen.
  build({
    ...node,
    entryPoints: ['scripts/load.ts'],
    outfile: 'dist/load.js',
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...node,
    entryPoints: ['infra/app.ts'],
    outfile: 'dist/infra.js',
    format: 'esm',
    packages: 'external',
  }),
  // `npm run deploy`: tests, build, cdk deploy, then the next steps with the deployed URL.
  build({
    ...node,
    entryPoints: ['infra/deploy.ts'],
    outfile: 'dist/deploy.js',
    format: 'esm',
    packages: 'external',
  }),
  // The cold-start probe (`npm run bench`, the bundle test): CommonJS, run beside dist/lambda/ in a fresh process.
  build({
    ...node,
    entryPoints: ['scripts/lambda-probe.ts'],
    outfile: 'dist/lambda-probe.cjs',
    format: 'cjs',
    packages: 'external',
  }),
  // The Lambda: CommonJS (Bolt is CommonJS), minified, with the AWS SDK left to the Lambda runtime.
  build({
    ...node,
    entryPoints: ['lambda/handler.ts'],
    outfile: 'dist/lambda/index.js',
    format: 'cjs',
    minify: true,
    sourcemap: 'external',
    external: ['@aws-sdk/*'],
    plugins: [stubUnused],
    metafile: true,
  }).then((result) => writeFileSync('dist/lambda/meta.json', JSON.stringify(result.metafile))),
];
const appsScript = {
  ...common,
  format: 'iife',
  platform: 'neutral',
  // Packages the core uses (fastest-levenshtein) name their entry in package.json's module/main.
  mainFields: ['module', 'main'],
  target: 'es2020',
  minify: true,
  // Apps Script stores sources as UTF-8: Chinese labels as themselves take 3 bytes, escaped 6.
  charset: 'utf8',
  define: { BACKEND: JSON.stringify(backend) },
};
/** `entry` bundled into `${name}.html` inside a <script> element, "</script" split so it cannot close it. */
const lazyBundle = (entry, name, globalName) =>
  build({ ...appsScript, entryPoints: [entry], write: false, globalName }).then(({ outputFiles }) => {
    mkdirSync(gasDir, { recursive: true });
    const js = outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
    writeFileSync(`${gasDir}/${name}.html`, `<script>${js}</script>\n`);
  });
const gasBuilds = () => [
  // Apps Script: one script file, loaded whole on every custom-function call, so small and minified;
  // the stubs with the JSDoc Sheets reads go after it.
  build({
    ...appsScript,
    entryPoints: ['appsscript/main.ts'],
    outfile: `${gasDir}/Code.js`,
    globalName: 'Tierwise',
    footer: { js: appsScriptStubs() },
  }),
  // The sidebar's and the menu's server functions, and the CLV model: bundles Code.js evaluates only
  // when they are called (see appsscript/main.ts), kept in HTML files because Apps Script loads every
  // script file on every custom-function call.
  lazyBundle('appsscript/server-main.ts', 'Server', 'TierwiseServer'),
  lazyBundle('appsscript/clv-main.ts', 'Clv', 'TierwiseClv'),
  // The sidebar's own code (the core included, for the live preview) is inlined into Sidebar.html.
  build({
    ...common,
    entryPoints: ['appsscript/sidebar/app.ts'],
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
  }).then(({ outputFiles }) => {
    const html = readFileSync('appsscript/sidebar/index.html', 'utf8');
    const css = readFileSync('appsscript/sidebar/style.css', 'utf8');
    mkdirSync(gasDir, { recursive: true });
    // Split "</script" so the inlined code cannot close its own tag.
    const js = outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
    // Function replacements: the minified code contains $ sequences that replace() would interpret.
    writeFileSync(
      `${gasDir}/Sidebar.html`,
      html.replace('/*STYLE*/', () => css).replace('/*SCRIPT*/', () => js),
    );
  }),
];
await Promise.all([...gasBuilds(), ...(gasFlag > 0 ? [] : nodeBuilds())]);
mkdirSync(gasDir, { recursive: true });
writeFileSync(`${gasDir}/appsscript.json`, manifest(backend));
// The help dialog is a page of its own: none of it is loaded with the custom functions.
writeFileSync(`${gasDir}/Help.html`, readFileSync('appsscript/help.html', 'utf8'));
if (gasFlag < 0) {
  mkdirSync('dist/lambda', { recursive: true });
  writeFileSync('dist/lambda/package.json', '{ "type": "commonjs" }\n');
}
console.log(
  `built ${gasFlag > 0 ? gasDir : 'dist/'} in ${Date.now() - started} ms (Sheets server: ${backend || 'none, sheet-only'})`,
);
