/** Loads a customer book from a CSV file of any shape, streaming it through the core's reader. */

import {
  type BookIntake,
  type BookReader,
  bookReader,
  clvSummaryBookReader,
  type Day,
  isClvSummary,
  isoDate,
  type RowProblem,
  refuseAmbiguous,
  TierwiseError,
  type TimeUnit,
} from '../shared';
import { readCsvFile } from './csv';
import { type CliIo, reportIgnored, reportRejected } from './io';
import { columnsFrom, type Flags } from './options';

/** Longest excerpt of a malformed line shown in its message. */
const EXCERPT = 80;

/**
 * Reads `path` into a book as of `asOf`. A line with more or fewer fields than the header, or with
 * text after a closing quote, is rejected by its line number; everything else goes to the core.
 * Throws when nothing at all could be used: a header without rows, every row rejected, every
 * transaction after the as-of date. `unit` is the unit a CLV-summary file's recency and T are in; the
 * book's durations are days whatever the file.
 */
export function loadBook(path: string, flags: Flags, asOf: Day, unit: TimeUnit, io: CliIo): BookIntake {
  let reader: BookReader | null = null;
  let width = 0;
  let records = 0;
  let delimiter = ',';
  readCsvFile(
    path,
    { encoding: flags.encoding, delimiter: flags.delimiter },
    (header) => {
      width = header.header.length;
      delimiter = header.delimiter;
      reader = readerFor(header.header, flags, asOf, unit);
      // A transaction log repeats each customer's id on every row: the CSV reader numbers them.
      return reader.idColumn === null ? undefined : [reader.idColumn];
    },
    (cells, { line, problem, keys }) => {
      records++;
      const book = reader!;
      if (problem === null && cells.length === width) book.add(cells, line, keys[0]);
      else book.reject(lineProblem(cells, line, problem, width, delimiter));
    },
  );
  if (reader === null) throw new TierwiseError(`${path} is empty: it needs a header row and data rows`);
  const intake = (reader as BookReader).finish();
  if (intake.customers.length === 0) throw nothingToUse(path, intake, records, asOf, io);
  reportIgnored(io, path, intake, asOf);
  return intake;
}

/** The core's reader for the file's shape; a CLV summary states no unit, so it needs --unit. */
function readerFor(header: string[], flags: Flags, asOf: Day, unit: TimeUnit): BookReader {
  const columns = columnsFrom(flags);
  if (flags.date === undefined && isClvSummary(header)) {
    if (flags.unit === undefined)
      throw new TierwiseError(
        "this is a CLV summary (lifetimes' frequency, recency and T): say the unit its recency and T " +
          'are in with --unit week (as in the CDNOW summary) or --unit day',
      );
    return clvSummaryBookReader(header, { asOf, unit, columns });
  }
  refuseAmbiguous(header, columns);
  return bookReader(header, { asOf, columns });
}

function lineProblem(
  cells: string[],
  line: number,
  problem: string | null,
  width: number,
  delimiter: string,
): RowProblem {
  const text = cells.join(delimiter);
  const value = text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
  if (problem !== null) return { row: line, column: '', value, reason: problem };
  const shown = delimiter === '\t' ? 'tab' : delimiter;
  const hint =
    cells.length > width
      ? `; a value with a "${shown}" in it (such as $1${shown}000) must be in quotes: "$1${shown}000"`
      : '';
  return { row: line, column: '', value, reason: `${width} fields expected, ${cells.length} found${hint}` };
}

/** Why a file gave no customers, with the rejected rows listed first. */
function nothingToUse(
  path: string,
  intake: BookIntake,
  records: number,
  asOf: Day,
  io: CliIo,
): TierwiseError {
  if (intake.rejected.length > 0) {
    reportRejected(io, path, intake.rejected, false);
    return new TierwiseError(
      `every data row of ${path} was rejected (${intake.rejected.length}); nothing to work on: see the reasons above`,
    );
  }
  if (intake.afterAsOf.rows > 0)
    return new TierwiseError(
      `every transaction in ${path} is dated after the as-of date ${isoDate(asOf)} (${intake.afterAsOf.rows}); choose a later --as-of`,
    );
  return new TierwiseError(
    records === 0 ? `${path} has a header row but no data rows` : `${path} has no data rows, only blank ones`,
  );
}
