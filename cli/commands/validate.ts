/**
 * tierwise validate FILE --calibration-end DATE --holdout-end DATE [--unit week] [--model mbgnbd]
 *                  [--svg CHART.svg] [--json]
 * Fits on the calibration period and compares predicted with actual repeat purchases in the holdout.
 */

import { writeFileSync } from 'node:fs';
import {
  ALL_COUNT_MODELS,
  chartSvg,
  type DateProblem,
  type Day,
  detectShape,
  ENGLISH_CHART_WORDS,
  type HoldoutValidation,
  holdoutChart,
  holdoutDateProblem,
  isoDate,
  logSpan,
  MAX_HOLDOUT_SPAN_DAYS,
  parseDay,
  TierwiseError,
  type TransactionIntake,
  type TransactionLog,
  type TransactionLogBuilder,
  transactionLogBuilder,
  validateHoldout,
} from '../../shared';
import { readCsvFile } from '../csv';
import { type CliIo, reportRejected, toTextTable } from '../io';
import { columnsFrom, type Flags, unitFrom } from '../options';
import { describeFit, modelFrom } from './clv';

function dayFlag(flags: Flags, name: 'calibration-end' | 'holdout-end'): Day {
  const text = flags[name];
  if (text === undefined) throw new TierwiseError(`give --${name} YYYY-MM-DD`);
  const day = parseDay(text);
  if (day === null) throw new TierwiseError(`--${name} "${text}" is not a date; use YYYY-MM-DD`);
  return day;
}

export function validate(file: string, flags: Flags, io: CliIo): number {
  const calibrationEnd = dayFlag(flags, 'calibration-end');
  const holdoutEnd = dayFlag(flags, 'holdout-end');
  if (holdoutEnd <= calibrationEnd)
    throw new TierwiseError(
      `--holdout-end ${isoDate(holdoutEnd)} must be after --calibration-end ${isoDate(calibrationEnd)}`,
    );
  const unit = unitFrom(flags, 'week');
  const model = modelFrom(flags, ['mbgnbd', 'bgnbd', 'pareto-nbd']) as 'mbgnbd' | 'bgnbd' | 'pareto-nbd';
  const { log, rejected } = loadLog(file, flags);
  reportRejected(io, file, rejected);
  refuseDates(log, calibrationEnd, holdoutEnd, io);
  const result = validateHoldout(log, { calibrationEnd, holdoutEnd, unit, model }, ALL_COUNT_MODELS);
  if (flags.svg) writeFileSync(flags.svg, holdoutSvg(result));
  if (flags.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(holdoutText(result));
  if (!result.fit.ok)
    throw new TierwiseError(`${model} fit on the calibration period failed: ${result.fit.reason}`);
  return rejected.length > 0 ? 2 : 0;
}

/**
 * A holdout may end up to four weeks after the last purchase (an export made days after it), with a
 * note; later than that, days without data would pass for days without purchases.
 */
const HOLDOUT_GRACE_DAYS = 28;

/** Dates outside the data are refused before any work (as the sidebar's check does), naming the data's span. */
function refuseDates(log: TransactionLog, calibrationEnd: Day, holdoutEnd: Day, io: CliIo): void {
  const span = logSpan(log);
  if (span === null) throw new TierwiseError('the file has no transactions to validate on');
  const problem = holdoutDateProblem(span, calibrationEnd, holdoutEnd, HOLDOUT_GRACE_DAYS);
  if (problem === null && holdoutEnd > span.last)
    io.stderr(
      `note: the last transaction is on ${isoDate(span.last)}, ${holdoutEnd - span.last} day(s) before --holdout-end; if the file stops earlier than that, the holdout's actual purchases are too low\n`,
    );
  if (problem === null || problem === 'order') return;
  const [first, last, end] = [isoDate(span.first), isoDate(span.last), isoDate(holdoutEnd)];
  const why: Record<Exclude<DateProblem, 'order'>, string> = {
    'calibration-before-data': `--calibration-end ${isoDate(calibrationEnd)} is before the first transaction (${first}): there is nothing to fit`,
    'calibration-after-data': `--calibration-end ${isoDate(calibrationEnd)} is on or after the last transaction (${last}): there is no holdout to compare with`,
    'holdout-after-data': `--holdout-end ${end} is after the last transaction (${last}): days without data would count as days without purchases`,
    'too-long': `from the first transaction (${first}) to --holdout-end ${end} is more than ${Math.floor(MAX_HOLDOUT_SPAN_DAYS / 365.25)} years: look for a mistyped year`,
  };
  throw new TierwiseError(`${why[problem]}; the data run from ${first} to ${last}`);
}

/** The whole transaction log, streamed from the file: validation splits it by date itself. */
function loadLog(path: string, flags: Flags): TransactionIntake {
  let builder: TransactionLogBuilder | null = null;
  let width = 0;
  readCsvFile(
    path,
    { encoding: flags.encoding, delimiter: flags.delimiter },
    ({ header }) => {
      if (detectShape(header, flags.date) !== 'transactions')
        throw new TierwiseError(
          `${path} is not a transaction log: validate needs one row per purchase (customer_id, date, amount) to split into calibration and holdout`,
        );
      width = header.length;
      builder = transactionLogBuilder(header, columnsFrom(flags));
    },
    (cells, { line, problem }) => {
      const log = builder!;
      if (problem === null && cells.length === width) log.add(cells, line);
      else
        log.rejected.push({
          row: line,
          column: '',
          value: cells.join(',').slice(0, 80),
          reason: problem ?? `${width} fields expected, ${cells.length} found`,
        });
    },
  );
  if (builder === null) throw new TierwiseError(`${path} is empty: it needs a header row and data rows`);
  return (builder as TransactionLogBuilder).finish();
}

const fixed = (v: number, digits = 3): string => v.toFixed(digits);

/** The report for people: the fit, the table by calibration purchases, error figures, the curve. */
export function holdoutText(v: HoldoutValidation): string {
  const { calibrationEnd, holdoutEnd, unit, model } = v.options;
  const lines = [
    `${model} fitted on purchases up to ${isoDate(calibrationEnd)}; holdout ${isoDate(calibrationEnd + 1)} to ${isoDate(holdoutEnd)} (${fixed(v.holdoutLength, 2)} ${unit}s)`,
    `fit: ${describeFit(v.fit)}`,
    `${v.customers} customers first bought by ${isoDate(calibrationEnd)}${v.newInHoldout ? `; ${v.newInHoldout} who first bought in the holdout are not in this comparison` : ''}`,
    '',
  ];
  if (!v.errors) return `${lines.join('\n')}\n`;
  const e = v.errors;
  lines.push(
    'Repeat purchases in the holdout, per customer, by repeat purchases in the calibration period:',
    toTextTable(
      v.byFrequency.map((r) => ({
        'calibration purchases': r.frequency,
        customers: r.customers,
        actual: fixed(r.actual),
        predicted: fixed(r.predicted),
      })),
    ),
    `Holdout total: actual ${e.actualTotal}, predicted ${fixed(e.predictedTotal, 1)} (${e.totalError >= 0 ? '+' : ''}${fixed(e.totalError, 1)} %)`,
    `Per customer: mean absolute error ${fixed(e.meanAbsoluteError)} (naive "same rate as before": ${fixed(e.naiveMeanAbsoluteError)}), RMSE ${fixed(e.rootMeanSquaredError)}, correlation ${fixed(e.correlation)}`,
    `Cumulative tracking over the holdout weeks: mean absolute error ${fixed(e.trackingError, 1)} % of actual`,
    '',
    `Cumulative repeat purchases by week (calibration ends in week ${v.calibrationWeek}):`,
    toTextTable(
      v.tracking
        .filter((p, i) => p.week % 4 === 0 || p.week === v.calibrationWeek || i === v.tracking.length - 1)
        .map((p) => ({
          week: p.week,
          'week ends': isoDate(p.end),
          actual: p.actual,
          predicted: fixed(p.predicted, 1),
        })),
    ),
  );
  return `${lines.join('\n')}`;
}

/** The chart the sidebar shows too, side by side, with the totals as its caption. */
export function holdoutSvg(v: HoldoutValidation): string {
  const e = v.errors;
  const caption = e
    ? `Holdout ${isoDate(v.options.calibrationEnd + 1)} to ${isoDate(v.options.holdoutEnd)}: actual ${e.actualTotal}, predicted ${e.predictedTotal.toFixed(1)} (${e.totalError.toFixed(1)} %); ${v.customers} customers`
    : `The ${v.options.model} fit failed: no comparison`;
  return chartSvg(holdoutChart(v, 'wide', { ...ENGLISH_CHART_WORDS, model: v.options.model, caption }));
}
