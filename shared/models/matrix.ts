/**
 * The `matrix` kind: two axes (e.g. value × loyalty) cut into bands, and a tier in every cell.
 */

import { readElsewhere } from '../reader';
import { type Axis, axisBands, axisReason, readAxis } from './axis';
import { type TierModelKind, UNTIERED } from './model';

export interface MatrixModel {
  kind: 'matrix';
  rows: Axis;
  columns: Axis;
  /** `cells[row band][column band]`: a tier key. */
  cells: string[][];
}

export const matrixKind: TierModelKind<MatrixModel> = {
  kind: 'matrix',
  read(read, model, path, { tiers }) {
    // Band counts of each axis (undefined when it is invalid), which the cells must match.
    let rows: number | undefined;
    let columns: number | undefined;
    read.fields<MatrixModel>(model, path, {
      kind: readElsewhere,
      rows: (v, p) => {
        rows = readAxis(read, v, p);
      },
      columns: (v, p) => {
        columns = readAxis(read, v, p);
      },
      cells: (v, p) => {
        const cells = read.array(v, p, 1) ?? [];
        if (rows && cells.length !== rows)
          read.fail(p, `must have ${rows} rows (one per row band), got ${cells.length}`);
        cells.forEach((row, i) => {
          const list = read.array(row, `${p}[${i}]`) ?? [];
          if (columns && list.length !== columns)
            read.fail(`${p}[${i}]`, `must have ${columns} entries (one per column band), got ${list.length}`);
          for (const [j, cell] of list.entries()) read.tier(cell, `${p}[${i}][${j}]`, tiers);
        });
      },
    });
  },
  metrics: (model) => [model.rows.metric, model.columns.metric],
  assign(model, source, tierIndex) {
    const rows = axisBands(model.rows, source);
    const columns = axisBands(model.columns, source);
    const cells = model.cells.map((row) => row.map(tierIndex));
    return Int16Array.from(rows, (r, i) => (r < 0 || columns[i] < 0 ? UNTIERED : cells[r][columns[i]]));
  },
  reasons: (model, book, i, say) => [
    axisReason(model.rows, book, i, say),
    axisReason(model.columns, book, i, say),
  ],
  tiers: (model) => model.cells.flat(),
  ranks: (model) => (model.rows.quantiles ?? model.columns.quantiles) !== undefined,
  axes: (model) => [model.rows, model.columns],
};
