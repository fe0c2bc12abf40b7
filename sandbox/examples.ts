/** The example data (examples/transactions.csv, 100 rows) as rows: the sandbox's demo book and the tests'. */

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export const EXAMPLE_CSV = 'examples/transactions.csv';

/** The rows of examples/transactions.csv under the project folder `root`, header first. */
export function exampleRows(root: string): string[][] {
  return parse(readFileSync(`${root}${EXAMPLE_CSV}`, 'utf8'), { skip_empty_lines: true });
}
