import { isoDate, parseTransactions, summarize as summarizeLog } from '../../shared';
import { readCsvTable, reportRejected, toCsv, toTextTable } from '../io';
import { asOfFrom, columnsFrom, type Flags, formatFrom, unitFrom } from '../options';
import { summaryRow } from '../rows';

/** tierwise summarize FILE --as-of DATE [--unit day|week] [--json|--csv] */
export function summarize(file: string, flags: Flags): number {
  const asOf = asOfFrom(flags);
  const unit = unitFrom(flags);
  const { log, rejected } = parseTransactions(readCsvTable(file), columnsFrom(flags));
  const rows = summarizeLog(log, { asOf, unit }).map(summaryRow);
  const format = formatFrom(flags);
  if (format === 'json')
    process.stdout.write(
      `${JSON.stringify({ asOf: isoDate(asOf), unit, customers: rows, rejected }, null, 2)}\n`,
    );
  else if (format === 'csv') process.stdout.write(toCsv(rows));
  else process.stdout.write(toTextTable(rows, 24));
  return reportRejected(file, rejected) ? 2 : 0;
}
