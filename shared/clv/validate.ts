/**
 * Holdout validation: fit a count model on the calibration period of a transaction log, then compare
 * its predictions with what customers actually did in the holdout period, the way Fader, Hardie & Lee
 * (2005) check the BG/NBD on CDNOW and lifetimes' `plot_calibration_purchases_vs_holdout_purchases`
 * does: mean holdout purchases by number of calibration purchases, the cumulative weekly tracking
 * curve, and error figures. Purchases are purchase days, as in the fit (same-day transactions are one
 * purchase; refund-only days are none).
 */

import type { Day } from '../dates';
import { summarize, type TransactionLog } from '../summarize';
import { daysToUnit, type TimeUnit } from '../units';
import { historiesFrom } from './histories';
import { BG_MODELS, type CountFit, type CountModel, type CountModelName, type CountModels } from './models';
import { type DataSize, dataSize } from './predict';

export interface HoldoutOptions {
  calibrationEnd: Day;
  holdoutEnd: Day;
  unit: TimeUnit;
  model: CountModelName;
  /** Calibration purchase counts from this one up share the last row of the table ("7+"). */
  maxFrequency?: number;
}

export interface FrequencyRow {
  /** Repeat purchases in the calibration period: "0", "1", …, "7+". */
  frequency: string;
  customers: number;
  /** Mean repeat purchases per customer in the holdout. */
  actual: number;
  predicted: number;
}

export interface TrackingPoint {
  /** Week number from the first week with a first purchase (1-based). */
  week: number;
  /** Last day of the week (ISO day number); the last week ends on the holdout end. */
  end: Day;
  /** Repeat purchases up to the end of the week, cumulative, all customers of the cohort. */
  actual: number;
  predicted: number;
}

export interface HoldoutValidation {
  options: HoldoutOptions;
  fit: CountFit;
  /** Customers whose first purchase is on or before the calibration end: the cohort the model describes. */
  customers: number;
  /** How much calibration history the fit had (too little makes the comparison noise: SMALL_DATA). */
  size: DataSize;
  /** Customers whose first purchase falls in the holdout: not in the cohort, counted here. */
  newInHoldout: number;
  holdoutLength: number;
  byFrequency: FrequencyRow[];
  tracking: TrackingPoint[];
  /** The week in `tracking` that contains the calibration end. */
  calibrationWeek: number;
  errors: {
    actualTotal: number;
    predictedTotal: number;
    /** (predicted − actual) / actual, in %. */
    totalError: number;
    /** Per customer, holdout repeat purchases. */
    meanAbsoluteError: number;
    rootMeanSquaredError: number;
    /** The same for the naive forecast "the customer's calibration rate carries on". */
    naiveMeanAbsoluteError: number;
    correlation: number;
    /** Mean |predicted − actual| / actual of the cumulative curve over the holdout weeks, in %. */
    trackingError: number;
  } | null;
}

/**
 * Fits on the calibration period and compares with the holdout; `errors` is null when the fit failed.
 * `models`: the BG/NBD family by default; pass `ALL_COUNT_MODELS` for the Pareto/NBD too.
 */
export function validateHoldout(
  log: TransactionLog,
  options: HoldoutOptions,
  models: CountModels = BG_MODELS,
): HoldoutValidation {
  const { calibrationEnd, holdoutEnd, unit } = options;
  const kind = models[options.model];
  if (!kind) throw new RangeError(`unknown model ${options.model}`);
  const calibration = summarize(log, { asOf: calibrationEnd });
  const { histories, included } = historiesFrom(calibration, unit);
  const fit = kind.fit(histories);
  const days = purchaseDays(log, calibrationEnd, holdoutEnd);
  const indexOf = new Map(log.customers.map((c, i) => [c.id, i]));
  const cohort = included.map((i) => indexOf.get(calibration[i].customerId)!);
  const holdoutLength = daysToUnit(holdoutEnd - calibrationEnd, unit);
  const size = dataSize(calibration, histories, calibrationEnd);
  const base = { options, fit, customers: cohort.length, size, holdoutLength };
  let newInHoldout = 0;
  for (let c = 0; c < log.customers.length; c++)
    if (days.first[c] > calibrationEnd && days.first[c] <= holdoutEnd) newInHoldout++;
  if (!fit.ok)
    return { ...base, newInHoldout, byFrequency: [], tracking: [], calibrationWeek: 0, errors: null };

  const model = kind.predictor(fit);
  const maxFrequency = options.maxFrequency ?? 7;
  const rows = Array.from({ length: maxFrequency + 1 }, () => ({ customers: 0, actual: 0, predicted: 0 }));
  const actual = new Float64Array(cohort.length);
  const predicted = new Float64Array(cohort.length);
  let naiveAbs = 0;
  for (let k = 0; k < cohort.length; k++) {
    const [x, tx, T] = [histories.x[k], histories.tx[k], histories.T[k]];
    actual[k] = days.holdout[cohort[k]];
    predicted[k] = model.expectedPurchases(holdoutLength, x, tx, T);
    naiveAbs += Math.abs((T > 0 ? (x / T) * holdoutLength : 0) - actual[k]);
    const row = rows[Math.min(x, maxFrequency)];
    row.customers++;
    row.actual += actual[k];
    row.predicted += predicted[k];
  }
  const byFrequency = rows.map((row, x) => ({
    frequency: x === maxFrequency ? `${x}+` : String(x),
    customers: row.customers,
    actual: row.customers > 0 ? row.actual / row.customers : 0,
    predicted: row.customers > 0 ? row.predicted / row.customers : 0,
  }));
  const { tracking, calibrationWeek } = trackingCurve(model, days, cohort, options);
  return {
    ...base,
    newInHoldout,
    byFrequency,
    tracking,
    calibrationWeek,
    errors: errorFigures(actual, predicted, naiveAbs, tracking, calibrationWeek),
  };
}

/** Per customer of the log: the first purchase day and the repeat purchase days per day, up to `end`. */
interface PurchaseDays {
  first: Int32Array;
  /** Repeat purchase days in the holdout, per customer. */
  holdout: Int32Array;
  /** Repeat purchase days per calendar day from `start` (all customers). */
  repeatsOn: Float64Array;
  start: Day;
}

function purchaseDays(log: TransactionLog, calibrationEnd: Day, end: Day): PurchaseDays {
  let start = Number.POSITIVE_INFINITY;
  for (let i = 0; i < log.day.length; i++) if (log.amount[i] >= 0 && log.day[i] < start) start = log.day[i];
  if (!Number.isFinite(start)) start = end;
  const span = Math.max(0, end - start) + 1;
  // One key per (customer, day) with a purchase; sorting them groups customers and orders their days.
  const keys: number[] = [];
  for (let i = 0; i < log.day.length; i++)
    if (log.amount[i] >= 0 && log.day[i] <= end) keys.push(log.customer[i] * span + (log.day[i] - start));
  const sorted = Float64Array.from(keys).sort();
  const first = new Int32Array(log.customers.length).fill(2 ** 31 - 1);
  const holdout = new Int32Array(log.customers.length);
  const repeatsOn = new Float64Array(span);
  let previous = -1;
  for (const key of sorted) {
    if (key === previous) continue;
    const c = Math.floor(key / span);
    const day = start + (key - c * span);
    if (previous < 0 || Math.floor(previous / span) !== c) first[c] = day;
    else if (first[c] <= calibrationEnd) {
      // Only the calibration cohort: customers who first buy in the holdout are not modelled.
      repeatsOn[day - start]++;
      if (day > calibrationEnd) holdout[c]++;
    }
    previous = key;
  }
  return { first, holdout, repeatsOn, start };
}

/**
 * Cumulative repeat purchases week by week, actual and expected: each customer of the cohort is
 * expected to make E[X(t)] repeat purchases in the t since their first purchase (FHL 2005, Figure 2).
 * Customers are grouped by first purchase day, so the work is weeks × distinct first days.
 */
function trackingCurve(
  model: CountModel,
  days: PurchaseDays,
  cohort: readonly number[],
  options: HoldoutOptions,
): { tracking: TrackingPoint[]; calibrationWeek: number } {
  const { start } = days;
  const span = options.holdoutEnd - start + 1;
  const joined = new Float64Array(span);
  let cohortStart = options.calibrationEnd;
  for (const c of cohort) {
    joined[days.first[c] - start]++;
    cohortStart = Math.min(cohortStart, days.first[c]);
  }
  const expectedAt = Float64Array.from({ length: span }, (_, lag) =>
    model.newCustomerPurchases(daysToUnit(lag, options.unit)),
  );
  const joinDays: number[] = [];
  for (let d = 0; d < span; d++) if (joined[d] > 0) joinDays.push(d);
  const tracking: TrackingPoint[] = [];
  let actual = 0;
  let day = cohortStart - start;
  let calibrationWeek = 0;
  for (let week = 1; day < span; week++) {
    const last = Math.min(day + 6, span - 1);
    for (; day <= last; day++) actual += days.repeatsOn[day];
    let predicted = 0;
    for (const d of joinDays) if (d <= last) predicted += joined[d] * expectedAt[last - d];
    const end = start + last;
    if (calibrationWeek === 0 && end >= options.calibrationEnd) calibrationWeek = week;
    tracking.push({ week, end, actual, predicted });
  }
  return { tracking, calibrationWeek };
}

function errorFigures(
  actual: Float64Array,
  predicted: Float64Array,
  naiveAbs: number,
  tracking: TrackingPoint[],
  calibrationWeek: number,
): HoldoutValidation['errors'] {
  const n = actual.length;
  let [sumA, sumP, abs, sq, sAA, sPP, sAP] = [0, 0, 0, 0, 0, 0, 0];
  for (let k = 0; k < n; k++) {
    sumA += actual[k];
    sumP += predicted[k];
    abs += Math.abs(predicted[k] - actual[k]);
    sq += (predicted[k] - actual[k]) ** 2;
  }
  const [meanA, meanP] = [sumA / n, sumP / n];
  for (let k = 0; k < n; k++) {
    sAA += (actual[k] - meanA) ** 2;
    sPP += (predicted[k] - meanP) ** 2;
    sAP += (actual[k] - meanA) * (predicted[k] - meanP);
  }
  // Tracking error over the holdout weeks only, on purchases made since the calibration end.
  const atCalibration = tracking[calibrationWeek - 1];
  const holdoutWeeks = tracking.slice(calibrationWeek);
  let trackingAbs = 0;
  let counted = 0;
  for (const point of holdoutWeeks) {
    const a = point.actual - atCalibration.actual;
    const p = point.predicted - atCalibration.predicted;
    if (a <= 0) continue;
    trackingAbs += Math.abs(p - a) / a;
    counted++;
  }
  return {
    actualTotal: sumA,
    predictedTotal: sumP,
    totalError: sumA > 0 ? ((sumP - sumA) / sumA) * 100 : 0,
    meanAbsoluteError: n > 0 ? abs / n : 0,
    rootMeanSquaredError: n > 0 ? Math.sqrt(sq / n) : 0,
    naiveMeanAbsoluteError: n > 0 ? naiveAbs / n : 0,
    correlation: sAA > 0 && sPP > 0 ? sAP / Math.sqrt(sAA * sPP) : 0,
    trackingError: counted > 0 ? (trackingAbs / counted) * 100 : 0,
  };
}
