import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

// Issue 10: the sandbox process guards what acts as its demo manager, and never starts silently empty.
const dir = mkdtempSync(join(tmpdir(), 'tierwise-sandbox-'));
const env = { ...process.env, TIERWISE_SANDBOX_DIR: dir };
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `tierwise sandbox` on disk in `dir`; resolves with its URL, or with its exit and stderr. */
function start(): Promise<{ url?: string; status?: number | null; stderr: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/tierwise.js', 'sandbox', '--port', '0'], { cwd: ROOT, env });
  children.push(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`sandbox neither started nor stopped:\n${stdout}${stderr}`)),
      25_000,
    );
    child.stderr?.on('data', (c) => {
      stderr += c;
    });
    child.stdout?.on('data', (c) => {
      stdout += c;
      const match = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], stderr, child });
      }
    });
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr, child });
    });
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

describe('the sandbox on disk', () => {
  it('lets only its own sidebar page call the server functions', async () => {
    const box = await start();
    expect(box.url).toBeDefined();
    const url = box.url!;
    const page = await (await fetch(`${url}/sidebar`)).text();
    const token = /'x-tierwise-sandbox': '([0-9a-f]+)'/.exec(page)?.[1];
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    const call = (headers: Record<string, string>) =>
      fetch(`${url}/sidebar/run/createLinkCode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '[]',
      });
    const evil = await call({ origin: 'https://evil.example', 'x-tierwise-sandbox': token! });
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { error: string }).error).toContain('https://evil.example');
    const noToken = await call({ origin: url });
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: string }).error).toContain('token');
    // DNS rebinding: another name for 127.0.0.1 (fetch cannot set Host, so plain http does).
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${url}/sidebar`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
    // The page's own call, with the same function, works: the refusals above are the guard's doing.
    const own = await call({ origin: url, 'x-tierwise-sandbox': token! });
    expect(await own.json()).toMatchObject({
      ok: true,
      value: { code: expect.stringMatching(/^[A-Z2-9]{8}$/) },
    });
    await stop(box.child);
  }, 60_000);

  it.each([
    [
      'a corrupt CURRENT file',
      (db: string) => writeFileSync(join(db, 'CURRENT'), 'garbage\n'),
      'LevelDB cannot open it',
    ],
    [
      'its data files deleted',
      (db: string) => {
        for (const f of readdirSync(db)) if (/\.(log|ldb)$/.test(f)) unlinkSync(join(db, f));
      },
      'is gone',
    ],
    ['the folder deleted', (db: string) => rmSync(db, { recursive: true }), 'missing or empty'],
  ])(
    'refuses to start on a database with %s, naming the folder and what to do',
    async (_, damage, says) => {
      // A healthy start first (the previous test's, or this one's), then the damage.
      const healthy = await start();
      expect(healthy.url).toBeDefined();
      await stop(healthy.child);
      damage(join(dir, 'db'));
      const broken = await start();
      expect(broken.url).toBeUndefined();
      expect(broken.status).toBe(1);
      expect(broken.stderr).toContain(`the sandbox database in ${join(dir, 'db')} is damaged or incomplete`);
      expect(broken.stderr).toContain(says);
      expect(broken.stderr).toContain(`delete the folder ${dir}`);
      expect(broken.stderr).not.toMatch(/\n\s+at /); // no stack
      rmSync(dir, { recursive: true, force: true });
    },
    90_000,
  );
});
