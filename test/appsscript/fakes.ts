/**
 * In-memory stand-ins for the Apps Script services the bundle uses, faithful where Tierwise depends on
 * them: ranges read and write 2-D arrays, A1 notation with sheet names, document properties, and a
 * UrlFetchApp backed by an in-memory config API with the real API's versioning rules.
 */

import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { CONTACT_COLUMNS, getPreset, nextVersion } from '../../shared';
import { ROOT } from '../helpers/cli';
import type { Json } from '../helpers/lambda';

type Value = string | number | boolean | Date;

const colIndex = (letters: string): number =>
  letters.split('').reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
const colLetters = (n: number): string =>
  n <= 0 ? '' : colLetters(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26));

export class FakeSheet {
  /** Number formats set on cells ("row,column" → format); others have Sheets' default. */
  formats = new Map<string, string>();
  private cells = new Map<string, Value>();
  hidden = false;
  constructor(public name: string) {}
  get(r: number, c: number): Value {
    return this.cells.get(`${r},${c}`) ?? '';
  }
  set(r: number, c: number, v: Value): void {
    if (v === '' || v === null || v === undefined) this.cells.delete(`${r},${c}`);
    else this.cells.set(`${r},${c}`, v);
  }
  getName() {
    return this.name;
  }
  /** The used extent, by a loop: a 200,000-row sheet has 1.2 million cells. */
  private extent(part: 0 | 1): number {
    let max = 0;
    for (const k of this.cells.keys()) max = Math.max(max, Number(k.split(',')[part]));
    return max;
  }
  lastRow() {
    return this.extent(0);
  }
  lastColumn() {
    return this.extent(1);
  }
  getLastRow() {
    return this.lastRow();
  }
  getLastColumn() {
    return this.lastColumn();
  }
  activate() {
    return this;
  }
  clearContents() {
    this.cells.clear();
    return this;
  }
  rules: FakeRule[] = [];
  getConditionalFormatRules() {
    return [...this.rules];
  }
  setConditionalFormatRules(rules: FakeRule[]) {
    this.rules = rules;
  }
  getRange(a1: string | number, column?: number, rows = 1, columns = 1): FakeRange {
    if (typeof a1 === 'number') return new FakeRange(this, a1, column!, rows, columns);
    const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(a1);
    if (!m) throw new Error(`bad A1 notation ${a1}`);
    const [r1, c1] = [Number(m[2]), colIndex(m[1])];
    const [r2, c2] = m[3] ? [Number(m[4]), colIndex(m[3])] : [r1, c1];
    return new FakeRange(this, r1, c1, r2 - r1 + 1, c2 - c1 + 1);
  }
  getDataRange() {
    return new FakeRange(this, 1, 1, Math.max(1, this.lastRow()), Math.max(1, this.lastColumn()));
  }
  appendRow(values: Value[]) {
    const row = this.lastRow() + 1;
    for (const [i, v] of values.entries()) this.set(row, i + 1, v);
  }
  hideSheet() {
    this.hidden = true;
  }
  protection: FakeProtection | null = null;
  protect() {
    this.protection = new FakeProtection();
    return this.protection;
  }
  /** Fills the sheet from a 2-D array at A1. */
  fill(rows: Value[][]) {
    for (const [r, row] of rows.entries()) for (const [c, v] of row.entries()) this.set(r + 1, c + 1, v);
  }
}

/** A sheet protection: who may edit besides the owner; the creator can always restrict it here. */
export class FakeProtection {
  editors = ['manager@example.com', 'editor@example.com'];
  domainEdit = true;
  warningOnly = false;
  description = '';
  setDescription(d: string) {
    this.description = d;
    return this;
  }
  setWarningOnly(w: boolean) {
    this.warningOnly = w;
    return this;
  }
  addEditor(user: { getEmail(): string } | string) {
    const email = typeof user === 'string' ? user : user.getEmail();
    if (!this.editors.includes(email)) this.editors.push(email);
    return this;
  }
  getEditors() {
    return this.editors.map((email) => ({ getEmail: () => email }));
  }
  removeEditors(users: { getEmail(): string }[]) {
    const gone = new Set(users.map((u) => u.getEmail()));
    // The user running the script keeps their access, as in Sheets.
    this.editors = this.editors.filter((e) => !gone.has(e) || e === 'manager@example.com');
    return this;
  }
  canDomainEdit() {
    return this.domainEdit;
  }
  setDomainEdit(d: boolean) {
    this.domainEdit = d;
    return this;
  }
}

/** A conditional-format rule as the builder makes it: text equal to a value gets a background. */
export interface FakeRule {
  text: string;
  background: string;
  ranges: FakeRange[];
  getRanges(): FakeRange[];
}

function ruleBuilder() {
  const rule: FakeRule = { text: '', background: '', ranges: [], getRanges: () => rule.ranges };
  const builder = {
    whenTextEqualTo: (text: string) => {
      rule.text = text;
      return builder;
    },
    setBackground: (colour: string) => {
      rule.background = colour;
      return builder;
    },
    setRanges: (ranges: FakeRange[]) => {
      rule.ranges = ranges;
      return builder;
    },
    build: () => rule,
  };
  return builder;
}

export class FakeRange {
  formula = '';
  constructor(
    private sheet: FakeSheet,
    private row: number,
    private col: number,
    private rows: number,
    private cols: number,
  ) {}
  getValues(): Value[][] {
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from({ length: this.cols }, (_, c) => this.sheet.get(this.row + r, this.col + c)),
    );
  }
  setValues(values: Value[][]) {
    if (values.length !== this.rows || values.some((r) => r.length !== this.cols))
      throw new Error('The number of rows or columns does not match the range');
    for (const [r, row] of values.entries())
      for (const [c, v] of row.entries()) this.sheet.set(this.row + r, this.col + c, v);
    return this;
  }
  setValue(v: Value) {
    this.sheet.set(this.row, this.col, v);
    return this;
  }
  /** A formula is kept as the cell's text (the fake does not evaluate it). */
  setFormula(f: string) {
    this.sheet.set(this.row, this.col, f);
    return this;
  }
  getA1Notation() {
    const start = `${colLetters(this.col)}${this.row}`;
    return this.rows === 1 && this.cols === 1
      ? start
      : `${start}:${colLetters(this.col + this.cols - 1)}${this.row + this.rows - 1}`;
  }
  getSheet() {
    return this.sheet;
  }
  getRow() {
    return this.row;
  }
  getColumn() {
    return this.col;
  }
  getNumRows() {
    return this.rows;
  }
  getNumColumns() {
    return this.cols;
  }
  getFormula() {
    return this.formula;
  }
  getNumberFormats(): string[][] {
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from(
        { length: this.cols },
        (_, c) => this.sheet.formats.get(`${this.row + r},${this.col + c}`) ?? '0.###############',
      ),
    );
  }
}

export class FakeSpreadsheet {
  sheets: FakeSheet[] = [new FakeSheet('Customers')];
  constructor(
    public timeZone = 'Etc/UTC',
    public locale = 'en_US',
  ) {}
  getSpreadsheetTimeZone() {
    return this.timeZone;
  }
  /** The messages shown in the corner of the spreadsheet. */
  toasts: string[] = [];
  toast(message: string) {
    this.toasts.push(message);
  }
  getSpreadsheetLocale() {
    return this.locale;
  }
  getSheets() {
    return this.sheets;
  }
  getSheetByName(name: string) {
    return this.sheets.find((s) => s.name === name) ?? null;
  }
  insertSheet(name: string) {
    const sheet = new FakeSheet(name);
    this.sheets.push(sheet);
    return sheet;
  }
  getRange(a1: string) {
    const m = /^(?:'([^']+)'|([^!]+))!(.+)$/.exec(a1);
    if (!m) return this.sheets[0].getRange(a1);
    const sheet = this.getSheetByName(m[1] ?? m[2]);
    if (!sheet) throw new Error(`no sheet in ${a1}`);
    return sheet.getRange(m[3]);
  }
}

/** The config API's rules, in memory: versions with an optimistic lock, history, rollback, sync, link codes. */
export class FakeBackend {
  versions: { version: number; config: unknown; savedBy: string; savedAt: string; note: string | null }[] =
    [];
  uploads = new Map<string, unknown[]>();
  committed: { syncId: string; chunks: number; rows: number } | null = null;
  tokens: string[] = [];
  /** What GET /api/contacts answers: the contact log as sheet rows (shared contactRows), header first. */
  contacts: string[][] = [[...CONTACT_COLUMNS]];
  handle(method: string, path: string, body: Json, token: string): { status: number; body: unknown } {
    this.tokens.push(token);
    const current = this.versions.at(-1);
    const view = current ?? { version: 0, config: null, savedBy: 'Tierwise', savedAt: '', note: null };
    switch (`${method} ${path}`) {
      case 'GET /api/config':
        return { status: 200, body: current ?? { ...view, config: getPreset('rfm-segments') } };
      case 'PUT /api/config':
      case 'POST /api/config/rollback': {
        const version = nextVersion(view.version, body.baseVersion);
        if (version === null) return { status: 409, body: { error: 'stale', current: view } };
        const config = path.endsWith('rollback')
          ? this.versions.find((v) => v.version === body.toVersion)?.config
          : body.config;
        const saved = {
          version,
          config,
          savedBy: 'manager@example.com',
          savedAt: '2024-07-01T10:00:00.000Z',
          note: body.note ?? null,
        };
        this.versions.push(saved);
        return { status: 200, body: saved };
      }
      case 'GET /api/config/history':
        return { status: 200, body: { versions: [...this.versions].reverse() } };
      case 'POST /api/sync/upload':
        this.uploads.set(`${body.syncId}:${body.index}`, body.rows);
        return { status: 200, body: { syncId: body.syncId, index: body.index } };
      case 'POST /api/sync/commit': {
        const rows = [...this.uploads.entries()]
          .filter(([k]) => k.startsWith(`${body.syncId}:`))
          .reduce((n, [, r]) => n + r.length, 0);
        this.committed = { syncId: body.syncId, chunks: body.chunks, rows };
        return { status: 200, body: { customers: 20, rejected: [], generation: body.syncId } };
      }
      case 'GET /api/contacts':
        return { status: 200, body: { rows: this.contacts } };
      case 'POST /api/link-codes':
        return { status: 201, body: { code: 'ABCD2345', expiresAt: '2024-07-01T10:15:00.000Z' } };
      default:
        return { status: 404, body: { error: 'no such endpoint' } };
    }
  }
}

/** The server the test bundle (dist/gas-shared, built by test/global-setup.ts) has built in. */
export const TEST_BACKEND = 'https://tierwise-test.lambda-url.us-east-1.on.aws';

/** Utilities.formatDate for the two patterns Tierwise uses, from the host's time-zone data. */
function formatDate(date: Date, zone: string, pattern: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  if (pattern === 'yyyy-MM-dd') return `${parts.year}-${parts.month}-${parts.day}`;
  if (pattern !== 'Z') throw new Error(`the fake formatDate has no pattern ${pattern}`);
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  const minutes = Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** The instant Sheets passes for a date cell showing `iso`: midnight of that day in `zone`. */
export function midnight(iso: string, zone: string): Date {
  const wall = Date.parse(`${iso}T00:00:00Z`);
  let ms = wall;
  for (let i = 0; i < 2; i++) {
    const shown = Date.parse(
      `${new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' })
        .format(new Date(ms))
        .replace(' ', 'T')}Z`,
    );
    ms -= shown - wall;
  }
  return new Date(ms);
}

export interface BundleOptions {
  /** Load the bundle built with TEST_BACKEND as its server (else the sheet-only one). */
  server?: boolean;
  /** The spreadsheet's time zone (IANA) and locale. */
  timeZone?: string;
  locale?: string;
  /** The organisation's config API, shared by several spreadsheets (default: a new one). */
  backend?: FakeBackend;
}

/**
 * Loads the built Code.js into a fresh V8 context with the fakes as its only globals: no setTimeout,
 * TextEncoder, URL, fetch or structuredClone, as in Apps Script.
 */
export function loadBundle(options: BundleOptions = {}) {
  const dir = options.server ? 'dist/gas-shared' : 'dist/gas';
  const manifest = JSON.parse(readFileSync(`${ROOT}${dir}/appsscript.json`, 'utf8')) as {
    urlFetchWhitelist?: string[];
  };
  const spreadsheet = new FakeSpreadsheet(options.timeZone, options.locale);
  const properties = new Map<string, string>();
  const backend = options.backend ?? new FakeBackend();
  /** Every request UrlFetchApp was asked to make, with the token it carried. */
  const fetches: { url: string; token: string }[] = [];
  let activeRange: FakeRange | null = null;
  let lockHeld = false;
  const ui = { menus: [] as string[], sidebar: null as unknown, dialogs: [] as unknown[] };
  const menu = {
    addItem: (label: string) => {
      ui.menus.push(label);
      return menu;
    },
    addSeparator: () => menu,
    addToUi: () => undefined,
  };
  const globals = {
    console,
    SpreadsheetApp: {
      getActiveSpreadsheet: () => spreadsheet,
      getActive: () => spreadsheet,
      getActiveRange: () => activeRange,
      newConditionalFormatRule: ruleBuilder,
      getUi: () => ({
        createAddonMenu: () => menu,
        showSidebar: (html: unknown) => {
          ui.sidebar = html;
        },
        showModelessDialog: (html: unknown) => {
          ui.dialogs.push(html);
        },
      }),
    },
    PropertiesService: {
      getDocumentProperties: () => ({
        getProperty: (k: string) => properties.get(k) ?? null,
        setProperty: (k: string, v: string) => properties.set(k, v),
        deleteProperty: (k: string) => properties.delete(k),
      }),
    },
    Session: {
      getActiveUser: () => ({ getEmail: () => 'manager@example.com' }),
      getEffectiveUser: () => ({ getEmail: () => 'manager@example.com' }),
      getActiveUserLocale: () => spreadsheet.locale.slice(0, 2),
    },
    LockService: {
      getDocumentLock: () => ({
        tryLock: () => {
          if (lockHeld) return false;
          lockHeld = true;
          return true;
        },
        releaseLock: () => {
          lockHeld = false;
        },
      }),
    },
    Utilities: { formatDate },
    ScriptApp: { getIdentityToken: () => 'google-id-token-of-the-user' },
    UrlFetchApp: {
      fetch: (
        url: string,
        options: { method?: string; payload?: string; headers?: Record<string, string> },
      ) => {
        const token = (options.headers?.Authorization ?? '').replace(/^Bearer /, '');
        fetches.push({ url, token });
        // Apps Script refuses any URL outside the manifest's urlFetchWhitelist.
        if (!(manifest.urlFetchWhitelist ?? []).some((prefix) => url.startsWith(prefix)))
          throw new Error(`Exception: Script has attempted to perform an action that is not allowed: ${url}`);
        const path = url.replace(/^https?:\/\/[^/]+/, '');
        const res = backend.handle(
          (options.method ?? 'get').toUpperCase(),
          path,
          options.payload ? JSON.parse(options.payload) : {},
          token,
        );
        return { getResponseCode: () => res.status, getContentText: () => JSON.stringify(res.body) };
      },
    },
    HtmlService: {
      createHtmlOutputFromFile: (name: string) => {
        loadedFiles.push(name);
        return html(name, readFileSync(`${ROOT}${dir}/${name}.html`, 'utf8'));
      },
    },
  };
  /** The HTML files the script read: the custom functions must never need Server. */
  const loadedFiles: string[] = [];
  const html = (name: string, content: string) => {
    const output = {
      name,
      getContent: () => content,
      title: '',
      setTitle: (t: string) => {
        output.title = t;
        return output;
      },
      setWidth: () => output,
      setHeight: () => output,
    };
    return output;
  };
  const context = vm.createContext(globals);
  const code = readFileSync(`${ROOT}${dir}/Code.js`, 'utf8');
  vm.runInContext(code, context, { filename: 'Code.js' });
  return {
    gs: context as unknown as Record<string, (...args: Json[]) => Json>,
    spreadsheet,
    properties,
    backend,
    fetches,
    manifest,
    loadedFiles,
    ui,
    /** The user selects a range in the spreadsheet. */
    select(a1: string) {
      activeRange = spreadsheet.getRange(a1);
    },
    /** Sheets sets the calling cell as the active range while a custom function runs. */
    callingFormula(formula: string) {
      activeRange = new FakeRange(spreadsheet.sheets[0], 1, 10, 1, 1);
      activeRange.formula = formula;
    },
  };
}
