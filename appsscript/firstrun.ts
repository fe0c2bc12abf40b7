/**
 * First-run help and sheet views, from the menu or the sidebar: a ready example, colours by tier, and a
 * "Due this week" sheet like the Slack due list.
 */

import { customerReasons, dueContacts, intakeBook, isoDate, scoreBook } from '../shared';
import type { DataStatus } from './protocol';
import { book, CONFIG_RANGE, CONFIG_SHEET, configInUse, DUE_SHEET, dataValues, useRange } from './server';
import { dateOf, dayOf, sheetLocale } from './zone';

export const EXAMPLE_SHEET = 'Tierwise example';
const EXAMPLE_SIZE = 40;

/**
 * Adds the example sheet: 40 customers spread over recency, frequency and spend, the TIER and NEXT_ACTION
 * formulas over them with the config range, and makes it the sidebar's data. An existing example is kept.
 */
export function insertExample(): DataStatus {
  const zh = sheetLocale() === 'zh';
  let sheet = book().getSheetByName(EXAMPLE_SHEET);
  if (!sheet) {
    sheet = book().insertSheet(EXAMPLE_SHEET);
    const today = dayOf(new Date());
    const rows: (string | number | Date)[][] = [
      zh
        ? ['客户ID', '名称', '最近购买', '首次购买', '购买次数', '累计消费']
        : ['customer_id', 'name', 'last_purchase', 'first_purchase', 'orders', 'total_spend'],
    ];
    const [first, second] = zh
      ? [
          ['和平', '长江', '东方', '华夏', '金山', '明月', '青松', '瑞丰'],
          ['茶馆', '书店', '花店', '面包房', '超市'],
        ]
      : [
          ['Acme', 'Birch', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Grove', 'Harbor'],
          ['Café', 'Studio', 'Market', 'Bakery', 'Books'],
        ];
    for (let i = 0; i < EXAMPLE_SIZE; i++) {
      const orders = 1 + ((i * 7) % 23);
      const recency = 2 + ((i * 37) % 400);
      rows.push([
        `C${String(i + 1).padStart(3, '0')}`,
        `${first[i % 8]} ${second[i % 5]}`,
        dateOf(today - recency),
        dateOf(today - recency - orders * 21 - (i % 5) * 30),
        orders,
        orders * (40 + ((i * 53) % 260)),
      ]);
    }
    sheet.getRange(1, 1, rows.length, 6).setValues(rows);
    const data = `A1:F${rows.length}`;
    const config = `'${CONFIG_SHEET}'!${CONFIG_RANGE}`;
    configInUse(); // the config range the formulas name
    sheet.getRange('H1').setFormula(`=TIER(${data},${config})`);
    sheet.getRange('M1').setFormula(`=NEXT_ACTION(${data},${config})`);
  }
  sheet.activate();
  return useRange(sheet.getRange(1, 1, EXAMPLE_SIZE + 1, 6));
}

/** Best tier green through amber to red, then grey. */
const COLOURS = ['#b7e1cd', '#d9ead3', '#fff2cc', '#fce5cd', '#f4cccc', '#efefef'];

/**
 * Colours the TIER output by tier: the selection when it is more than one cell, else the column under a
 * "Tier" (等级) header on the data's sheet. Rules Tierwise added before on that range are replaced.
 */
export function formatByTier(): { rules: number; range: string } {
  const config = configInUse();
  let target = SpreadsheetApp.getActiveRange();
  if (!target || target.getNumRows() * target.getNumColumns() === 1) {
    const sheet = target?.getSheet() ?? book().getSheets()[0];
    const width = Math.max(1, sheet.getLastColumn());
    const header = sheet.getRange(1, 1, 1, width).getValues()[0].map(String);
    const col = header.findIndex((h) => h === 'Tier' || h === '等级');
    if (col < 0) throw new Error('select the Tier column of a =TIER() result first');
    target = sheet.getRange(2, col + 1, Math.max(1, sheet.getLastRow() - 1), 1);
  }
  const sheet = target.getSheet();
  const a1 = target.getA1Notation();
  const n = config.tiers.length;
  const rules = config.tiers.map((tier, i) =>
    SpreadsheetApp.newConditionalFormatRule()
      .whenTextEqualTo(tier.label)
      .setBackground(COLOURS[n === 1 ? 0 : Math.round((i * (COLOURS.length - 1)) / (n - 1))])
      .setRanges([target])
      .build(),
  );
  const others = sheet
    .getConditionalFormatRules()
    .filter((r) => !r.getRanges().some((g) => g.getA1Notation() === a1));
  sheet.setConditionalFormatRules(others.concat(rules));
  return { rules: rules.length, range: `'${sheet.getName()}'!${a1}` };
}

/**
 * The "Due this week" sheet: customers whose next contact falls in the next 7 days (overdue ones first),
 * as of today in the spreadsheet's zone, with the configuration the formulas use. A snapshot: the menu
 * item refreshes it.
 */
export function dueThisWeek(): { sheet: string; rows: number } {
  const zh = sheetLocale() === 'zh';
  const { header, rows } = dataValues();
  const asOf = dayOf(new Date());
  const intake = intakeBook({ header, rows }, { asOf });
  const scored = scoreBook(intake.customers, configInUse(), { asOf });
  const out: (string | number | Date)[][] = [
    zh
      ? [`截至 ${isoDate(asOf)} 本周应联系`, '名称', '等级', '下一步', '渠道', '到期', '原因']
      : [`Due this week, as of ${isoDate(asOf)}`, 'Name', 'Tier', 'Next action', 'Channel', 'Due', 'Why'],
  ];
  for (const entry of dueContacts(scored)) {
    const r = entry.result;
    out.push([
      r.customerId,
      r.name ?? '',
      r.tierLabel ?? '',
      r.nextAction ?? '',
      r.channel ?? '',
      dateOf(entry.due),
      customerReasons(scored, entry.index).join('; '),
    ]);
  }
  if (intake.rejected.length > 0)
    out.push([
      `${intake.rejected.length} rows could not be read (first: row ${intake.rejected[0].row})`,
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  const sheet = book().getSheetByName(DUE_SHEET) ?? book().insertSheet(DUE_SHEET);
  sheet.clearContents();
  sheet.getRange(1, 1, out.length, 7).setValues(out);
  sheet.activate();
  return { sheet: DUE_SHEET, rows: out.length - 1 };
}
