/**
 * tierwise validate FILE --calibration-end DATE --holdout-end DATE [--unit week] [--model mbgnbd]
 *                  [--svg CHART.svg] [--json]
 * Fits on the calibration period and compares predicted with actual repeat purchases in the holdout.
 */

import { writeFileSync } from 'node:fs';
import {
  type Day,
  detectShape,
  type HoldoutValidation,
  isoDate,
  parseDay,
  TierwiseError,
  type TransactionIntake,
  type TransactionLogBuilder,
  transactionLogBuilder,
  validateHoldout,
} from '../../shared';
import { readCsvFile } from '../csv';
import { reportRejected, toTextTable } from '../io';
import { columnsFrom, type Flags, unitFrom } from '../options';
import { describeFit, modelFrom } from './clv';

function dayFlag(flags: Flags, name: 'calibration-end' | 'holdout-end'): Day {
  const text = flags[name];
  if (text === undefined) throw new TierwiseError(`give --${name} YYYY-MM-DD`);
  const day = parseDay(text);
  if (day === null) throw new TierwiseError(`--${name} "${text}" is not a date; use YYYY-MM-DD`);
  return day;
}

export function validate(file: string, flags: Flags): number {
  const calibrationEnd = dayFlag(flags, 'calibration-end');
  const holdoutEnd = dayFlag(flags, 'holdout-end');
  if (holdoutEnd <= calibrationEnd)
    throw new TierwiseError(
      `--holdout-end ${isoDate(holdoutEnd)} must be after --calibration-end ${isoDate(calibrationEnd)}`,
    );
  const unit = unitFrom(flags, 'week');
  const model = modelFrom(flags, ['mbgnbd', 'bgnbd', 'pareto-nbd']) as 'mbgnbd' | 'bgnbd' | 'pareto-nbd';
  const { log, rejected } = loadLog(file, flags);
  const result = validateHoldout(log, { calibrationEnd, holdoutEnd, unit, model });
  if (flags.svg) writeFileSync(flags.svg, holdoutSvg(result));
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(holdoutText(result));
  reportRejected(file, rejected);
  if (!result.fit.ok)
    throw new TierwiseError(`${model} fit on the calibration period failed: ${result.fit.reason}`);
  return rejected.length > 0 ? 2 : 0;
}

/** The whole transaction log, streamed from the file: validation splits it by date itself. */
function loadLog(path: string, flags: Flags): TransactionIntake {
  let builder: TransactionLogBuilder | null = null;
  let width = 0;
  readCsvFile(
    path,
    { encoding: flags.encoding, delimiter: flags.delimiter },
    ({ header }) => {
      if (detectShape(header, flags.date) !== 'transactions')
        throw new TierwiseError(
          `${path} is not a transaction log: validate needs one row per purchase (customer_id, date, amount) to split into calibration and holdout`,
        );
      width = header.length;
      builder = transactionLogBuilder(header, columnsFrom(flags));
    },
    (cells, { line, problem }) => {
      const log = builder!;
      if (problem === null && cells.length === width) log.add(cells, line);
      else
        log.rejected.push({
          row: line,
          column: '',
          value: cells.join(',').slice(0, 80),
          reason: problem ?? `${width} fields expected, ${cells.length} found`,
        });
    },
  );
  if (builder === null) throw new TierwiseError(`${path} is empty: it needs a header row and data rows`);
  return (builder as TransactionLogBuilder).finish();
}

const fixed = (v: number, digits = 3): string => v.toFixed(digits);

/** The report for people: the fit, the table by calibration purchases, error figures, the curve. */
export function holdoutText(v: HoldoutValidation): string {
  const { calibrationEnd, holdoutEnd, unit, model } = v.options;
  const lines = [
    `${model} fitted on purchases up to ${isoDate(calibrationEnd)}; holdout ${isoDate(calibrationEnd + 1)} to ${isoDate(holdoutEnd)} (${fixed(v.holdoutLength, 2)} ${unit}s)`,
    `fit: ${describeFit(v.fit)}`,
    `${v.customers} customers first bought by ${isoDate(calibrationEnd)}${v.newInHoldout ? `; ${v.newInHoldout} who first bought in the holdout are not in this comparison` : ''}`,
    '',
  ];
  if (!v.errors) return `${lines.join('\n')}\n`;
  const e = v.errors;
  lines.push(
    'Repeat purchases in the holdout, per customer, by repeat purchases in the calibration period:',
    toTextTable(
      v.byFrequency.map((r) => ({
        'calibration purchases': r.frequency,
        customers: r.customers,
        actual: fixed(r.actual),
        predicted: fixed(r.predicted),
      })),
    ),
    `Holdout total: actual ${e.actualTotal}, predicted ${fixed(e.predictedTotal, 1)} (${e.totalError >= 0 ? '+' : ''}${fixed(e.totalError, 1)} %)`,
    `Per customer: mean absolute error ${fixed(e.meanAbsoluteError)} (naive "same rate as before": ${fixed(e.naiveMeanAbsoluteError)}), RMSE ${fixed(e.rootMeanSquaredError)}, correlation ${fixed(e.correlation)}`,
    `Cumulative tracking over the holdout weeks: mean absolute error ${fixed(e.trackingError, 1)} % of actual`,
    '',
    `Cumulative repeat purchases by week (calibration ends in week ${v.calibrationWeek}):`,
    toTextTable(
      v.tracking
        .filter((p, i) => p.week % 4 === 0 || p.week === v.calibrationWeek || i === v.tracking.length - 1)
        .map((p) => ({
          week: p.week,
          'week ends': isoDate(p.end),
          actual: p.actual,
          predicted: fixed(p.predicted, 1),
        })),
    ),
  );
  return `${lines.join('\n')}`;
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** Round step (1, 2 or 5 × 10^k) giving about `count` ticks up to `max`. */
function tickStep(max: number, count = 5): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

interface Panel {
  x: number;
  title: string;
  xLabel: string;
  yMax: number;
  points: number;
  /** Category labels along x (or null for numbers 1..points). */
  labels: string[] | null;
  series: { name: string; values: number[]; dashed: boolean; color: string }[];
  marker?: { at: number; label: string };
}

const [WIDTH, HEIGHT, PANEL_W, PANEL_H, TOP, LEFT] = [980, 420, 400, 300, 50, 60];

function panelSvg(p: Panel): string {
  const step = tickStep(p.yMax);
  const top = Math.max(step, Math.ceil(p.yMax / step) * step);
  const sx = (i: number): number => p.x + LEFT + (p.points <= 1 ? 0 : (i / (p.points - 1)) * PANEL_W);
  const sy = (v: number): number => TOP + PANEL_H - (v / top) * PANEL_H;
  const parts: string[] = [
    `<text x="${p.x + LEFT + PANEL_W / 2}" y="${TOP - 20}" text-anchor="middle" font-weight="bold">${escapeXml(p.title)}</text>`,
    `<line x1="${p.x + LEFT}" y1="${sy(0)}" x2="${p.x + LEFT + PANEL_W}" y2="${sy(0)}" stroke="#333"/>`,
    `<line x1="${p.x + LEFT}" y1="${TOP}" x2="${p.x + LEFT}" y2="${sy(0)}" stroke="#333"/>`,
    `<text x="${p.x + LEFT + PANEL_W / 2}" y="${TOP + PANEL_H + 36}" text-anchor="middle">${escapeXml(p.xLabel)}</text>`,
  ];
  for (let v = 0; v <= top + 1e-9; v += step)
    parts.push(
      `<line x1="${p.x + LEFT - 4}" y1="${sy(v)}" x2="${p.x + LEFT + PANEL_W}" y2="${sy(v)}" stroke="#ddd"/>`,
      `<text x="${p.x + LEFT - 8}" y="${sy(v) + 4}" text-anchor="end">${Number(v.toPrecision(6))}</text>`,
    );
  const labelEvery = Math.max(1, Math.ceil(p.points / 13));
  for (let i = 0; i < p.points; i += labelEvery)
    parts.push(
      `<text x="${sx(i)}" y="${sy(0) + 16}" text-anchor="middle">${escapeXml(p.labels ? p.labels[i] : String(i + 1))}</text>`,
    );
  if (p.marker) {
    const mx = sx(p.marker.at);
    parts.push(
      `<line x1="${mx}" y1="${TOP}" x2="${mx}" y2="${sy(0)}" stroke="#999" stroke-dasharray="2 3"/>`,
      `<text x="${mx + 4}" y="${TOP + 12}" fill="#666">${escapeXml(p.marker.label)}</text>`,
    );
  }
  p.series.forEach((s, k) => {
    const path = s.values
      .map((v, i) => `${i === 0 ? 'M' : 'L'}${sx(i).toFixed(1)},${sy(v).toFixed(1)}`)
      .join('');
    parts.push(
      `<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<line x1="${p.x + LEFT + 10}" y1="${TOP + 14 + k * 18}" x2="${p.x + LEFT + 34}" y2="${TOP + 14 + k * 18}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${p.x + LEFT + 40}" y="${TOP + 18 + k * 18}">${escapeXml(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

/** The two charts side by side, as a self-contained SVG written by hand (no chart library). */
export function holdoutSvg(v: HoldoutValidation): string {
  const model = v.options.model;
  const actualColor = '#1f4e79';
  const modelColor = '#c0504d';
  const tracking = v.tracking;
  const curveMax = tracking.reduce((m, p) => Math.max(m, p.actual, p.predicted), 0);
  const barMax = v.byFrequency.reduce((m, r) => Math.max(m, r.actual, r.predicted), 0);
  const panels = [
    panelSvg({
      x: 0,
      title: 'Cumulative repeat purchases by week',
      xLabel: 'week',
      yMax: curveMax,
      points: tracking.length,
      labels: null,
      series: [
        { name: 'actual', values: tracking.map((p) => p.actual), dashed: false, color: actualColor },
        { name: model, values: tracking.map((p) => p.predicted), dashed: true, color: modelColor },
      ],
      marker: v.calibrationWeek > 0 ? { at: v.calibrationWeek - 1, label: 'calibration end' } : undefined,
    }),
    panelSvg({
      x: WIDTH / 2,
      title: 'Holdout purchases per customer',
      xLabel: 'repeat purchases in the calibration period',
      yMax: barMax,
      points: v.byFrequency.length,
      labels: v.byFrequency.map((r) => r.frequency),
      series: [
        { name: 'actual', values: v.byFrequency.map((r) => r.actual), dashed: false, color: actualColor },
        { name: model, values: v.byFrequency.map((r) => r.predicted), dashed: true, color: modelColor },
      ],
    }),
  ];
  const e = v.errors;
  const caption = e
    ? `Holdout ${isoDate(v.options.calibrationEnd + 1)} to ${isoDate(v.options.holdoutEnd)}: actual ${e.actualTotal}, predicted ${e.predictedTotal.toFixed(1)} (${e.totalError.toFixed(1)} %); ${v.customers} customers`
    : `The ${model} fit failed: no comparison`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">
<title>Holdout validation: ${escapeXml(model)}</title>
<rect width="100%" height="100%" fill="white"/>
${panels.join('\n')}
<text x="${WIDTH / 2}" y="${HEIGHT - 10}" text-anchor="middle" fill="#444">${escapeXml(caption)}</text>
</svg>
`;
}
