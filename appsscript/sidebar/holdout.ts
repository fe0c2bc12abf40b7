/**
 * "Check the CLV model": the server fits the model on the sheet's purchases up to the calibration end
 * and compares its prediction with what customers bought up to the holdout end. Shown here: the chart
 * the CLI writes (shared `holdoutChart`, stacked for 300 px, drawn with lit-html svg templates, so every
 * word is a text node), the table by calibration purchases, and the error figures in words.
 */

import { html, nothing, svg, type TemplateResult } from 'lit-html';
import {
  type Chart,
  type ChartShape,
  defaultHoldoutDates,
  detectShape,
  type HoldoutCheck,
  type HoldoutValidation,
  holdoutChart,
  isoDate,
  logSpan,
  parseTransactions,
} from '../../shared';
import { fmt } from '../../shared/messages';
import type { HoldoutAnswer, SheetData } from '../protocol';
import type { Words } from './i18n';
import { call } from './server';

interface Holdout {
  /** The data the default dates come from: other data, other defaults. */
  data: SheetData | null;
  /** First and last purchase day of a transaction log (YYYY-MM-DD); null for a customer table. */
  span: { first: string; last: string } | null;
  calibrationEnd: string;
  holdoutEnd: string;
  running: boolean;
  answer: HoldoutAnswer | null;
  error: string | null;
}

const H: Holdout = {
  data: null,
  span: null,
  calibrationEnd: '',
  holdoutEnd: '',
  running: false,
  answer: null,
  error: null,
};

const MODEL_NAMES: Record<string, string> = {
  mbgnbd: 'MBG/NBD',
  bgnbd: 'BG/NBD',
  'pareto-nbd': 'Pareto/NBD',
};
const modelName = (model: string): string => MODEL_NAMES[model] ?? model;

/** Default dates from the data's first and last purchase: the first half calibrates, the second checks. */
function prepare(data: SheetData): void {
  if (data === H.data) return;
  Object.assign(H, { data, span: null, answer: null, error: null, calibrationEnd: '', holdoutEnd: '' });
  try {
    if (detectShape(data.header) !== 'transactions') return;
    const span = logSpan(parseTransactions({ header: data.header, rows: data.rows }).log);
    if (!span) return;
    const dates = defaultHoldoutDates(span);
    H.span = { first: isoDate(span.first), last: isoDate(span.last) };
    H.calibrationEnd = isoDate(dates.calibrationEnd);
    H.holdoutEnd = isoDate(dates.holdoutEnd);
  } catch {
    // Not a readable log: the view says what the check needs.
  }
}

async function run(w: Words, update: () => void): Promise<void> {
  H.running = true;
  H.error = null;
  update();
  try {
    H.answer = await call('holdoutCheck', H.calibrationEnd || null, H.holdoutEnd || null);
  } catch (error) {
    H.answer = null;
    H.error = w.callFailed(String((error as Error)?.message ?? error));
  }
  H.running = false;
  update();
}

/** The section's body; `data` is null while there is no customer data to read. */
export function holdoutView(data: SheetData | null, w: Words, update: () => void): TemplateResult {
  const h = w.holdout;
  if (!data) return html`<p class="secondary">${h.needsData}</p>`;
  prepare(data);
  if (!H.span) return html`<p class="message warn" data-holdout="not-a-log">${h.needsLog}</p>`;
  const date = (id: string, label: string, key: 'calibrationEnd' | 'holdoutEnd') =>
    html`<div><label for=${id}>${label}</label><input id=${id} type="date" min=${H.span!.first} max=${H.span!.last}
      .value=${H[key]} @change=${(e: Event) => {
        H[key] = (e.target as HTMLInputElement).value;
      }}></div>`;
  return html`<p class="hint">${h.help(H.span.first, H.span.last)}</p>
    <div class="dates">${date('calibration-end', h.calibrationEnds, 'calibrationEnd')}${date('holdout-end', h.holdoutEnds, 'holdoutEnd')}</div>
    <div class="buttons"><button class="action" ?disabled=${H.running} @click=${() => run(w, update)}>${H.running ? h.checking : h.check}</button></div>
    ${H.error ? html`<p class="message error" role="alert">${H.error}</p>` : nothing}
    ${H.answer && !H.running ? answerView(H.answer, w) : nothing}`;
}

function answerView(answer: HoldoutAnswer, w: Words): TemplateResult {
  const h = w.holdout;
  if (answer.kind === 'not-a-log')
    return html`<p class="message warn" role="alert" data-holdout="not-a-log">${h.needsLog}</p>`;
  const first = answer.firstRejected[0];
  const rejected = first
    ? html`<p class="message warn" data-holdout-rejected>${w.rowsLeftOut(answer.rejected, String(first.row), first.column, first.reason)}</p>`
    : nothing;
  return html`${checkView(answer.check, w)}${rejected}`;
}

function checkView(check: HoldoutCheck, w: Words): TemplateResult {
  const h = w.holdout;
  const say = (kind: string, text: unknown, detail?: string) =>
    html`<div class="message warn" role="alert" data-holdout=${kind}>${text}${detail ? html`<br><span class="secondary">${detail}</span>` : nothing}</div>`;
  switch (check.kind) {
    case 'empty':
      return say('empty', h.empty);
    case 'dates':
      return say(
        'dates',
        h.dates(
          check.problem,
          isoDate(check.calibrationEnd),
          isoDate(check.holdoutEnd),
          isoDate(check.span.first),
          isoDate(check.span.last),
        ),
      );
    case 'too-little':
      return say('too-little', h.tooLittle(check.size, check.need, isoDate(check.calibrationEnd)));
    case 'fit-failed': {
      const { fit, options } = check.validation;
      return say(
        'fit-failed',
        h.fitFailed(modelName(options.model), isoDate(options.calibrationEnd)),
        fit.ok ? undefined : fit.reason,
      );
    }
    case 'ok':
      return resultView(check.validation, w);
  }
}

function resultView(v: HoldoutValidation, w: Words): TemplateResult {
  const h = w.holdout;
  const e = v.errors!;
  const model = modelName(v.options.model);
  const chart = holdoutChart(v, 'narrow', { ...h.chart, model });
  return html`<p data-holdout="ok">${h.totals(v.customers, isoDate(v.options.calibrationEnd), isoDate(v.options.calibrationEnd + 1), isoDate(v.options.holdoutEnd), e.actualTotal, e.predictedTotal, e.totalError)}</p>
    ${chartView(chart)}
    <table class="holdout" aria-label=${h.chart.perCustomerTitle}>
      <thead><tr><th scope="col">${h.calibrationPurchases}</th><th scope="col" class="num">${h.customers}</th><th scope="col" class="num">${h.actual}</th><th scope="col" class="num">${model}</th></tr></thead>
      <tbody>${v.byFrequency.map(
        (r) =>
          html`<tr><th scope="row">${r.frequency}</th><td class="num">${fmt(r.customers)}</td><td class="num">${r.actual.toFixed(2)}</td><td class="num">${r.predicted.toFixed(2)}</td></tr>`,
      )}</tbody></table>
    <ul class="holdout-errors">
      <li>${h.perCustomer(e.meanAbsoluteError, e.naiveMeanAbsoluteError)}</li>
      <li>${h.tracking(e.trackingError)}</li>
    </ul>
    ${v.newInHoldout ? html`<p class="secondary">${h.newInHoldout(v.newInHoldout)}</p>` : nothing}
    <p class="secondary">${h.fitted(model, v.fit.iterations, v.fit.logLikelihood)}</p>`;
}

/** One shape of the shared chart as an SVG element; text goes in as a text node (escaped by lit). */
function shapeView(s: ChartShape): unknown {
  switch (s.kind) {
    case 'line':
      return svg`<line x1=${s.x1} y1=${s.y1} x2=${s.x2} y2=${s.y2} stroke=${s.color} stroke-dasharray=${s.dash ?? nothing}></line>`;
    case 'path':
      return svg`<path d=${s.d} fill="none" stroke=${s.color} stroke-width="2" stroke-dasharray=${s.dash ?? nothing}></path>`;
    case 'text':
      return svg`<text x=${s.x} y=${s.y} text-anchor=${s.anchor} font-weight=${s.bold ? 'bold' : nothing}>${s.text}</text>`;
  }
}

function chartView(chart: Chart): TemplateResult {
  return html`<svg class="holdout-chart" role="img" aria-label=${chart.title} width=${chart.width} height=${chart.height}
    viewBox=${`0 0 ${chart.width} ${chart.height}`} font-family="Arial, sans-serif" font-size=${chart.fontSize}>
    ${chart.shapes.map(shapeView)}</svg>`;
}
