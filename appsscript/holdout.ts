/**
 * The sidebar's "Check the CLV model": the sheet's transaction log split at the calibration end, the
 * model fitted on the first part and compared with the holdout. In the Server bundle; the model comes
 * from the Clv bundle (main.ts hands it in), so neither weighs on Code.js.
 */

import { type Day, detectShape, parseDay, parseTransactions, TierwiseError } from '../shared';
import type { ClvModel } from './functions';
import type { HoldoutAnswer } from './protocol';
import { dataRange, dataValues } from './server';

/** A date from the sidebar (YYYY-MM-DD), or null for the default from the data. */
function dayArg(value: unknown, name: string): Day | null {
  if (value === null || value === undefined || value === '') return null;
  const day = parseDay(value);
  if (day === null) throw new TierwiseError(`${name} "${String(value)}" is not a date; use YYYY-MM-DD`);
  return day;
}

/** Dates in the sheet are read as the days the spreadsheet shows, in its time zone (dataValues). */
export function holdoutCheck(calibrationEnd: unknown, holdoutEnd: unknown, model: ClvModel): HoldoutAnswer {
  const dates = {
    calibrationEnd: dayArg(calibrationEnd, 'calibration end'),
    holdoutEnd: dayArg(holdoutEnd, 'holdout end'),
  };
  const sheetRange = dataRange();
  const { header, rows, status } = dataValues(sheetRange);
  const range = status.range;
  if (detectShape(header) !== 'transactions') return { kind: 'not-a-log', range };
  const firstRowNumber = sheetRange.getRow() + 1;
  const { log, rejected } = parseTransactions({ header, rows, firstRowNumber });
  return {
    kind: 'checked',
    range,
    check: model.holdout(log, dates),
    rejected: rejected.length,
    firstRejected: rejected.slice(0, 3),
  };
}
