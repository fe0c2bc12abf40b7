/**
 * Intake: the edge where rows from a CSV file or a sheet range become trusted core data. Good rows go
 * on; every bad row comes back as a `RowProblem` with its row number, column, value and reason.
 */

import { type Day, parseDay } from './dates';
import { REASONS, type RowProblem, showValue, TierwiseError } from './errors';
import { STAGE_HEADERS, STAGE_METRIC, stageNumber } from './funnel';
import { type CustomerSummary, summarize } from './summarize';
import { daysToUnit, type TimeUnit } from './units';

/** Rows as they come from a CSV file or a sheet: a header row and cells of any type. */
export interface Table {
  header: readonly string[];
  rows: readonly (readonly unknown[])[];
  /** The row number the user sees for `rows[0]` (2 when a header sits in row 1, the default). */
  firstRowNumber?: number;
}

/** A transaction log in columns; customer `i` of a row is `customers[customer[row]]`. */
export interface TransactionLog {
  customers: CustomerInfo[];
  customer: Int32Array;
  day: Int32Array;
  amount: Float64Array;
  /** Profit of each row (amount × margin, or amount − cost); `null` when no margin column was given. */
  profit: Float64Array | null;
}

export interface CustomerInfo {
  id: string;
  name: string | null;
  owner: string | null;
}

export type TransactionField = 'customerId' | 'date' | 'amount' | 'name' | 'owner' | 'margin' | 'cost';
export type CustomerField =
  | 'customerId'
  | 'name'
  | 'owner'
  | 'lastPurchase'
  | 'firstPurchase'
  | 'recencyDays'
  | 'orders'
  | 'totalSpend'
  | 'lastContact';

/** Header names each field is recognised by (compared case-, space- and underscore-insensitively). */
const SYNONYMS: Record<TransactionField | CustomerField, readonly string[]> = {
  customerId: [
    'customer_id',
    'customer',
    'customerid',
    'client',
    'client_id',
    'id',
    'account',
    '客户',
    '客户编号',
    '客户id',
  ],
  date: ['date', 'order_date', 'purchase_date', 'transaction_date', 'day', '日期', '下单日期'],
  amount: [
    'amount',
    'revenue',
    'value',
    'spend',
    'total',
    'sales',
    'dollar_value',
    'price',
    '金额',
    '消费金额',
  ],
  name: ['name', 'customer_name', 'company', 'client_name', '名称', '客户名称'],
  owner: ['owner', 'salesperson', 'rep', 'account_owner', 'sales_rep', '负责人'],
  margin: ['margin', 'profit_margin', 'margin_rate', '毛利率'],
  cost: ['cost', 'cogs', '成本'],
  lastPurchase: [
    'last_purchase',
    'last_purchase_date',
    'most_recent_visit',
    'last_order',
    'last_order_date',
    '最近购买',
    '最近购买日期',
  ],
  firstPurchase: [
    'first_purchase',
    'first_purchase_date',
    'first_order',
    'first_order_date',
    '首次购买',
    '首次购买日期',
  ],
  // Bare "recency" and "frequency" are not here: they mean other things in lifetimes' summary format.
  recencyDays: ['recency_days', 'days_since_last_purchase'],
  orders: ['orders', '# orders', 'number_of_orders', 'order_count', 'purchases', '订单数', '购买次数'],
  totalSpend: [
    'total_spend',
    'total_spend_($)',
    'revenue',
    'total',
    'spend',
    'monetary',
    'total_revenue',
    '总金额',
    '累计消费',
    '消费总额',
  ],
  lastContact: ['last_contact', 'last_contacted', '最近联系'],
};

export const normalise = (header: string): string =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');

/**
 * Finds the column of each field: an explicit mapping (`{ amount: 'Net value' }`) wins, otherwise the
 * header is matched against known names. Throws, naming the headers it saw, when a required field has
 * no column.
 */
export function detectColumns<F extends TransactionField | CustomerField>(
  header: readonly string[],
  fields: readonly F[],
  required: readonly F[],
  explicit: Partial<Record<F, string>> = {},
): Partial<Record<F, number>> {
  const normalised = header.map((h) => normalise(String(h)));
  const found: Partial<Record<F, number>> = {};
  const taken = new Set<number>();
  for (const field of fields) {
    const wanted = explicit[field];
    if (wanted !== undefined) {
      const index = normalised.indexOf(normalise(wanted));
      if (index < 0) {
        throw new TierwiseError(
          `column "${wanted}" given for ${field} is not in the header (columns: ${header.join(', ')})`,
        );
      }
      found[field] = index;
      taken.add(index);
    }
  }
  for (const field of fields) {
    if (found[field] !== undefined) continue;
    const index = SYNONYMS[field].map(normalise).reduce<number>((hit, name) => {
      if (hit >= 0) return hit;
      const at = normalised.indexOf(name);
      return at >= 0 && !taken.has(at) ? at : -1;
    }, -1);
    if (index >= 0) {
      found[field] = index;
      taken.add(index);
    }
  }
  const missing = required.filter((field) => found[field] === undefined);
  if (missing.length > 0) {
    throw new TierwiseError(
      `no column for ${missing.join(', ')}: the header has ${header.map((h) => `"${h}"`).join(', ')}; ` +
        `name the column (for example ${missing[0]}=${SYNONYMS[missing[0]][0]}) or rename it to ${SYNONYMS[missing[0]][0]}`,
    );
  }
  return found;
}

const CURRENCY = /[$€£¥₹₩₽฿元円]|US\$|USD|EUR|GBP|CNY|RMB|JPY/gi;

/**
 * An amount from a number or a string with a currency symbol, thousands separators, a decimal comma
 * (`1.234,56`) or accounting parentheses for refunds (`(12.00)`). `null` when it is none of these.
 */
export function parseAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  if (isPlainDecimal(value)) return Number(value);
  let text = value.replace(CURRENCY, '').replace(/[\s\u00a0']/g, '');
  let sign = 1;
  if (/^\(.*\)$/.test(text)) {
    sign = -1;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-')) {
    sign = -sign;
    text = text.slice(1);
  } else if (text.startsWith('+')) {
    text = text.slice(1);
  }
  text = normaliseSeparators(text);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) return null;
  const amount = sign * Number(text);
  return Number.isFinite(amount) ? amount : null; // 400 digits are not an amount
}

/**
 * `123`, `-4.50`: the common case, read without regular expressions (a log has millions of them).
 * Anything else (spaces, symbols, separators, exponents) takes the general path.
 */
function isPlainDecimal(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > 20) return false;
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

/** `1,234.56` and `1.234,56` → `1234.56`; `1,5` → `1.5`; `1,234` → `1234`. */
function normaliseSeparators(text: string): string {
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    return lastComma > lastDot ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  }
  if (lastComma >= 0) {
    return /^\d{1,3}(,\d{3})+$/.test(text) ? text.replace(/,/g, '') : text.replace(',', '.');
  }
  return text;
}

/** A margin as a fraction: 0.3, "0.3" or "30%". */
export function parseMargin(value: unknown): number | null {
  if (typeof value === 'string' && value.trim().endsWith('%')) {
    const percent = parseAmount(value.trim().slice(0, -1));
    return percent === null ? null : percent / 100;
  }
  const margin = parseAmount(value);
  return margin !== null && margin <= 1 && margin >= -1 ? margin : null;
}

export const isBlank = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export const cellText = (value: unknown): string | null => (isBlank(value) ? null : String(value).trim());

export interface TransactionIntake {
  log: TransactionLog;
  rejected: RowProblem[];
}

/** Transactions dated after the as-of date: outside the analysis, so not counted, but reported. */
export interface AfterAsOf {
  rows: number;
  /** The first few of their row numbers, for the message. */
  rowNumbers: number[];
  /** Customers whose every transaction is after the as-of date: they are left out (first few ids). */
  customersLeftOut: number;
  customerIds: string[];
}

/** How many row numbers and ids a report lists before it only counts. */
const LISTED = 10;

/** Dates repeat (a log spans a few hundred days): each distinct text is parsed once, up to this many. */
const DATE_MEMO_LIMIT = 100_000;

/** A transaction log built one row at a time (`transactionLogBuilder`). */
export interface TransactionLogBuilder {
  readonly rejected: RowProblem[];
  /** One row: true when it became a transaction; a bad row goes to `rejected`, a blank one is skipped. */
  add(cells: readonly unknown[], row: number): boolean;
  finish(): TransactionIntake;
}

/**
 * Builds a transaction log one row at a time, so a file can be streamed into it without its rows ever
 * being held. Columns are found from the header (`detectColumns`); `customer_id`, `date` and `amount`
 * are required, `name`, `owner`, `margin` or `cost` are optional. Negative amounts are refunds and
 * are kept (they are netted when summarising).
 */
export function transactionLogBuilder(
  header: readonly string[],
  columns: Partial<Record<TransactionField, string>> = {},
): TransactionLogBuilder {
  const fields: TransactionField[] = ['customerId', 'date', 'amount', 'name', 'owner', 'margin', 'cost'];
  const at = detectColumns(header, fields, ['customerId', 'date', 'amount'], columns);
  const rejected: RowProblem[] = [];
  const index = new Map<string, number>();
  const customers: CustomerInfo[] = [];
  const customer: number[] = [];
  const days: number[] = [];
  const amounts: number[] = [];
  const profits: number[] = [];
  const dates = new Map<unknown, Day | null>();
  const readDay = (value: unknown): Day | null => {
    let day = dates.get(value);
    if (day === undefined) {
      day = parseDay(value);
      if (dates.size < DATE_MEMO_LIMIT && typeof value === 'string') dates.set(value, day);
    }
    return day;
  };
  return {
    rejected,
    add(cells, row) {
      if (cells.every(isBlank)) return false;
      const read = readTransactionRow(cells, at, readDay);
      if ('reason' in read) {
        rejected.push(problemAt(header, cells, row, read));
        return false;
      }
      let c = index.get(read.id);
      if (c === undefined) {
        c = customers.length;
        index.set(read.id, c);
        customers.push({ id: read.id, name: null, owner: null });
      }
      const info = customers[c];
      if (at.name !== undefined) info.name = cellText(cells[at.name]) ?? info.name;
      if (at.owner !== undefined) info.owner = cellText(cells[at.owner]) ?? info.owner;
      customer.push(c);
      days.push(read.day);
      amounts.push(read.amount);
      profits.push(read.profit);
      return true;
    },
    finish: () => ({
      log: {
        customers,
        customer: Int32Array.from(customer),
        day: Int32Array.from(days),
        amount: Float64Array.from(amounts),
        profit: (at.margin ?? at.cost) === undefined ? null : Float64Array.from(profits),
      },
      rejected,
    }),
  };
}

/**
 * Reads a transaction log (see `transactionLogBuilder`).
 *
 * @example
 * const { log, rejected } = parseTransactions({ header: ['customer_id', 'date', 'amount'],
 *   rows: [['acme', '2024-03-05', '$1,200.00']] });
 */
export function parseTransactions(
  table: Table,
  columns: Partial<Record<TransactionField, string>> = {},
): TransactionIntake {
  const builder = transactionLogBuilder(table.header, columns);
  const firstRow = table.firstRowNumber ?? 2;
  for (let i = 0; i < table.rows.length; i++) builder.add(table.rows[i], firstRow + i);
  return builder.finish();
}

/** Transactions after `asOf` (`rows[k]` is the row number of transaction k), and customers with no others. */
export function afterAsOf(log: TransactionLog | undefined, asOf: Day, rows: number[]): AfterAsOf {
  const report: AfterAsOf = { rows: 0, rowNumbers: [], customersLeftOut: 0, customerIds: [] };
  const counted = new Uint8Array(log ? log.customers.length : 0);
  for (let k = 0; log && k < log.day.length; k++) {
    if (log.day[k] <= asOf) counted[log.customer[k]] = 1;
    else if (report.rows++ < LISTED) report.rowNumbers.push(rows[k]);
  }
  for (let c = 0; report.rows > 0 && c < counted.length; c++)
    if (!counted[c] && report.customersLeftOut++ < LISTED) report.customerIds.push(log!.customers[c].id);
  return report;
}

/** Where a row went wrong: the column index and the reason. */
export interface CellProblem {
  col: number;
  reason: string;
}

export const problemAt = (
  header: readonly string[],
  cells: readonly unknown[],
  row: number,
  p: CellProblem,
): RowProblem => ({
  row,
  column: String(header[p.col]),
  value: showValue(cells[p.col]),
  reason: p.reason,
});

/** A required cell: its parsed value, or why it was refused. */
export function required<T>(
  cells: readonly unknown[],
  col: number,
  parse: (v: unknown) => T | null,
  reason: string,
): T | CellProblem {
  const value = cells[col];
  const parsed = isBlank(value) ? null : parse(value);
  return parsed === null ? { col, reason: isBlank(value) ? REASONS.missing : reason } : parsed;
}

export const isProblem = (value: unknown): value is CellProblem =>
  typeof value === 'object' && value !== null && 'reason' in value;

function readTransactionRow(
  cells: readonly unknown[],
  at: Partial<Record<TransactionField, number>>,
  readDay: (value: unknown) => Day | null,
): { id: string; day: Day; amount: number; profit: number } | CellProblem {
  const id = cellText(cells[at.customerId!]);
  if (id === null) return { col: at.customerId!, reason: REASONS.customerId };
  const day = required(cells, at.date!, readDay, REASONS.date);
  if (isProblem(day)) return day;
  const amount = required(cells, at.amount!, parseAmount, REASONS.amount);
  if (isProblem(amount)) return amount;
  let profit = Number.NaN;
  if (at.margin !== undefined && !isBlank(cells[at.margin])) {
    const margin = required(cells, at.margin, parseMargin, REASONS.margin);
    if (isProblem(margin)) return margin;
    profit = amount * margin;
  } else if (at.cost !== undefined && !isBlank(cells[at.cost])) {
    const cost = required(cells, at.cost, parseAmount, REASONS.amount);
    if (isProblem(cost)) return cost;
    profit = amount - cost;
  }
  return { id, day, amount, profit };
}

export interface CustomerTableIntake {
  customers: CustomerSummary[];
  rejected: RowProblem[];
}

export const CUSTOMER_FIELDS: readonly CustomerField[] = [
  'customerId',
  'name',
  'owner',
  'lastPurchase',
  'firstPurchase',
  'recencyDays',
  'orders',
  'totalSpend',
  'lastContact',
];

/** One customer per row, read as the row arrives. */
export interface RowReader {
  readonly rejected: RowProblem[];
  add(cells: readonly unknown[], row: number): void;
  readonly customers: CustomerSummary[];
}

/** A RowReader that reads each row with `read`: blank rows are skipped, a problem rejects only its row. */
export function customerRowReader(
  header: readonly string[],
  read: (cells: readonly unknown[]) => CustomerSummary | CellProblem,
): RowReader {
  const reader: RowReader = {
    rejected: [],
    customers: [],
    add(cells, row) {
      if (cells.every(isBlank)) return;
      const result = read(cells);
      if (isProblem(result)) reader.rejected.push(problemAt(header, cells, row, result));
      else reader.customers.push(result);
    },
  };
  return reader;
}

/**
 * Reads a customer table that is already summarised: one row per customer with a last purchase date
 * (or a recency in days), the number of orders and the total spend; optionally the first purchase date,
 * name, owner, last contact date, and any further numeric columns, which become `attributes` that tier
 * models can use (potential, adoption, days late, money/authority/need scores, …). A funnel stage
 * column (`stage`, `阶段`) becomes the `stage` attribute, 1 (Suspect) … 7 (Advocate), from its names.
 */
export function parseCustomerTable(
  table: Table,
  options: { asOf: Day; unit?: TimeUnit; columns?: Partial<Record<CustomerField, string>> },
): CustomerTableIntake {
  const reader = customerTableReader(table.header, options.asOf, options.unit ?? 'day', options.columns);
  const firstRow = table.firstRowNumber ?? 2;
  for (let i = 0; i < table.rows.length; i++) reader.add(table.rows[i], firstRow + i);
  return { customers: reader.customers, rejected: reader.rejected };
}

function customerTableReader(
  header: readonly string[],
  asOf: Day,
  unit: TimeUnit,
  columns: Partial<Record<CustomerField, string>> = {},
): RowReader {
  const at = detectColumns(header, CUSTOMER_FIELDS, ['customerId', 'orders', 'totalSpend'], columns);
  if (at.lastPurchase === undefined && at.recencyDays === undefined) {
    throw new TierwiseError(
      `no column for lastPurchase or recencyDays: the header has ${header.map((h) => `"${h}"`).join(', ')}; ` +
        'add a last_purchase date column or a recency_days column',
    );
  }
  const known = new Set(Object.values(at) as number[]);
  const stageHeaders = STAGE_HEADERS.map(normalise);
  const extra = header
    .map((h, i) => {
      const name = String(h).trim();
      return stageHeaders.includes(normalise(name))
        ? { name: STAGE_METRIC, i, parse: stageNumber }
        : { name, i, parse: parseAmount };
    })
    .filter(({ i }) => !known.has(i));
  return customerRowReader(header, (cells) => readCustomerRow(cells, at, extra, asOf, unit));
}

function readCustomerRow(
  cells: readonly unknown[],
  at: Partial<Record<CustomerField, number>>,
  extra: readonly { name: string; i: number; parse: (value: unknown) => number | null }[],
  asOf: Day,
  unit: TimeUnit,
): CustomerSummary | CellProblem {
  const id = cellText(cells[at.customerId!]);
  if (id === null) return { col: at.customerId!, reason: REASONS.customerId };
  const last = readLastPurchase(cells, at, asOf);
  if (isProblem(last)) return last;
  const orders = required(cells, at.orders!, parseCount, REASONS.count);
  if (isProblem(orders)) return orders;
  const total = required(cells, at.totalSpend!, parseAmount, REASONS.amount);
  if (isProblem(total)) return total;
  const first = optionalDay(cells, at.firstPurchase);
  if (isProblem(first)) return first;
  const lastContact = optionalDay(cells, at.lastContact);
  if (isProblem(lastContact)) return lastContact;
  const attributes: Record<string, number> = {};
  for (const { name, i: col, parse } of extra) {
    const value = isBlank(cells[col]) ? null : parse(cells[col]);
    if (value !== null) attributes[name] = value;
  }
  const span = first === null ? null : last - first;
  return {
    customerId: id,
    name: at.name === undefined ? null : cellText(cells[at.name]),
    owner: at.owner === undefined ? null : cellText(cells[at.owner]),
    unit,
    firstPurchase: first,
    lastPurchase: last,
    lastContact,
    orders,
    purchaseDays: orders,
    repeatPurchases: Math.max(orders - 1, 0),
    sinceLastPurchase: daysToUnit(asOf - last, unit),
    firstToLastPurchase: span === null ? null : daysToUnit(span, unit),
    tenure: first === null ? null : daysToUnit(asOf - first, unit),
    totalSpend: total,
    averageOrderValue: orders > 0 ? total / orders : 0,
    repeatAverageSpend: null,
    averageCycle: span !== null && orders > 1 ? daysToUnit(span / (orders - 1), unit) : null,
    profit: null,
    attributes,
  };
}

export const parseCount = (value: unknown): number | null => {
  const n = parseAmount(value);
  return n !== null && n >= 0 && Number.isInteger(n) ? n : null;
};

export const parseNonNegative = (value: unknown): number | null => {
  const n = parseAmount(value);
  return n !== null && n >= 0 ? n : null;
};

function optionalDay(cells: readonly unknown[], col: number | undefined): Day | null | CellProblem {
  if (col === undefined || isBlank(cells[col])) return null;
  return required(cells, col, parseDay, REASONS.date);
}

function readLastPurchase(
  cells: readonly unknown[],
  at: Partial<Record<CustomerField, number>>,
  asOf: Day,
): Day | CellProblem {
  if (at.lastPurchase !== undefined && !isBlank(cells[at.lastPurchase])) {
    const day = parseDay(cells[at.lastPurchase]);
    if (day === null) return { col: at.lastPurchase, reason: REASONS.date };
    if (day > asOf) return { col: at.lastPurchase, reason: REASONS.futureDate };
    return day;
  }
  if (at.recencyDays !== undefined && !isBlank(cells[at.recencyDays])) {
    const days = parseAmount(cells[at.recencyDays]);
    if (days === null || days < 0) return { col: at.recencyDays, reason: REASONS.nonNegative };
    return asOf - Math.round(days);
  }
  return { col: at.lastPurchase ?? at.recencyDays!, reason: REASONS.lastPurchaseOrRecency };
}

/** The shape of a table: a transaction log, a customer table, or the CLV literature's summary. */
export type BookShape = 'transactions' | 'customers' | 'clv-summary';

/** A table with a date per row (and no order count) is a transaction log; otherwise a customer table. */
export function detectShape(header: readonly string[], explicitDate?: string): 'transactions' | 'customers' {
  if (explicitDate) return 'transactions';
  const found = detectColumns(header, ['date', 'orders'], []);
  return found.date !== undefined && found.orders === undefined ? 'transactions' : 'customers';
}

export interface BookIntake {
  shape: BookShape;
  customers: CustomerSummary[];
  rejected: RowProblem[];
  /** Transactions after the as-of date (transaction logs only): not counted, reported. */
  afterAsOf: AfterAsOf;
  /** What the reader assumed, to tell the user (e.g. how a CLV summary was read). */
  notes: string[];
}

export interface BookOptions {
  asOf: Day;
  /** The unit of the summaries' durations; days by default. */
  unit?: TimeUnit;
  columns?: Partial<Record<TransactionField | CustomerField, string>>;
}

/** Reads a book row by row (`add`), then summarises it (`finish`): a file never has to be held whole. */
export interface BookReader {
  readonly shape: BookShape;
  add(cells: readonly unknown[], row: number): void;
  /** A row the caller refused before reading its cells (a CSV line with the wrong number of fields). */
  reject(problem: RowProblem): void;
  finish(): BookIntake;
}

/**
 * A reader for either shape of table, chosen from its header: a transaction log is summarised as of
 * the date, a customer table read as it is.
 */
export function bookReader(header: readonly string[], options: BookOptions): BookReader {
  const shape = detectShape(header, options.columns?.date);
  const { asOf } = options;
  const unit = options.unit ?? 'day';
  const log = shape === 'transactions' ? transactionLogBuilder(header, options.columns) : null;
  const table = log ? null : customerTableReader(header, asOf, unit, options.columns);
  const rejected = log ? log.rejected : table!.rejected;
  const rows: number[] = []; // of each transaction, to name the ones after the as-of date
  return {
    shape,
    add(cells, row) {
      if (!log) table!.add(cells, row);
      else if (log.add(cells, row)) rows.push(row);
    },
    reject: (problem) => rejected.push(problem),
    finish() {
      const built = log?.finish().log;
      return {
        shape,
        customers: built ? summarize(built, { asOf, unit }) : table!.customers,
        rejected,
        afterAsOf: afterAsOf(built, asOf, rows),
        notes: [],
      };
    },
  };
}

/**
 * Either shape of table to customer summaries as of a date: a transaction log is summarised, a
 * customer table read as it is. The one entry point the CLI, the sheet sync and the sidebar share.
 */
export function intakeBook(table: Table, options: BookOptions): BookIntake {
  const reader = bookReader(table.header, options);
  const firstRow = table.firstRowNumber ?? 2;
  for (let i = 0; i < table.rows.length; i++) reader.add(table.rows[i], firstRow + i);
  return reader.finish();
}
