import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

const outdir = mkdtempSync(join(tmpdir(), 'tierwise-synth-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

// What `npm run synth` runs, through the real CDK CLI, offline: no AWS credentials, no network, no secrets
// (but secret-looking variables set, to show they are not picked up). The app is the bundle the test
// setup already built, so this run does not rebuild dist/ under other tests' feet.
it('`cdk synth` works with no credentials and no secrets, and writes none into cdk.out', async () => {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CDK_DISABLE_VERSION_CHECK: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    AWS_EC2_METADATA_DISABLED: 'true',
    SLACK_SIGNING_SECRET: 'canary-cli-signing-secret',
    SLACK_BOT_TOKEN: 'xoxb-canary-cli-token',
  };
  const { stderr } = await promisify(execFile)(
    `${ROOT}node_modules/.bin/cdk`,
    ['synth', '--quiet', '--no-notices', '--app', 'node dist/infra.js', '-c', 'stage=prod', '-o', outdir],
    { cwd: ROOT, env, timeout: 120_000 },
  );
  expect(stderr).not.toMatch(/error/i);
  const template = readFileSync(join(outdir, 'Tierwise-prod.template.json'), 'utf8');
  expect(JSON.parse(template).Resources).toBeTypeOf('object');
  for (const name of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
    if (!name.isFile()) continue;
    const text = readFileSync(join(name.parentPath, name.name), 'utf8');
    expect(text).not.toContain('canary-cli-signing-secret');
    expect(text).not.toContain('xoxb-canary-cli-token');
  }
}, 180_000);
