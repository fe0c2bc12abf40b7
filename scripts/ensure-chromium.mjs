// `npm test` runs the sidebar in a real browser. This finds Chromium, or installs Debian's package when
// it may (root, or sudo without a password), or says exactly what to do. Prints the path it uses.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
].filter(Boolean);

const found = () => CANDIDATES.find((path) => existsSync(path));

function install() {
  if (!existsSync('/usr/bin/apt-get')) return 'this is not a Debian/Ubuntu system (no apt-get)';
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true']).status === 0;
  if (!root && !sudo) return 'installing needs root (or sudo without a password)';
  const run = (args) =>
    execFileSync(root ? args[0] : 'sudo', root ? args.slice(1) : args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  process.stdout.write(
    'Chromium is missing: installing Debian\'s "chromium" package for the sidebar tests…\n',
  );
  try {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  } catch (error) {
    return `apt-get failed (${error.message.split('\n')[0]})`;
  }
  return null;
}

let path = found();
if (!path) {
  const why = install();
  path = found();
  if (!path) {
    process.stderr.write(
      [
        `npm test needs Chromium for the sidebar tests, and none was found (looked at ${CANDIDATES.join(', ')}).`,
        why
          ? `It was not installed automatically: ${why}.`
          : 'The install finished, but no browser appeared there.',
        'Do one of these, then run npm test again:',
        '  sudo apt-get install -y chromium            (Debian, Ubuntu)',
        '  CHROMIUM_PATH=/path/to/chrome npm test       (any Chromium or Chrome you already have)',
        '',
      ].join('\n'),
    );
    process.exit(1);
  }
}
process.stdout.write(`Chromium for the sidebar tests: ${path}\n`);
