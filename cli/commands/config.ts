import { checkConfig, formatConfigProblem, getPreset, PRESETS, TierwiseError } from '../../shared';
import { readJsonFile, toTextTable } from '../io';
import type { Flags } from '../options';

/** tierwise check-config FILE [--json]: exit 0 only when the configuration is valid. */
export function checkConfigFile(file: string, flags: Flags): number {
  const check = checkConfig(readJsonFile(file));
  if (flags.json) {
    // The findings only: the configuration itself is the file just read.
    process.stdout.write(`${JSON.stringify({ ...check, config: undefined }, null, 2)}\n`);
  } else if (check.valid) {
    process.stdout.write(`${file}: valid\n`);
  } else {
    process.stdout.write(`${file}: not valid\n`);
    for (const problem of check.errors) process.stdout.write(`  ${formatConfigProblem(problem)}\n`);
  }
  for (const warning of check.warnings) process.stderr.write(`${file}: note: ${warning}\n`);
  return check.valid ? 0 : 1;
}

/** tierwise presets [NAME] [--json] */
export function presets(name: string | undefined, flags: Flags): number {
  if (name !== undefined) {
    const preset = getPreset(name);
    if (!preset)
      throw new TierwiseError(`no preset "${name}"; choose one of ${PRESETS.map((p) => p.name).join(', ')}`);
    process.stdout.write(`${JSON.stringify(preset, null, 2)}\n`);
    return 0;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(PRESETS, null, 2)}\n`);
  else
    process.stdout.write(
      toTextTable(
        PRESETS.map((p) => ({ ...p })),
        100,
      ),
    );
  return 0;
}
