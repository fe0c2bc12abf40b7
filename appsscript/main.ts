/**
 * The Apps Script entry (Code.js): the custom functions and the menu, reached through the top-level
 * stubs the build appends (see scripts/apps-script-stubs.mjs). No logic lives in the stubs.
 *
 * Sheets loads this file on every custom-function call, so the sidebar's server functions and the CLV
 * model live in bundles of their own (server-main.ts → Server.html, clv-main.ts → Clv.html), loaded
 * only when they are called.
 */

import { firstRowOfFormula } from './cells';
import type * as clvBundle from './clv-main';
import {
  type CallContext,
  CLV as clv,
  NEXT_ACTION as nextAction,
  PALIVE as pAlive,
  RFM as rfm,
  TIER as tier,
} from './functions';
import type * as serverFunctions from './server-main';
import { dateOf, isoOf, sheetLocale } from './zone';

/** The config API built in ("" for a sheet-only build); see server.ts. */
declare const BACKEND: string;

const loaded: Record<string, unknown> = {};
/**
 * A bundle evaluated from its HTML file on first use in this execution. An HTML file is the one kind
 * of project file Apps Script does not load with every call; its content is the bundle inside a
 * <script> element (so it is a valid page), which is stripped here.
 */
function lazyBundle<T>(file: string, globalName: string): T {
  if (!(file in loaded)) {
    const page = HtmlService.createHtmlOutputFromFile(file).getContent();
    const code = page.slice(page.indexOf('>') + 1, page.lastIndexOf('<'));
    loaded[file] = new Function(`${code};return ${globalName}`)();
  }
  return loaded[file] as T;
}

/** The sidebar's and the menu's server functions. */
export const server = (): typeof serverFunctions => lazyBundle('Server', 'TierwiseServer');
/** The CLV model, for CLV and PALIVE only. */
const clvModel = (): typeof clvBundle => lazyBundle('Clv', 'TierwiseClv');

/** The spreadsheet's zone and language, and where the data range starts (so row errors name sheet rows). */
function context(): CallContext {
  let firstRow = 1;
  try {
    firstRow = firstRowOfFormula(SpreadsheetApp.getActiveRange()?.getFormula() ?? '') ?? 1;
  } catch {
    // no calling cell (run from the editor): rows count from 1
  }
  return { firstRow, isoOf, dateOf, locale: sheetLocale };
}

export const TIER = (data: unknown, config: unknown, asOf: unknown, columns: unknown) =>
  tier(data, config, asOf, columns, context());
export const RFM = (data: unknown, config: unknown, asOf: unknown, columns: unknown) =>
  rfm(data, config, asOf, columns, context());
export const NEXT_ACTION = (data: unknown, config: unknown, asOf: unknown, columns: unknown) =>
  nextAction(data, config, asOf, columns, context());
export const CLV = (data: unknown, asOf: unknown, columns: unknown) =>
  clv(data, asOf, columns, context(), clvModel());
export const PALIVE = (data: unknown, asOf: unknown, columns: unknown) =>
  pAlive(data, asOf, columns, context(), clvModel());

/** The sidebar's holdout check: the server's sheet reading, the CLV bundle's model. */
export const holdoutCheck = (calibrationEnd: string | null, holdoutEnd: string | null) =>
  server().holdoutCheck(calibrationEnd, holdoutEnd, clvModel());

/** Editor add-on menu; in AuthMode.NONE it touches no service beyond the menu (and the user's locale). */
export function onOpen(): void {
  let zh = false;
  try {
    zh = /^zh/i.test(Session.getActiveUserLocale());
  } catch {
    // no locale in this mode: English
  }
  const items = zh
    ? ['打开 Tierwise', '插入示例', '按等级着色', '本周应联系', '帮助']
    : ['Open Tierwise', 'Insert an example', 'Colour by tier', 'Due this week', 'Help'];
  const menu = SpreadsheetApp.getUi().createAddonMenu();
  ['showSidebar', 'insertExample', 'formatByTier', 'dueThisWeek', 'showHelp'].forEach((fn, i) => {
    menu.addItem(items[i], fn);
  });
  // The contact log lives on the Tierwise server: a sheet-only build has none to pull.
  if (BACKEND) menu.addItem(zh ? '拉取联系记录' : 'Pull the contact log', 'pullContacts');
  menu.addToUi();
}

export function showSidebar(): void {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('Tierwise'));
}

/** The short help (Help.html: a page of its own, so none of it weighs on custom-function calls). */
export function showHelp(): void {
  SpreadsheetApp.getUi().showModelessDialog(
    HtmlService.createHtmlOutputFromFile('Help').setWidth(460).setHeight(520),
    'Tierwise',
  );
}
