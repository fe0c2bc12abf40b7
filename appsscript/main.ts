/**
 * The Apps Script entry: everything Sheets or the sidebar calls is exported here and reached through
 * the top-level stubs the build appends (see scripts/apps-script-stubs.mjs). No logic lives in the stubs.
 */

import { firstRowOfFormula } from './cells';
import {
  type CallContext,
  CLV as clv,
  NEXT_ACTION as nextAction,
  PALIVE as pAlive,
  RFM as rfm,
  TIER as tier,
} from './functions';

export {
  configHistory,
  createLinkCode,
  rollbackConfig,
  saveConfig,
  setBackend,
  setDataRange,
  sheetData,
  sidebarState,
  syncChunk,
  syncCommit,
} from './server';

/** Where the data range starts, read from the calling formula, so row errors name sheet rows. */
function context(): CallContext {
  try {
    const formula = SpreadsheetApp.getActiveRange()?.getFormula() ?? '';
    return { firstRow: firstRowOfFormula(formula) ?? 1 };
  } catch {
    return { firstRow: 1 };
  }
}

export const TIER = (data: unknown, config: unknown, asOf: unknown, columns: unknown) =>
  tier(data, config, asOf, columns, context());
export const RFM = (data: unknown, config: unknown, asOf: unknown, columns: unknown) =>
  rfm(data, config, asOf, columns, context());
export const NEXT_ACTION = (data: unknown, config: unknown, asOf: unknown, columns: unknown) =>
  nextAction(data, config, asOf, columns, context());
export const CLV = (data: unknown, asOf: unknown, columns: unknown) => clv(data, asOf, columns, context());
export const PALIVE = (data: unknown, asOf: unknown, columns: unknown) =>
  pAlive(data, asOf, columns, context());

/** Editor add-on menu; in AuthMode.NONE it touches no service beyond the menu. */
export function onOpen(): void {
  SpreadsheetApp.getUi().createAddonMenu().addItem('Open Tierwise', 'showSidebar').addToUi();
}

export function showSidebar(): void {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('Tierwise'));
}
