import { isoDate } from '../../shared';
import { loadBook } from '../book';
import { type CliIo, intakeJson, reportRejected, toTextTable } from '../io';
import { asOfFrom, type Flags, formatFrom, unitFrom } from '../options';
import { LineWriter, summaryObject, writeJsonWithArray, writeSummaryCsv } from '../rows';

/** tierwise summarize FILE --as-of DATE [--unit day|week] [--json|--csv] */
export function summarize(file: string, flags: Flags, io: CliIo): number {
  const asOf = asOfFrom(flags);
  const unit = unitFrom(flags);
  const book = loadBook(file, flags, asOf, unit, io);
  const format = formatFrom(flags);
  const out = new LineWriter(io.stdout);
  const { customers } = book;
  if (format === 'json')
    writeJsonWithArray(
      out,
      { asOf: isoDate(asOf), unit },
      'customers',
      customers.length,
      (i) => summaryObject(customers[i], unit),
      intakeJson(book),
    );
  else if (format === 'csv') writeSummaryCsv(customers, unit, out);
  else
    io.stdout(
      toTextTable(
        customers.map((c) => summaryObject(c, unit)),
        24,
      ),
    );
  return reportRejected(io, file, book.rejected) ? 2 : 0;
}
