/**
 * The custom functions: a range in, a 2-D array out that spills next to it. One bad row gives a short
 * error in that row's output; a problem with the whole call (no header, bad config, a range too small
 * for its configuration) throws, so the cell shows an error that IFERROR and ISERROR see, with the
 * message on hover. Headers, channels and messages follow the configuration's language (for CLV and
 * PALIVE, the spreadsheet's).
 */

import {
  type ClvResult,
  customerAction,
  customerReasons,
  type Day,
  DEFAULT_CLV_OPTIONS,
  defaultConfig,
  intakeBook,
  type Locale,
  modelKind,
  type RowProblem,
  type ScoredBook,
  scoreBook,
  type TierwiseConfig,
  TierwiseError,
} from '../shared';
import { asGrid, asOfFrom, type Cell, configFrom, type Grid, tableFrom } from './cells';
import type * as ClvBundle from './clv-main';

/** The CLV model, handed in by CLV and PALIVE (main.ts loads it from Clv.html, apart from Code.js). */
export type ClvModel = typeof ClvBundle;

/** What a call needs from the spreadsheet, passed in so this module stays pure (see zone.ts). */
export interface CallContext {
  /** The sheet row of the data range's first row, when known; otherwise rows count from 1. */
  firstRow: number;
  /** The day a date cell shows, YYYY-MM-DD, in the spreadsheet's time zone. */
  isoOf: (date: Date) => string;
  /** The Date the spreadsheet shows as a day. */
  dateOf: (day: Day) => Date;
  /** The spreadsheet's language, for the default configuration and for CLV and PALIVE. */
  locale: () => Locale;
}

interface Book {
  scored: ScoredBook;
  clv?: ClvResult;
  zh: boolean;
  dateOf: (day: Day) => Date;
}

type Columns = {
  header: (book: Book) => string[];
  cells: (book: Book, i: number) => Cell[];
};

/**
 * Below this many customers, a configuration that ranks customers against each other (quantile scores,
 * pareto shares, quantile bands) says nothing: =TIER(A2:F2) filled down would make everyone "Lost".
 */
export const MIN_RANKED = 10;

function ranksCustomers(config: TierwiseConfig): boolean {
  const { scores, model } = config;
  if ([scores.recency, scores.frequency, scores.monetary].some((s) => s.method === 'quantile')) return true;
  return modelKind(model).ranks(model);
}

const tooFew = (n: number, zh: boolean): string =>
  zh
    ? `范围内只有 ${n} 位客户，此配置按相对排名分级，至少需要 ${MIN_RANKED} 位：请传入整张表（如 =TIER(A1:F500)，而非逐行填充），或改用固定阈值`
    : `only ${n} customers in the range; this configuration ranks customers against each other and needs at least ${MIN_RANKED}: pass the whole table (=TIER(A1:F500), not one row filled down), or use absolute thresholds`;

/** Runs `out` over every customer; aligned with the input rows for a customer table. */
function run(
  data: unknown,
  configArg: unknown,
  asOf: unknown,
  columns: unknown,
  out: Columns,
  context: CallContext,
  withClv?: ClvModel,
): Grid {
  let zh = false;
  try {
    const config = withClv ? defaultConfig(context.locale()) : configFrom(configArg, context.locale);
    zh = config.locale === 'zh';
    const grid = asGrid(data, context.isoOf);
    const { table, hasHeader, mapping } = tableFrom(grid, columns, context.firstRow, zh);
    const day = asOfFrom(asOf, table, context.isoOf);
    const intake = intakeBook(table, { asOf: day, columns: mapping });
    const n = intake.customers.length;
    if (!withClv && n > 0 && n < MIN_RANKED && ranksCustomers(config)) throw new TierwiseError(tooFew(n, zh));
    const clv = withClv?.predict(intake.customers, day);
    const scored = scoreBook(intake.customers, config, {
      asOf: day,
      predictions: clv ? withClv?.predictions(clv) : undefined,
    });
    const book: Book = { scored, clv, zh, dateOf: context.dateOf };
    const header = out.header(book);
    if (intake.shape === 'transactions') {
      // A transaction log has many rows per customer: the result is a table of customers.
      const rows: Grid = hasHeader ? [[zh ? '客户' : 'Customer', ...header]] : [];
      for (let i = 0; i < n; i++) rows.push([intake.customers[i].customerId, ...out.cells(book, i)]);
      for (const p of intake.rejected) rows.push([errorText(p, zh), ...header.map(() => '')]);
      return rows;
    }
    const rows = alignedRows(table.rows, table.firstRowNumber ?? 1, intake.rejected, book, out);
    if (hasHeader) rows.unshift(header);
    return rows;
  } catch (error) {
    // A cell error (IFERROR and ISERROR see it), with the message on hover.
    if (error instanceof TierwiseError)
      throw new Error(zh ? `Tierwise：${error.message}` : `Tierwise: ${error.message}`);
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
  const blank = out.header(book).map(() => '');
  let next = 0;
  return rows.map((row, i) => {
    if (row.every((c) => c === '' || c === null || c === undefined)) return blank;
    const problem = problems.get(firstRow + i);
    if (problem) return [errorText(problem, book.zh), ...blank.slice(1)];
    return out.cells(book, next++);
  });
}

/** `#INVALID: orders "abc" in row 17 (…)`, short enough for a cell. */
function errorText(p: RowProblem, zh: boolean): string {
  const value = p.value === '' ? (zh ? '空' : 'empty') : `"${p.value}"`;
  const why = p.reason.split(';')[0];
  return zh
    ? `#INVALID: 第 ${p.row} 行 ${p.column} ${value}（${why}）`
    : `#INVALID: ${p.column} ${value} in row ${p.row} (${why})`;
}

const action = (book: Book, i: number) => customerAction(book.scored, i);
/** An ISO date as the Date the spreadsheet shows as that day. */
const due = (book: Book, day: Day | null): Cell => (day === null ? '' : book.dateOf(day));
const CHANNELS_ZH: Record<string, string> = {
  visit: '拜访',
  call: '电话',
  email: '邮件',
  message: '消息',
  none: '无',
};
const channel = (book: Book, key: string | null): string => (key && book.zh ? CHANNELS_ZH[key] : (key ?? ''));

const words = (en: string[], zh: string[]) => (book: Book) => (book.zh ? zh : en);

export const TIER_COLUMNS: Columns = {
  header: words(['Tier', 'Segment', 'Next action', 'Next contact'], ['等级', '分群', '下一步', '下次联系']),
  cells: (book, i) => {
    const r = action(book, i);
    if (r.tierLabel === null) {
      const why = customerReasons(book.scored, i);
      return [`#NO_TIER: ${why[why.length - 1]}`, r.segment ?? '', '', ''];
    }
    return [r.tierLabel, r.segment ?? '', r.nextAction ?? '', due(book, r.nextContactDue)];
  },
};

export const RFM_COLUMNS: Columns = {
  header: words(['R', 'F', 'M', 'Segment'], ['R', 'F', 'M', '分群']),
  cells: (book, i) => {
    const r = action(book, i);
    return [r.r, r.f, r.m, r.segment ?? r.tierLabel ?? ''];
  },
};

export const NEXT_ACTION_COLUMNS: Columns = {
  header: words(['Next action', 'Channel', 'Due', 'Why'], ['下一步', '渠道', '到期', '原因']),
  cells: (book, i) => {
    const r = action(book, i);
    return [
      r.nextAction ?? '',
      channel(book, r.channel),
      due(book, r.nextContactDue),
      customerReasons(book.scored, i).join('; '),
    ];
  },
};

/**
 * Which models produced the figures, for the header: "MBG/NBD + Gamma-Gamma", "MBG/NBD + average order
 * value" (the spend fit failed on its own, as the CLV core reports in `spendModel`), or "simple".
 */
function modelName(clv: ClvResult & { spendModel?: string }): string {
  if (clv.method === 'simple') return 'simple';
  const spend =
    clv.spendModel === undefined || clv.spendModel === 'gamma-gamma' ? 'Gamma-Gamma' : clv.spendModel;
  return `${clv.options.model === 'bgnbd' ? 'BG/NBD' : 'MBG/NBD'} + ${spend}`;
}

const clvColumns = (pick: 'clv' | 'pAlive'): Columns => ({
  header: ({ clv, zh }) => {
    const model = modelName(clv!);
    if (pick === 'pAlive') return [zh ? `仍活跃概率（${model}）` : `P(alive) (${model})`];
    const months = DEFAULT_CLV_OPTIONS.clvMonths;
    return [zh ? `终身价值（${months} 个月，${model}）` : `CLV (${months} months, ${model})`];
  },
  cells: ({ clv }, i) => {
    const c = clv!.customers[i];
    if (pick === 'clv') return [Math.round(c.clv * 100) / 100];
    if (c.pAlive !== null) return [Math.round(c.pAlive * 1000) / 1000];
    // No fit was tried on small data; otherwise the fit itself failed.
    const small = clv!.repeatFit === null;
    return [`${small ? '#SMALL_DATA' : '#NO_FIT'}: ${clv!.fallbackReason ?? 'no purchase history'}`];
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
export const CLV = (data: unknown, asOf: unknown, columns: unknown, context: CallContext, model: ClvModel) =>
  run(data, '', asOf, columns, clvColumns('clv'), context, model);
export const PALIVE = (
  data: unknown,
  asOf: unknown,
  columns: unknown,
  context: CallContext,
  model: ClvModel,
) => run(data, '', asOf, columns, clvColumns('pAlive'), context, model);
