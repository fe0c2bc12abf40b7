import { fileURLToPath } from 'node:url';
import type { CliIo } from '../io';
import type { Flags } from '../options';
import { score } from './score';

/** The example data that ships with the project, scored as of its last day. */
export const EXAMPLE_TRANSACTIONS = fileURLToPath(new URL('../examples/transactions.csv', import.meta.url));
export const EXAMPLE_AS_OF = '2024-06-30';

/**
 * Scores the example data and prints the tier summary: a first look without data of one's own.
 * `tierwise sandbox` is the interactive tour (Slack and the sidebar on the same data).
 */
export function demo(flags: Flags, io: CliIo): number {
  io.stdout(
    `Scoring ${EXAMPLE_TRANSACTIONS} as of ${EXAMPLE_AS_OF} with the ${flags.preset ?? 'rfm-segments'} preset\n\n`,
  );
  return score(EXAMPLE_TRANSACTIONS, { ...flags, 'as-of': EXAMPLE_AS_OF }, io);
}
