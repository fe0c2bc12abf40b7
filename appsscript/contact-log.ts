/**
 * The contact log (Mark contacted / Snooze / Log a note in Slack) brought into the sheet, so that the
 * sheet's NEXT_ACTION agrees with Slack: NEXT_ACTION reads the customer table's `last_contact` column,
 * so each customer's cell there becomes the later of the sheet's day and the log's. The whole log
 * (snoozes, notes, outcomes, who) goes to its own sheet to read; it is never the customer data.
 */

import { CONTACT_COLUMNS, CUSTOMER_FIELDS, detectColumns, isBlank, isDate, parseDay } from '../shared';
import { apiOk, book, dataRange, dataValues, useRange } from './server';
import { dateOf, dayOf, sheetLocale } from './zone';

export const CONTACTS_SHEET = 'Tierwise Contacts';

export interface ContactPull {
  /** Customers in the log with a contact day. */
  logged: number;
  /** `last_contact` cells the log moved later. */
  updated: number;
  /** Logged customers with no row in the table (counted, never written anywhere else). */
  notInTable: number;
  /** `last_contact` cells that are not dates: left as they are (NEXT_ACTION names them). */
  unreadable: number;
  /** The table's `last_contact` column (A1 of its header), and whether this pull added it. */
  column: string;
  added: boolean;
  sheet: string;
}

/** The log's rows (header first), checked to be what GET /api/contacts sends. */
function fetchLog(): string[][] {
  const rows = apiOk('get', '/api/contacts', undefined).rows;
  if (!Array.isArray(rows) || !Array.isArray(rows[0]) || rows[0][0] !== CONTACT_COLUMNS[0])
    throw new Error('the Tierwise server sent no contact log (GET /api/contacts has no rows)');
  return rows.map((row: unknown[]) => CONTACT_COLUMNS.map((_, c) => String(row[c] ?? '')));
}

/** Brings the contact log into the customer table's `last_contact` column and the Contacts sheet. */
export function pullContacts(): ContactPull {
  const log = fetchLog();
  const range = dataRange();
  const { header } = dataValues(range);
  const at = detectColumns(header, CUSTOMER_FIELDS, ['customerId']);
  const sheet = range.getSheet();
  const n = range.getNumRows() - 1;
  const added = at.lastContact === undefined;
  const col = range.getColumn() + (at.lastContact ?? header.length);
  const ids = sheet.getRange(range.getRow() + 1, range.getColumn() + at.customerId!, n, 1).getValues();
  const cells = sheet.getRange(range.getRow() + 1, col, n, 1).getValues();
  if (added && cells.some((c) => !isBlank(c[0])))
    throw new Error(
      `the table has no last_contact column and the column right of it (${sheet.getRange(range.getRow(), col).getA1Notation()}) is not empty: add a last_contact column to the table`,
    );

  const logged = new Map<string, number>();
  for (let i = 1; i < log.length; i++) {
    const day = parseDay(log[i][1]);
    if (day !== null) logged.set(String(log[i][0]), day);
  }
  const seen = new Set<string>();
  let updated = 0;
  let unreadable = 0;
  for (let r = 0; r < n; r++) {
    const id = String(ids[r][0]).trim();
    const day = logged.get(id);
    if (day === undefined) continue;
    seen.add(id);
    const cell = cells[r][0];
    const current = isBlank(cell) ? null : isDate(cell) ? dayOf(cell) : parseDay(cell);
    if (!isBlank(cell) && current === null) unreadable++;
    else if (current === null || day > current) {
      cells[r][0] = dateOf(day);
      updated++;
    }
  }
  if (added) sheet.getRange(range.getRow(), col).setValue('last_contact');
  if (n > 0) sheet.getRange(range.getRow() + 1, col, n, 1).setValues(cells);
  if (added) useRange(sheet.getRange(range.getRow(), range.getColumn(), n + 1, col - range.getColumn() + 1));

  const logSheet = book().getSheetByName(CONTACTS_SHEET) ?? book().insertSheet(CONTACTS_SHEET);
  logSheet.clearContents();
  logSheet.getRange(1, 1, log.length, CONTACT_COLUMNS.length).setValues(log);
  const pull = {
    logged: logged.size,
    updated,
    notInTable: logged.size - seen.size,
    unreadable,
    column: sheet.getRange(range.getRow(), col).getA1Notation(),
    added,
    sheet: CONTACTS_SHEET,
  };
  book().toast(pullMessage(pull), 'Tierwise', 10);
  return pull;
}

/** What the menu action tells the user (a menu call shows no return value). */
function pullMessage(p: ContactPull): string {
  const zh = sheetLocale() === 'zh';
  const parts = [
    zh
      ? `${p.logged} 个有联系记录的客户中，${p.updated} 个的 last_contact 已更新。`
      : `${p.updated} last_contact dates moved from ${p.logged} logged customers.`,
  ];
  if (p.notInTable > 0)
    parts.push(
      zh ? `${p.notInTable} 个客户不在表中。` : `${p.notInTable} logged customers are not in the table.`,
    );
  if (p.unreadable > 0)
    parts.push(
      zh
        ? `${p.unreadable} 个 last_contact 单元格不是日期，未改动。`
        : `${p.unreadable} last_contact cells are not dates and were left as they are.`,
    );
  if (p.added)
    parts.push(
      zh
        ? `已在 ${p.column} 添加 last_contact 列：请把它纳入公式的数据范围。`
        : `Added the last_contact column at ${p.column}: include it in your formulas' data range.`,
    );
  parts.push(zh ? `备注和暂缓见 ${p.sheet} 表。` : `Notes and snoozes: the ${p.sheet} sheet.`);
  return parts.join(' ');
}
