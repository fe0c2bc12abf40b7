import { checkConfig, formatConfigProblem, getPreset, PRESETS, TierwiseError } from '../../shared';
import { type CliIo, readJsonFile, toTextTable } from '../io';
import type { Flags } from '../options';

/** tierwise check-config FILE [--json]: exit 0 only when the configuration is valid. */
export function checkConfigFile(file: string, flags: Flags, io: CliIo): number {
  const check = checkConfig(readJsonFile(file));
  if (flags.json) {
    // The findings only: the configuration itself is the file just read.
    io.stdout(`${JSON.stringify({ ...check, config: undefined }, null, 2)}\n`);
  } else if (check.valid) {
    io.stdout(`${file}: valid\n`);
  } else {
    io.stdout(`${file}: not valid\n`);
    for (const problem of check.errors) io.stdout(`  ${formatConfigProblem(problem)}\n`);
  }
  for (const warning of check.warnings) io.stderr(`${file}: note: ${warning}\n`);
  return check.valid ? 0 : 1;
}

/** tierwise presets [NAME] [--json] */
export function presets(name: string | undefined, flags: Flags, io: CliIo): number {
  if (name !== undefined) {
    const preset = getPreset(name);
    if (!preset)
      throw new TierwiseError(`no preset "${name}"; choose one of ${PRESETS.map((p) => p.name).join(', ')}`);
    io.stdout(`${JSON.stringify(preset, null, 2)}\n`);
    return 0;
  }
  if (flags.json) io.stdout(`${JSON.stringify(PRESETS, null, 2)}\n`);
  else
    io.stdout(
      toTextTable(
        PRESETS.map((p) => ({ ...p })),
        100,
      ),
    );
  return 0;
}
