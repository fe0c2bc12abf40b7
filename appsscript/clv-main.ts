/**
 * The CLV model behind CLV() and PALIVE(), bundled apart from Code.js into Clv.html (see main.ts
 * `clvModel()`): only those two functions fit a model, and Sheets loads Code.js on every call of every
 * custom function, TIER and RFM included.
 */

import {
  type ClvResult,
  type CustomerSummary,
  checkHoldout,
  clvPredictions,
  type Day,
  DEFAULT_CLV_OPTIONS,
  type HoldoutCheck,
  predictClv,
  type TransactionLog,
} from '../shared';

/** Fits and predicts in weeks, the unit the CLV literature reports and the functions' headers name. */
export const predict = (customers: readonly CustomerSummary[], asOf: Day): ClvResult =>
  predictClv(customers, { ...DEFAULT_CLV_OPTIONS, asOf, unit: 'week' });

export { clvPredictions as predictions };

/** The sidebar's holdout check, with the model and unit CLV() and PALIVE() use. */
export const holdout = (
  log: TransactionLog,
  dates: { calibrationEnd: Day | null; holdoutEnd: Day | null },
): HoldoutCheck => checkHoldout(log, dates, { unit: 'week', model: DEFAULT_CLV_OPTIONS.model });
