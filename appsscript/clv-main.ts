/**
 * The CLV model behind CLV() and PALIVE(), bundled apart from Code.js into Clv.html (see main.ts
 * `clvModel()`): only those two functions fit a model, and Sheets loads Code.js on every call of every
 * custom function, TIER and RFM included.
 */

import {
  type ClvResult,
  type CustomerSummary,
  clvPredictions,
  type Day,
  DEFAULT_CLV_OPTIONS,
  predictClv,
} from '../shared';

/** Fits and predicts in weeks, the unit the CLV literature reports and the functions' headers name. */
export const predict = (customers: readonly CustomerSummary[], asOf: Day): ClvResult =>
  predictClv(customers, { ...DEFAULT_CLV_OPTIONS, asOf, unit: 'week' });

export { clvPredictions as predictions };
