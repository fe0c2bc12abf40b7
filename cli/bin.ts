/**
 * The `tierwise` executable (bundled to dist/cli.js, started by bin/tierwise.js): the command line
 * in cli/main.ts, wired to this process's arguments, streams, environment and exit status.
 */

import { run } from './main';

// Output piped into `head` closes early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
}).then((status) => {
  process.exitCode = status;
});
