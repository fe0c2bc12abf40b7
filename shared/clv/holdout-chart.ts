/**
 * The holdout chart (cumulative repeat purchases by week; holdout purchases per customer by calibration
 * purchases), drawn once as shapes so that the CLI's SVG file and the Sheets sidebar show the same
 * chart: `chartSvg` writes the shapes as an SVG document (text escaped), the sidebar renders them with
 * lit-html's svg templates. Geometry is numbers only; the words come from the caller (any language).
 */

import type { HoldoutValidation } from './validate';

export type ChartShape =
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; color: string; dash?: string }
  | { kind: 'path'; d: string; color: string; dash?: string }
  | { kind: 'text'; x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end'; bold?: boolean };

export interface Chart {
  width: number;
  height: number;
  fontSize: number;
  title: string;
  shapes: ChartShape[];
}

/** The chart's words, in the reader's language. */
export interface ChartWords {
  trackingTitle: string;
  week: string;
  perCustomerTitle: string;
  calibrationPurchases: string;
  actual: string;
  /** The model's name in the legend (e.g. "MBG/NBD"). */
  model: string;
  calibrationEnd: string;
  /** A line under the charts (optional). */
  caption?: string;
}

export const ENGLISH_CHART_WORDS = {
  trackingTitle: 'Cumulative repeat purchases by week',
  week: 'week',
  perCustomerTitle: 'Holdout purchases per customer',
  calibrationPurchases: 'repeat purchases in the calibration period',
  actual: 'actual',
  calibrationEnd: 'calibration end',
} as const;

/** Wide: the two panels side by side (an SVG file). Narrow: stacked, for the 300 px sidebar. */
export type ChartLayout = 'wide' | 'narrow';

const ACTUAL_COLOR = '#1f4e79';
const MODEL_COLOR = '#c0504d';
const AXIS_COLOR = '#333';
const GRID_COLOR = '#ddd';
const MARK_COLOR = '#777';
const MODEL_DASH = '6 4';

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Panel {
  title: string;
  xLabel: string;
  points: number;
  /** Category labels along x (else 1..points). */
  labels: string[] | null;
  series: { name: string; values: number[]; color: string; dash?: string }[];
  marker?: { at: number; label: string };
}

/** Round step (1, 2 or 5 × 10^k) giving about `count` ticks up to `max`. */
function tickStep(max: number, count: number): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

const round = (v: number): number => Math.round(v * 10) / 10;

/** One panel's axes, grid, labels, series and legend inside `box` (the plot area; labels go outside). */
function panelShapes(p: Panel, box: Box, font: number, xTicks: number): ChartShape[] {
  let max = 0;
  for (const s of p.series) for (const v of s.values) if (Number.isFinite(v) && v > max) max = v;
  const step = tickStep(max, box.h < 250 ? 4 : 5);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const sx = (i: number): number => round(box.x + (p.points <= 1 ? 0 : (i / (p.points - 1)) * box.w));
  const sy = (v: number): number => round(box.y + box.h - (Math.max(0, v) / top) * box.h);
  const bottom = box.y + box.h;
  const shapes: ChartShape[] = [
    {
      kind: 'text',
      x: box.x + box.w / 2,
      y: box.y - font * 1.6,
      text: p.title,
      anchor: 'middle',
      bold: true,
    },
  ];
  for (let v = 0; v <= top + step / 1e6; v += step) {
    const y = sy(v);
    shapes.push(
      { kind: 'line', x1: box.x - 4, y1: y, x2: box.x + box.w, y2: y, color: GRID_COLOR },
      { kind: 'text', x: box.x - 6, y: y + font / 3, text: String(Number(v.toPrecision(6))), anchor: 'end' },
    );
  }
  shapes.push(
    { kind: 'line', x1: box.x, y1: bottom, x2: box.x + box.w, y2: bottom, color: AXIS_COLOR },
    { kind: 'line', x1: box.x, y1: box.y, x2: box.x, y2: bottom, color: AXIS_COLOR },
    { kind: 'text', x: box.x + box.w / 2, y: bottom + font * 2.8, text: p.xLabel, anchor: 'middle' },
  );
  const every = Math.max(1, Math.ceil(p.points / xTicks));
  for (let i = 0; i < p.points; i += every)
    shapes.push({
      kind: 'text',
      x: sx(i),
      y: bottom + font * 1.3,
      text: p.labels ? p.labels[i] : String(i + 1),
      anchor: 'middle',
    });
  if (p.marker) {
    const x = sx(p.marker.at);
    shapes.push(
      { kind: 'line', x1: x, y1: box.y, x2: x, y2: bottom, color: MARK_COLOR, dash: '2 3' },
      // Right of the line when there is room, else left of it.
      x < box.x + box.w * 0.6
        ? { kind: 'text', x: x + 4, y: bottom - 6, text: p.marker.label, anchor: 'start' }
        : { kind: 'text', x: x - 4, y: bottom - 6, text: p.marker.label, anchor: 'end' },
    );
  }
  p.series.forEach((s, k) => {
    let d = '';
    for (let i = 0; i < s.values.length; i++) d += `${i === 0 ? 'M' : 'L'}${sx(i)},${sy(s.values[i])}`;
    const y = box.y + font * 0.9 + k * font * 1.5;
    shapes.push(
      { kind: 'path', d, color: s.color, dash: s.dash },
      { kind: 'line', x1: box.x + 8, y1: y, x2: box.x + 30, y2: y, color: s.color, dash: s.dash },
      { kind: 'text', x: box.x + 36, y: y + font / 3, text: s.name, anchor: 'start' },
    );
  });
  return shapes;
}

/**
 * The two panels for a validation whose fit succeeded (`v.errors` not null); a failed fit has nothing to
 * compare, and the chart then holds only the caption.
 */
export function holdoutChart(v: HoldoutValidation, layout: ChartLayout, words: ChartWords): Chart {
  const narrow = layout === 'narrow';
  const font = narrow ? 11 : 12;
  const tracking: Panel = {
    title: words.trackingTitle,
    xLabel: words.week,
    points: v.tracking.length,
    labels: null,
    series: [
      { name: words.actual, values: v.tracking.map((p) => p.actual), color: ACTUAL_COLOR },
      { name: words.model, values: v.tracking.map((p) => p.predicted), color: MODEL_COLOR, dash: MODEL_DASH },
    ],
    marker: v.calibrationWeek > 0 ? { at: v.calibrationWeek - 1, label: words.calibrationEnd } : undefined,
  };
  const perCustomer: Panel = {
    title: words.perCustomerTitle,
    xLabel: words.calibrationPurchases,
    points: v.byFrequency.length,
    labels: v.byFrequency.map((r) => r.frequency),
    series: [
      { name: words.actual, values: v.byFrequency.map((r) => r.actual), color: ACTUAL_COLOR },
      {
        name: words.model,
        values: v.byFrequency.map((r) => r.predicted),
        color: MODEL_COLOR,
        dash: MODEL_DASH,
      },
    ],
  };
  // Wide: 980 × 420, panels 400 × 300 side by side. Narrow: 280 wide (the 300 px sidebar less its padding), panels 226 × 170 one above the other.
  const [width, panelW, panelH, left, top] = narrow ? [280, 226, 170, 44, 36] : [980, 400, 300, 60, 50];
  const boxes: Box[] = narrow
    ? [
        { x: left, y: top, w: panelW, h: panelH },
        { x: left, y: top + panelH + 92, w: panelW, h: panelH },
      ]
    : [
        { x: left, y: top, w: panelW, h: panelH },
        { x: width / 2 + left, y: top, w: panelW, h: panelH },
      ];
  const chartBottom = boxes[1].y + panelH + font * 3.5;
  const height = Math.ceil(chartBottom + (words.caption ? font * 2 : 0));
  const shapes =
    v.errors === null
      ? []
      : [
          ...panelShapes(tracking, boxes[0], font, narrow ? 6 : 13),
          ...panelShapes(perCustomer, boxes[1], font, 13),
        ];
  if (words.caption)
    shapes.push({ kind: 'text', x: width / 2, y: height - font, text: words.caption, anchor: 'middle' });
  return {
    width,
    height,
    fontSize: font,
    title: `${words.trackingTitle}; ${words.perCustomerTitle}`,
    shapes,
  };
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A shape as SVG markup: numbers as numbers, text escaped. */
function shapeSvg(s: ChartShape): string {
  const dash = 'dash' in s && s.dash ? ` stroke-dasharray="${s.dash}"` : '';
  if (s.kind === 'line')
    return `<line x1="${s.x1}" y1="${s.y1}" x2="${s.x2}" y2="${s.y2}" stroke="${s.color}"${dash}/>`;
  if (s.kind === 'path') return `<path d="${s.d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>`;
  return `<text x="${s.x}" y="${s.y}" text-anchor="${s.anchor}"${s.bold ? ' font-weight="bold"' : ''}>${escapeXml(s.text)}</text>`;
}

/** The chart as a self-contained SVG document (no chart library, no script, nothing external). */
export function chartSvg(chart: Chart): string {
  const { width, height } = chart;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${chart.fontSize}">
<title>${escapeXml(chart.title)}</title>
<rect width="100%" height="100%" fill="white"/>
${chart.shapes.map(shapeSvg).join('\n')}
</svg>
`;
}
