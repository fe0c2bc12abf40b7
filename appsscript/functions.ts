/**
 * The custom functions: a range in, a 2-D array out that spills next to it. One bad row gives a short
 * error in that row's output; a problem with the whole call (no header, bad config) gives one error
 * cell that says what to fix.
 */

import {
  clvPredictions,
  customerAction,
  customerReasons,
  DEFAULT_CLV_OPTIONS,
  intakeBook,
  predictClv,
  type RowProblem,
  type ScoredBook,
  scoreBook,
  TierwiseError,
} from '../shared';
import { asGrid, asOfFrom, type Cell, configFrom, type Grid, tableFrom } from './cells';

export interface CallContext {
  /** The sheet row of the data range's first row, when known; otherwise rows count from 1. */
  firstRow: number;
}

type Columns = { header: string[]; cells: (book: Book, i: number) => Cell[] };

interface Book {
  scored: ScoredBook;
  clv?: ReturnType<typeof predictClv>;
}

/** Runs `columns` over every customer; aligned with the input rows for a customer table. */
function run(
  data: unknown,
  config: unknown,
  asOf: unknown,
  columns: unknown,
  out: Columns,
  context: CallContext,
  withClv = false,
): Grid {
  try {
    const grid = asGrid(data);
    const { table, hasHeader } = tableFrom(grid, columns, context.firstRow);
    const day = asOfFrom(asOf, table);
    const intake = intakeBook(table, { asOf: day });
    const clv = withClv
      ? predictClv(intake.customers, { ...DEFAULT_CLV_OPTIONS, asOf: day, unit: 'week' })
      : undefined;
    const scored = scoreBook(intake.customers, configFrom(config), {
      asOf: day,
      predictions: clv ? clvPredictions(clv) : undefined,
    });
    const book: Book = { scored, clv };
    const header = hasHeader ? [out.header] : [];
    if (intake.shape === 'transactions') {
      // A transaction log has many rows per customer: the result is a table of customers.
      const rows = intake.customers.map((c, i) => [c.customerId, ...out.cells(book, i)]);
      const errors = intake.rejected.map((p) => [errorText(p), ...out.header.map(() => '')]);
      return [...(hasHeader ? [['Customer', ...out.header]] : []), ...rows, ...errors];
    }
    return [...header, ...alignedRows(table.rows, table.firstRowNumber ?? 1, intake.rejected, book, out)];
  } catch (error) {
    if (error instanceof TierwiseError) return [[`#ERROR: ${error.message}`]];
    throw error;
  }
}

/** Customer-table rows map one to one: accepted rows to customers in order, rejected rows to errors. */
function alignedRows(
  rows: readonly (readonly unknown[])[],
  firstRow: number,
  rejected: RowProblem[],
  book: Book,
  out: Columns,
): Grid {
  const problems = new Map(rejected.map((p) => [p.row, p]));
  const blank = out.header.map(() => '');
  let next = 0;
  return rows.map((row, i) => {
    if (row.every((c) => c === '' || c === null || c === undefined)) return blank;
    const problem = problems.get(firstRow + i);
    if (problem) return [errorText(problem), ...blank.slice(1)];
    return out.cells(book, next++);
  });
}

/** `#INVALID: amount "abc" in row 17`, short enough for a cell. */
function errorText(p: RowProblem): string {
  const value = p.value === '' ? 'empty' : `"${p.value}"`;
  return `#INVALID: ${p.column} ${value} in row ${p.row} (${p.reason.split(';')[0]})`;
}

const action = (book: Book, i: number) => customerAction(book.scored, i);
/** An ISO date as the Date Sheets shows as that day. */
const due = (iso: string | null): Cell => {
  if (iso === null) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d);
};

export const TIER_COLUMNS: Columns = {
  header: ['Tier', 'Segment', 'Next action', 'Next contact'],
  cells: (book, i) => {
    const r = action(book, i);
    if (r.tierLabel === null) {
      const why = customerReasons(book.scored, i);
      return [`#NO_TIER: ${why[why.length - 1]}`, r.segment ?? '', '', ''];
    }
    return [r.tierLabel, r.segment ?? '', r.nextAction ?? '', due(r.nextContactDue)];
  },
};

export const RFM_COLUMNS: Columns = {
  header: ['R', 'F', 'M', 'Segment'],
  cells: (book, i) => {
    const r = action(book, i);
    return [r.r, r.f, r.m, r.segment ?? r.tierLabel ?? ''];
  },
};

export const NEXT_ACTION_COLUMNS: Columns = {
  header: ['Next action', 'Channel', 'Due', 'Why'],
  cells: (book, i) => {
    const r = action(book, i);
    return [
      r.nextAction ?? '',
      r.channel ?? '',
      due(r.nextContactDue),
      customerReasons(book.scored, i).join('; '),
    ];
  },
};

const clvColumns = (pick: 'clv' | 'pAlive'): Columns => ({
  header: [pick === 'clv' ? `CLV (${DEFAULT_CLV_OPTIONS.clvMonths} months)` : 'P(alive)'],
  cells: (book, i) => {
    const c = book.clv!.customers[i];
    if (pick === 'clv') return [Math.round(c.clv * 100) / 100];
    return [
      c.pAlive === null
        ? `#SMALL_DATA: ${book.clv!.fallbackReason ?? 'no purchase history'}`
        : Math.round(c.pAlive * 1000) / 1000,
    ];
  },
});

export const TIER = (data: unknown, config: unknown, asOf: unknown, columns: unknown, context: CallContext) =>
  run(data, config, asOf, columns, TIER_COLUMNS, context);
export const RFM = (data: unknown, config: unknown, asOf: unknown, columns: unknown, context: CallContext) =>
  run(data, config, asOf, columns, RFM_COLUMNS, context);
export const NEXT_ACTION = (
  data: unknown,
  config: unknown,
  asOf: unknown,
  columns: unknown,
  context: CallContext,
) => run(data, config, asOf, columns, NEXT_ACTION_COLUMNS, context);
export const CLV = (data: unknown, asOf: unknown, columns: unknown, context: CallContext) =>
  run(data, '', asOf, columns, clvColumns('clv'), context, true);
export const PALIVE = (data: unknown, asOf: unknown, columns: unknown, context: CallContext) =>
  run(data, '', asOf, columns, clvColumns('pAlive'), context, true);
