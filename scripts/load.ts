/**
 * `npm run load`: the sandbox (its own process, in memory, loopback only) under concurrent `/tier`,
 * `/tier summary` and config reads for a bounded time, while a 100,000-customer sync and a config save
 * happen. Prints throughput, latency percentiles, errors, and whether any answer mixed the old and the
 * new book (each book has its own revenue total, so every summary must show one of the two exactly).
 *
 * Flags: --seconds 60 --workers 8 --customers 100000
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configApiClient, readBody } from '../sandbox/http';
import { idTokenSigner } from '../sandbox/id-token';
import { FORM, signedHeaders, slashCommandBody } from '../sandbox/requests';
import { getPreset, syncChunks } from '../shared';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    workers: { type: 'string', default: '8' },
    customers: { type: 'string', default: '100000' },
  },
});
const SECONDS = Math.min(600, Number(values.seconds));
const WORKERS = Math.min(64, Number(values.workers));
const CUSTOMERS = Math.min(200_000, Number(values.customers));
/** A cap on requests, whatever the machine: the run is bounded in count as well as time. */
const MAX_REQUESTS = 500_000;
const TEAM = 'TSANDBOX'; // the demo workspace the sandbox links

const dir = mkdtempSync(join(tmpdir(), 'tierwise-load-'));
let sandbox: ChildProcess | undefined;

async function startSandbox(): Promise<string> {
  sandbox = spawn(process.execPath, ['bin/tierwise.js', 'sandbox', '--memory', '--port', '0'], {
    env: { ...process.env, TIERWISE_SANDBOX_DIR: dir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    sandbox!.stdout!.on('data', (c) => {
      out += c;
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]);
    });
    sandbox!.on('exit', (code) => reject(new Error(`the sandbox stopped (${code}):\n${out}`)));
  });
}

/** A book whose every transaction is `amount`: its revenue total names it. */
function bookRows(amount: string): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const id = `L${String(i).padStart(6, '0')}`;
    const name = `Load Customer ${i}`;
    rows.push([id, name, i % 3 === 0 ? 'ana' : 'bo', `2024-0${1 + (i % 5)}-1${i % 10}`, amount]);
    if (i % 2 === 0) rows.push([id, name, i % 3 === 0 ? 'ana' : 'bo', '2024-06-0' + (1 + (i % 9)), amount]);
  }
  return rows;
}
const revenueOf = (rows: string[][]) => rows.reduce((sum, r) => sum + Number(r[4]) * 100, 0) / 100;

async function main(): Promise<void> {
  const url = await startSandbox();
  const secrets = JSON.parse(readFileSync(join(dir, 'sandbox.json'), 'utf8'));
  const sign = idTokenSigner(secrets.privateJwk, { kid: 'sandbox', audience: 'tierwise-sandbox' });
  const api = configApiClient(url, () => sign('manager@example.com'));

  // Deferred Slack answers arrive at response_url: one local listener, one path per request.
  const waiting = new Map<string, (text: string) => void>();
  const responses = createServer(async (req, res) => {
    const body = await readBody(req);
    waiting.get(req.url ?? '')?.(body);
    waiting.delete(req.url ?? '');
    res.end('ok');
  });
  await new Promise<void>((resolve) => responses.listen(0, '127.0.0.1', resolve));
  const responseBase = `http://127.0.0.1:${(responses.address() as AddressInfo).port}`;
  let counter = 0;
  /** A signed slash command; the final answer's text, through response_url when it was deferred. */
  const slash = async (text: string): Promise<{ status: number; text: string }> => {
    const path = `/r${++counter}`;
    const followUp = new Promise<string>((resolve) => waiting.set(path, resolve));
    const body = slashCommandBody({ text, teamId: TEAM, responseUrl: `${responseBase}${path}` });
    const res = await fetch(`${url}/slack/events`, {
      method: 'POST',
      headers: signedHeaders(secrets.signingSecret, body, FORM, Math.floor(Date.now() / 1000)),
      body,
    });
    const answer = await res.text();
    if (res.status !== 200 || !/Working on it|正在处理/.test(answer)) {
      waiting.delete(path);
      return { status: res.status, text: answer };
    }
    const late = await Promise.race([
      followUp,
      new Promise<string>((r) => setTimeout(() => r('TIMEOUT'), 30_000)),
    ]);
    return { status: late === 'TIMEOUT' ? 504 : 200, text: late };
  };

  const sync = async (syncId: string, rows: string[][]) => {
    const header = ['customer_id', 'name', 'owner', 'date', 'amount'];
    const chunks = syncChunks(header, rows, 2);
    for (const chunk of chunks) {
      const r = await api('POST', '/api/sync/upload', { syncId, ...chunk });
      if (r.status !== 200) throw new Error(`upload failed: ${JSON.stringify(r.body)}`);
    }
    const started = Date.now();
    const r = await api('POST', '/api/sync/commit', { syncId, chunks: chunks.length, asOf: '2024-06-30' });
    if (r.status !== 200) throw new Error(`commit failed: ${JSON.stringify(r.body)}`);
    return Date.now() - started;
  };

  const oldRows = bookRows('10.00');
  const newRows = bookRows('25.00');
  const fmt = (n: number) => new Intl.NumberFormat('en', { minimumFractionDigits: 2 }).format(n);
  const books = new Map([
    [fmt(revenueOf(oldRows)), 'old'],
    [fmt(revenueOf(newRows)), 'new'],
  ]);
  process.stdout.write(
    `sandbox ${url}; loading the first ${CUSTOMERS.toLocaleString('en')}-customer book…\n`,
  );
  await sync(`load-old-${Date.now()}`, oldRows);
  await slash('summary'); // warm: the book is loaded and scored once before measuring
  const before = await api('GET', '/api/config');

  type Kind = 'tier' | 'summary' | 'config';
  const latencies: Record<Kind, number[]> = { tier: [], summary: [], config: [] };
  const errors: string[] = [];
  const seen = { old: 0, new: 0, mixed: 0, configVersions: new Set<number>() };
  let requests = 0;
  const started = Date.now();
  const deadline = started + SECONDS * 1000;

  const one = async (kind: Kind, i: number): Promise<void> => {
    const t0 = performance.now();
    try {
      if (kind === 'config') {
        const r = await api('GET', '/api/config');
        if (r.status !== 200) throw new Error(`config read: HTTP ${r.status}`);
        seen.configVersions.add(Number(r.body.version));
      } else {
        const r = await slash(kind === 'summary' ? 'summary' : `Load Customer ${(i * 7919) % CUSTOMERS}`);
        if (r.status !== 200) throw new Error(`/tier ${kind}: HTTP ${r.status} ${r.text.slice(0, 80)}`);
        if (/try again|went wrong/i.test(r.text)) throw new Error(`/tier ${kind}: ${r.text.slice(0, 120)}`);
        if (kind === 'summary') {
          const revenue = /customers, revenue ([\d,.]+)/.exec(r.text)?.[1];
          const book = revenue ? books.get(revenue) : undefined;
          if (book === 'old') seen.old++;
          else if (book === 'new') seen.new++;
          else seen.mixed++;
        }
      }
      latencies[kind].push(performance.now() - t0);
    } catch (error) {
      errors.push((error as Error).message);
    }
  };

  const workers = Array.from({ length: WORKERS }, async (_, w) => {
    for (let i = w; Date.now() < deadline && requests < MAX_REQUESTS; i += WORKERS) {
      requests++;
      await one(i % 4 === 0 ? 'summary' : i % 4 === 1 ? 'config' : 'tier', i);
    }
  });
  // Meanwhile: the new book, and a manager's save.
  const writes = (async () => {
    await new Promise((r) => setTimeout(r, Math.min(5_000, (SECONDS * 1000) / 10)));
    const syncStarted = Date.now();
    const commitMs = await sync(`load-new-${Date.now()}`, newRows);
    process.stdout.write(
      `  sync of ${CUSTOMERS.toLocaleString('en')} customers: ${((Date.now() - syncStarted) / 1000).toFixed(1)} s (commit ${(commitMs / 1000).toFixed(1)} s)\n`,
    );
    const saved = await api('PUT', '/api/config', {
      baseVersion: before.body.version,
      config: getPreset('value-pyramid'),
      note: 'load test',
    });
    process.stdout.write(`  config save: HTTP ${saved.status}, version ${saved.body.version}\n`);
  })();
  await Promise.all([...workers, writes]);
  const seconds = (Date.now() - started) / 1000;

  const pct = (xs: number[], p: number) => {
    if (xs.length === 0) return NaN;
    const sorted = Float64Array.from(xs).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  };
  const total = Object.values(latencies).reduce((n, xs) => n + xs.length, 0);
  process.stdout.write(
    `\n${total.toLocaleString('en')} answers in ${seconds.toFixed(1)} s with ${WORKERS} concurrent clients: ${(total / seconds).toFixed(1)}/s\n`,
  );
  process.stdout.write('request        count     p50 ms   p95 ms   p99 ms   max ms\n');
  for (const [kind, xs] of Object.entries(latencies)) {
    process.stdout.write(
      `${kind.padEnd(12)} ${String(xs.length).padStart(7)} ${[50, 95, 99, 100]
        .map((p) => pct(xs, p).toFixed(0).padStart(8))
        .join(' ')}\n`,
    );
  }
  process.stdout.write(`errors: ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ''}\n`);
  process.stdout.write(
    `summaries from the old book: ${seen.old}, from the new: ${seen.new}, mixed or unrecognised: ${seen.mixed}\n`,
  );
  process.stdout.write(
    `config versions seen: ${[...seen.configVersions].sort((a, b) => a - b).join(', ')}\n`,
  );
  responses.close();
  process.exitCode = errors.length > 0 || seen.mixed > 0 ? 1 : 0;
}

main()
  .catch((error) => {
    process.stderr.write(`load: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    sandbox?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
