import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run } from '../../cli/main';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `tierwise` binary (the built bundle, its lazily loaded chunks, the process's pipes and
 * exit status), as a user would. Slower than `cli`: keep it for what only the binary can show.
 */
export function tierwise(...args: string[]): Run {
  const run = spawnSync(process.execPath, ['bin/tierwise.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * The same command line run in this process through `run` (cli/main.ts), with the output collected:
 * the same code from the sources, without starting Node for each call. File names are relative to the
 * project root, where vitest runs.
 */
export async function cli(...args: string[]): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await run(args, {
    stdout: (text) => stdout.push(typeof text === 'string' ? text : Buffer.from(text).toString('utf8')),
    stderr: (text) => stderr.push(text),
    env: process.env,
  });
  return { status, stdout: stdout.join(''), stderr: stderr.join('') };
}
