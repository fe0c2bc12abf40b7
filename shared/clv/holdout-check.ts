/**
 * The holdout check as a person runs it from the sidebar: default dates from the data, dates that make
 * no sense refused before any work, too little history told apart from a fit that failed. Answers are
 * facts and kinds (no sentences), so each front end words them in its reader's language.
 */

import type { Day } from '../dates';
import type { TransactionLog } from '../summarize';
import { BG_MODELS, type CountModels } from './models';
import { type DataSize, SMALL_DATA } from './predict';
import { type HoldoutOptions, type HoldoutValidation, validateHoldout } from './validate';

/** The first and last purchase days of a log (refund-only rows count: they are dated activity). */
export interface LogSpan {
  first: Day;
  last: Day;
}

/**
 * The weekly tracking curve costs weeks × distinct first-purchase days, so a log spanning centuries (a
 * mistyped year) is refused rather than computed: 40 years is about 2,100 weeks × 14,600 days.
 */
export const MAX_HOLDOUT_SPAN_DAYS = 14_610;

export function logSpan(log: TransactionLog): LogSpan | null {
  if (log.day.length === 0) return null;
  let first = log.day[0];
  let last = log.day[0];
  for (let i = 1; i < log.day.length; i++) {
    if (log.day[i] < first) first = log.day[i];
    if (log.day[i] > last) last = log.day[i];
  }
  return { first, last };
}

/**
 * Calibration on the first half of the data, holdout on the second: on CDNOW (1997-01-01 to
 * 1998-06-30) that is the published split, calibration to 1997-09-30.
 */
export const defaultHoldoutDates = (span: LogSpan): { calibrationEnd: Day; holdoutEnd: Day } => ({
  calibrationEnd: span.first + Math.floor((span.last - span.first) / 2),
  holdoutEnd: span.last,
});

export type DateProblem =
  /** The holdout must end after the calibration. */
  | 'order'
  /** No purchase on or before the calibration end: nobody to fit. */
  | 'calibration-before-data'
  /** The calibration ends on or after the last purchase: nothing in the holdout to compare with. */
  | 'calibration-after-data'
  /** The holdout ends after the last purchase: days without data would count as days without purchases. */
  | 'holdout-after-data'
  /** From the first purchase to the holdout end is more than MAX_HOLDOUT_SPAN_DAYS. */
  | 'too-long';

export type HoldoutCheck =
  | { kind: 'empty' }
  | { kind: 'dates'; problem: DateProblem; span: LogSpan; calibrationEnd: Day; holdoutEnd: Day }
  /** Less history than a fit needs (SMALL_DATA); `need` says how much. */
  | { kind: 'too-little'; span: LogSpan; size: DataSize; need: typeof SMALL_DATA; calibrationEnd: Day }
  /** The fit failed (did not converge, ran to the boundary): `validation.fit.reason` says how. */
  | { kind: 'fit-failed'; span: LogSpan; validation: HoldoutValidation }
  | { kind: 'ok'; span: LogSpan; validation: HoldoutValidation };

/**
 * What is wrong with the dates for this log, or null (checked before any work). `graceDays` lets the
 * holdout end that many days after the last purchase: a file exported today whose last purchase was
 * a few days ago (the CLI, where the user types the date; the sidebar offers dates from the data).
 */
export function holdoutDateProblem(
  span: LogSpan,
  calibrationEnd: Day,
  holdoutEnd: Day,
  graceDays = 0,
): DateProblem | null {
  if (holdoutEnd <= calibrationEnd) return 'order';
  if (calibrationEnd < span.first) return 'calibration-before-data';
  if (calibrationEnd >= span.last) return 'calibration-after-data';
  if (holdoutEnd - span.first > MAX_HOLDOUT_SPAN_DAYS) return 'too-long';
  if (holdoutEnd > span.last + graceDays) return 'holdout-after-data';
  return null;
}

/**
 * Checks the count model on the log: fits up to `calibrationEnd` and compares with the holdout. Dates
 * default to `defaultHoldoutDates`. The BG/NBD family by default (the Sheets bundle's models).
 */
export function checkHoldout(
  log: TransactionLog,
  dates: { calibrationEnd?: Day | null; holdoutEnd?: Day | null },
  options: Pick<HoldoutOptions, 'unit' | 'model'>,
  models: CountModels = BG_MODELS,
): HoldoutCheck {
  const span = logSpan(log);
  if (span === null) return { kind: 'empty' };
  const defaults = defaultHoldoutDates(span);
  const calibrationEnd = dates.calibrationEnd ?? defaults.calibrationEnd;
  const holdoutEnd = dates.holdoutEnd ?? defaults.holdoutEnd;
  const problem = holdoutDateProblem(span, calibrationEnd, holdoutEnd);
  if (problem) return { kind: 'dates', problem, span, calibrationEnd, holdoutEnd };
  const validation = validateHoldout(log, { ...options, calibrationEnd, holdoutEnd }, models);
  const { size } = validation;
  if (
    size.customers < SMALL_DATA.minCustomers ||
    size.repeatBuyers < SMALL_DATA.minRepeatBuyers ||
    size.historyDays < SMALL_DATA.minHistoryDays
  )
    return { kind: 'too-little', span, size, need: SMALL_DATA, calibrationEnd };
  if (!validation.fit.ok) return { kind: 'fit-failed', span, validation };
  return { kind: 'ok', span, validation };
}
