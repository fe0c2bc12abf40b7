/**
 * Visual editors for every model kind: a paintable grid for rules over scores (R × F, with M and any
 * further input as layers) and for matrix cells, threshold inputs for pareto, bands, matrix axes and
 * weighted grades, the score thresholds and the tiers. Each edit goes through `ctx.set` (one field) or
 * `ctx.change` (a structural edit); the checks and the preview follow from the draft.
 */

import { html, nothing, type TemplateResult } from 'lit-html';
import { styleMap } from 'lit-html/directives/style-map.js';
import {
  type Axis,
  CHANNELS,
  type MatrixModel,
  type Rule,
  type ScoredBook,
  type TierModel,
  type TierwiseConfig,
  type WeightedModel,
} from '../../shared';
import type { Words } from './i18n';
import { cellCount, cellsOf, type Dim, gridDims, idleRules, indexOf, rulesOf } from './rule-grid';

export interface EditorContext {
  t: Words;
  draft: TierwiseConfig;
  /** The text an input shows: what the manager typed, else the value. */
  text(path: string, value: number | string | undefined): string;
  /** One field changed; `raw` is what was typed. */
  set(path: string, value: unknown, raw?: string): void;
  /** A structural change of the draft (a painted grid, a band added). */
  change(edit: (draft: TierwiseConfig) => void): void;
  /** The check's messages for a field path (and the paths inside it). */
  problems(path: string): string[];
  /** The draft scored on the sheet's customers, when the preview has run. */
  book: ScoredBook | null;
  grid: GridState;
}

export interface GridState {
  /** The tier (index) the manager paints with, per grid. */
  brush: Record<string, number>;
  /** Per grid and extra axis: the value index shown, or -1 for all values at once. */
  layer: Record<string, number>;
  painting: string | null;
}

/** A light colour per tier, distinct side by side; the tier's number is printed too (never colour alone). */
const PALETTE = [
  '#b7e1a1',
  '#8fd3c4',
  '#a7c7f2',
  '#cdb4f0',
  '#f5b8d4',
  '#f7c59f',
  '#f9e79f',
  '#d5dbb3',
  '#bfe3f0',
  '#e0c9a6',
  '#c9d1d9',
  '#f2a7a0',
];
export const tierColour = (index: number): string => (index < 0 ? '#fff' : PALETTE[index % PALETTE.length]);

const labelOf = (config: TierwiseConfig, key: string): string =>
  config.tiers.find((t) => t.key === key)?.label ?? key;

const num = (value: string): number => (value.trim() === '' ? Number.NaN : Number(value));

function errors(ctx: EditorContext, path: string): TemplateResult | typeof nothing {
  const list = ctx.problems(path);
  return list.length ? html`<p class="field-error" role="alert">${list.join(' · ')}</p>` : nothing;
}

/** A number input bound to a path; `scale` shows fractions as percentages (0.8 ↔ 80). */
function numberField(
  ctx: EditorContext,
  path: string,
  label: string,
  value: number | undefined,
  options: { scale?: number; step?: string; disabled?: boolean; suffix?: string } = {},
): TemplateResult {
  const scale = options.scale ?? 1;
  const id = `f-${path.replace(/[^\w]/g, '-')}`;
  const shown = value === undefined || Number.isNaN(value) ? '' : String(Number((value * scale).toFixed(6)));
  const invalid = ctx.problems(path).length > 0;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <span class="with-suffix"><input id=${id} type="number" inputmode="decimal" step=${options.step ?? 'any'}
      data-path=${path} aria-invalid=${invalid ? 'true' : 'false'} ?disabled=${options.disabled}
      .value=${ctx.text(path, shown)}
      @input=${(e: Event) => {
        const raw = (e.target as HTMLInputElement).value;
        ctx.set(path, num(raw) / scale, raw);
      }}>${options.suffix ? html`<span class="suffix">${options.suffix}</span>` : nothing}</span>
    ${errors(ctx, path)}
  </div>`;
}

function textField(ctx: EditorContext, path: string, label: string, value: string): TemplateResult {
  const id = `f-${path.replace(/[^\w]/g, '-')}`;
  return html`<div class="field"><label for=${id}>${label}</label>
    <input id=${id} type="text" data-path=${path} aria-invalid=${ctx.problems(path).length ? 'true' : 'false'}
      .value=${ctx.text(path, value)}
      @input=${(e: Event) => {
        const raw = (e.target as HTMLInputElement).value;
        ctx.set(path, raw, raw);
      }}>${errors(ctx, path)}</div>`;
}

function tierSelect(
  ctx: EditorContext,
  path: string,
  label: string,
  value: string,
  onPick: (key: string) => void,
): TemplateResult {
  const id = `f-${path.replace(/[^\w]/g, '-')}`;
  return html`<div class="field"><label for=${id}>${label}</label>
    <select id=${id} data-path=${path} @change=${(e: Event) => onPick((e.target as HTMLSelectElement).value)}>
      ${ctx.draft.tiers.map((t) => html`<option value=${t.key} ?selected=${t.key === value}>${t.label}</option>`)}
    </select>${errors(ctx, path)}</div>`;
}

// ---------- the model ----------

/** The editor of each model kind; the compiler asks for one per registered kind (`shared/models/`). */
const MODEL_EDITORS: {
  [K in TierModel['kind']]: (ctx: EditorContext, model: Extract<TierModel, { kind: K }>) => TemplateResult;
} = {
  rules: (ctx, m) =>
    rulesEditor(ctx, 'model', m.rules, m.inputs, (rules) =>
      ctx.change((d) => {
        const linked = segmentsFollowModel(d);
        if (d.model.kind === 'rules') d.model.rules = rules;
        if (linked && d.segments) d.segments.rules = JSON.parse(JSON.stringify(rules)) as Rule[];
      }),
    ),
  pareto: (ctx, m) => {
    const { t, draft } = ctx;
    return html`<p class="hint">${t.paretoHint(m.basis === 'value')}</p>
      ${m.cuts.map((c, i) =>
        numberField(
          ctx,
          `model.cuts[${i}].upTo`,
          t.paretoCut(labelOf(draft, c.tier), m.basis === 'value'),
          c.upTo,
          {
            scale: 100,
            suffix: '%',
            disabled: i === m.cuts.length - 1,
          },
        ),
      )}
      ${m.nonPositiveTier ? html`<p class="hint">${t.nonPositive(labelOf(draft, m.nonPositiveTier))}</p>` : nothing}`;
  },
  matrix: (ctx, m) =>
    html`${axisEditor(ctx, 'model.rows', m.rows)} ${axisEditor(ctx, 'model.columns', m.columns)} ${matrixGrid(ctx, m)}`,
  bands: (ctx, m) => html`${axisEditor(ctx, 'model.axis', m.axis)}
    ${m.tiers.map((key, i) =>
      tierSelect(ctx, `model.tiers[${i}]`, bandName(ctx.t, m.axis, i), key, (k) =>
        ctx.set(`model.tiers[${i}]`, k),
      ),
    )}`,
  weighted: weightedEditor,
};

export function modelEditor(ctx: EditorContext): TemplateResult {
  const model = ctx.draft.model;
  const editor = MODEL_EDITORS[model.kind] as (ctx: EditorContext, model: TierModel) => TemplateResult;
  return editor(ctx, model);
}

/** In the RFM presets the segments are the tiers under another name: painting one paints both. */
function segmentsFollowModel(config: TierwiseConfig): boolean {
  return (
    config.model.kind === 'rules' &&
    !!config.segments &&
    JSON.stringify(config.segments.rules) === JSON.stringify(config.model.rules)
  );
}

export function segmentsEditor(ctx: EditorContext): TemplateResult | typeof nothing {
  const seg = ctx.draft.segments;
  if (!seg || segmentsFollowModel(ctx.draft)) return nothing;
  return html`<details class="fold"><summary>${ctx.t.segments}</summary>
    ${rulesEditor(
      ctx,
      'segments',
      seg.rules,
      undefined,
      (rules) =>
        ctx.change((d) => {
          if (d.segments) d.segments.rules = rules;
        }),
      seg.labels,
    )}</details>`;
}

const bandName = (t: Words, axis: Axis, i: number): string =>
  axis.labels?.[i] ?? t.band(metricName(t, axis.metric), i + 1);

export const metricName = (t: Words, metric: string): string => t.metrics[metric] ?? metric;

function axisEditor(ctx: EditorContext, path: string, axis: Axis): TemplateResult {
  const { t } = ctx;
  const name = metricName(ctx.t, axis.metric);
  const cuts = axis.cuts;
  return html`<fieldset class="axis"><legend>${name}</legend>
    ${
      cuts
        ? html`${cuts.map((c, i) => numberField(ctx, `${path}.cuts[${i}]`, t.cutFrom(bandName(t, axis, i + 1)), c))}
          <div class="buttons">
            <button type="button" @click=${() => ctx.change((d) => addBand(d, path))}>${t.addBand}</button>
            <button type="button" ?disabled=${cuts.length < 2} @click=${() => ctx.change((d) => removeBand(d, path))}>${t.removeBand}</button>
          </div>`
        : numberField(ctx, `${path}.quantiles`, t.quantileBands, axis.quantiles, { step: '1' })
    }${errors(ctx, path)}</fieldset>`;
}

/** The object at a path such as `model.rows`. */
function at(config: TierwiseConfig, path: string): Record<string, unknown> {
  return path
    .split('.')
    .reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, config as never);
}

/** Adds a band at the top of an axis, and the row, column or tier it needs, so the model stays whole. */
function addBand(d: TierwiseConfig, path: string): void {
  const axis = at(d, path) as unknown as Axis;
  const cuts = axis.cuts ?? [];
  const last = cuts[cuts.length - 1] ?? 0;
  const before = cuts[cuts.length - 2] ?? 0;
  axis.cuts = [...cuts, last + Math.max(1, last - before)];
  if (axis.labels) axis.labels = [...axis.labels, `> ${last}`];
  const m = d.model;
  if (m.kind === 'bands') m.tiers.push(m.tiers[m.tiers.length - 1]);
  if (m.kind === 'matrix' && path === 'model.rows') m.cells.push([...m.cells[m.cells.length - 1]]);
  if (m.kind === 'matrix' && path === 'model.columns')
    for (const row of m.cells) row.push(row[row.length - 1]);
}

function removeBand(d: TierwiseConfig, path: string): void {
  const axis = at(d, path) as unknown as Axis;
  axis.cuts = (axis.cuts ?? []).slice(0, -1);
  if (axis.labels) axis.labels = axis.labels.slice(0, -1);
  if (axis.missingBand !== undefined) axis.missingBand = Math.min(axis.missingBand, axis.cuts.length);
  const m = d.model;
  if (m.kind === 'bands') m.tiers.pop();
  if (m.kind === 'matrix' && path === 'model.rows') m.cells.pop();
  if (m.kind === 'matrix' && path === 'model.columns') for (const row of m.cells) row.pop();
}

function weightedEditor(ctx: EditorContext, m: WeightedModel): TemplateResult {
  const { t, draft } = ctx;
  return html`${m.indicators.map(
    (ind, i) => html`<fieldset class="axis"><legend>${metricName(t, ind.metric)}</legend>
      ${numberField(ctx, `model.indicators[${i}].weight`, t.weight, ind.weight, { scale: 100, suffix: '%' })}
      ${ind.cuts.map((c, k) => numberField(ctx, `model.indicators[${i}].cuts[${k}]`, t.pointsFrom(ind.points[k + 1] ?? 0), c))}
      ${errors(ctx, `model.indicators[${i}].points`)}
    </fieldset>`,
  )}${errors(ctx, 'model.indicators')}
  <h3>${t.grades}</h3>
  ${m.grades.map((g, i) => numberField(ctx, `model.grades[${i}].minScore`, t.minScore(labelOf(draft, g.tier)), g.minScore))}`;
}

// ---------- paintable grids ----------

interface GridSpec {
  id: string;
  dims: Dim[];
  cells: Int16Array;
  /** What each tier index is called, and its colour index. */
  names: string[];
  axisName(d: number): string;
  valueName(d: number, k: number): string;
  counts: Float64Array | null;
  onPaint(cells: Int16Array): void;
}

function rulesEditor(
  ctx: EditorContext,
  id: string,
  rules: Rule[],
  inputs: Record<string, { min: number; max: number }> | undefined,
  onRules: (rules: Rule[]) => void,
  labels?: { key: string; label: string }[],
): TemplateResult {
  const { t, draft } = ctx;
  const keys = (labels ?? draft.tiers).map((x) => x.key);
  const names = (labels ?? draft.tiers).map((x) => x.label);
  const dims = gridDims(rules, inputs, draft.scores.scale);
  if (!dims)
    return html`<p class="hint">${t.rulesNotGridded}</p>${ruleRows(ctx, id, rules, names, keys, onRules)}`;
  const cells = cellsOf(rules, dims, keys);
  const idle = idleRules(rules, dims);
  const gaps = cells.reduce((n, c) => n + (c < 0 ? 1 : 0), 0);
  return html`${paintGrid(ctx, {
    id,
    dims,
    cells,
    names,
    axisName: (d) => metricName(t, dims[d].metric),
    valueName: (d, k) => String(dims[d].values[k]),
    counts: ctx.book ? cellCounts(ctx.book, dims) : null,
    onPaint: (painted) => onRules(rulesOf(painted, dims, keys)),
  })}
  <p class=${gaps || idle.length ? 'message error' : 'message ok'} data-coverage=${id}>
    ${gaps ? t.gaps(gaps, cells.length) : t.covered(cells.length)}
    ${idle.map((k) => html`<br>${t.idleRule(k + 1, names[keys.indexOf(rules[k].is)] ?? rules[k].is)}`)}
  </p>
  <details class="fold"><summary>${t.rulesAsText(rules.length)}</summary>${ruleList(ctx, rules, names, keys)}</details>`;
}

/**
 * Rules on metrics without a fixed range (spend, cycle, a column): one row per rule, first match wins,
 * with the tier, each condition's min and max (blank: open), and buttons to reorder, remove and add.
 */
function ruleRows(
  ctx: EditorContext,
  id: string,
  rules: Rule[],
  names: string[],
  keys: string[],
  onRules: (rules: Rule[]) => void,
): TemplateResult {
  const { t } = ctx;
  const edit = (change: (next: Rule[]) => void): void => {
    const next = JSON.parse(JSON.stringify(rules)) as Rule[];
    change(next);
    onRules(next);
  };
  const bound = (k: number, metric: string, end: 0 | 1, value: number | null) => {
    const path = `${id}.rules[${k}].when.${metric}[${end}]`;
    const label = `${t.ruleN(k + 1)} ${metricName(t, metric)} ${end === 0 ? t.min : t.max}`;
    return html`<input type="number" step="any" aria-label=${label} placeholder=${end === 0 ? t.min : t.max}
      .value=${ctx.text(path, value ?? '')}
      @input=${(e: Event) => {
        const raw = (e.target as HTMLInputElement).value;
        ctx.set(path, raw.trim() === '' ? null : Number(raw), raw);
      }}>`;
  };
  const metrics = [
    ...new Set(['r', 'f', 'm', ...Object.keys(t.metrics), ...rules.flatMap((r) => Object.keys(r.when))]),
  ];
  return html`<ol class="rule-rows">${rules.map(
    (rule, k) => html`<li>
      <select aria-label=${t.ruleN(k + 1)} @change=${(e: Event) =>
        edit((next) => {
          next[k].is = (e.target as HTMLSelectElement).value;
        })}>${keys.map((key, i) => html`<option value=${key} ?selected=${key === rule.is}>${names[i]}</option>`)}</select>
      ${Object.entries(rule.when).map(
        ([metric, [lo, hi]]) => html`<div class="condition"><span>${metricName(t, metric)}</span>
          ${bound(k, metric, 0, lo)} ${bound(k, metric, 1, hi)}
          <button type="button" aria-label=${t.removeCondition(metricName(t, metric))} @click=${() =>
            edit((next) => {
              delete next[k].when[metric];
            })}>✕</button></div>`,
      )}
      ${Object.keys(rule.when).length === 0 ? html`<p class="hint">${t.everyoneElse}</p>` : nothing}
      <div class="buttons">
        <select aria-label=${t.addCondition} @change=${(e: Event) => {
          const metric = (e.target as HTMLSelectElement).value;
          if (metric)
            edit((next) => {
              next[k].when[metric] = [null, null];
            });
        }}><option value="">${t.addCondition}</option>${metrics
          .filter((m) => !(m in rule.when))
          .map((m) => html`<option value=${m}>${metricName(t, m)}</option>`)}</select>
        <button type="button" ?disabled=${k === 0} aria-label=${t.moveUp(k + 1)} @click=${() =>
          edit((next) => {
            next.splice(k - 1, 0, ...next.splice(k, 1));
          })}>↑</button>
        <button type="button" ?disabled=${rules.length < 2} aria-label=${t.removeRule(k + 1)} @click=${() =>
          edit((next) => {
            next.splice(k, 1);
          })}>✕</button>
      </div>${errors(ctx, `${id}.rules[${k}]`)}
    </li>`,
  )}</ol>
  <button type="button" @click=${() =>
    edit((next) => {
      next.push({ when: {}, is: keys[keys.length - 1] });
    })}>${t.addRule}</button>${errors(ctx, `${id}.rules`)}`;
}

function ruleList(ctx: EditorContext, rules: Rule[], names: string[], keys: string[]): TemplateResult {
  const { t } = ctx;
  const range = ([lo, hi]: [number | null, number | null]): string =>
    lo === hi ? String(lo) : `${lo ?? '…'}–${hi ?? '…'}`;
  return html`<ol class="rules">${rules.map(
    (r) => html`<li><b>${names[keys.indexOf(r.is)] ?? r.is}</b>:
      ${
        Object.keys(r.when).length === 0
          ? t.everyoneElse
          : Object.entries(r.when)
              .map(([metric, rg]) => `${metric.toUpperCase()} ${range(rg)}`)
              .join(', ')
      }</li>`,
  )}</ol>`;
}

/** Customers per grid cell, from the draft's scores (or the declared inputs' columns). */
function cellCounts(book: ScoredBook, dims: Dim[]): Float64Array {
  const counts = new Float64Array(cellCount(dims));
  const columns = dims.map((d) => book.metrics.column(d.metric));
  const at = new Array<number>(dims.length);
  for (let i = 0; i < book.customers.length; i++) {
    let inside = true;
    for (let d = 0; d < dims.length && inside; d++) {
      const k = Math.round(columns[d][i]) - dims[d].values[0];
      inside = k >= 0 && k < dims[d].values.length;
      at[d] = k;
    }
    if (inside) counts[indexOf(dims, at)]++;
  }
  return counts;
}

function matrixGrid(ctx: EditorContext, m: MatrixModel): TemplateResult {
  const { t, draft } = ctx;
  const bands = (axis: Axis): number => (axis.cuts ? axis.cuts.length + 1 : (axis.quantiles ?? 0));
  const rows = bands(m.rows);
  const columns = bands(m.columns);
  if (rows !== m.cells.length || m.cells.some((r) => r.length !== columns))
    return html`${errors(ctx, 'model.cells')}`;
  const keys = draft.tiers.map((x) => x.key);
  const dims: Dim[] = [
    { metric: 'rows', values: Array.from({ length: rows }, (_, i) => i) },
    { metric: 'columns', values: Array.from({ length: columns }, (_, i) => i) },
  ];
  const cells = Int16Array.from(m.cells.flat(), (key) => keys.indexOf(key));
  return paintGrid(ctx, {
    id: 'matrix',
    dims,
    cells,
    names: draft.tiers.map((x) => x.label),
    axisName: (d) => metricName(t, d === 0 ? m.rows.metric : m.columns.metric),
    valueName: (d, k) => {
      const axis = d === 0 ? m.rows : m.columns;
      return axis.labels?.[k] ?? String(k + 1);
    },
    counts: null,
    onPaint: (painted) =>
      ctx.change((d) => {
        if (d.model.kind !== 'matrix') return;
        d.model.cells = Array.from({ length: rows }, (_, r) =>
          Array.from({ length: columns }, (_, c) => keys[painted[r * columns + c]]),
        );
      }),
  });
}

/**
 * A grid of cells coloured by tier: the first axis down (highest value on top), the second across,
 * any further axes as layers to pick (or "all", where a cell shows every layer's tier as a stripe).
 * Press a tier, then click or drag over cells to paint them; every cell is a button, so the keyboard
 * works too.
 */
function paintGrid(ctx: EditorContext, g: GridSpec): TemplateResult {
  const { t, grid } = ctx;
  const brush = Math.min(grid.brush[g.id] ?? 0, g.names.length - 1);
  const [rowDim, colDim] = [g.dims[0], g.dims[1] ?? { metric: '', values: [0] }];
  const extra = g.dims.slice(2).map((_, k) => k + 2);
  const layerOf = (d: number): number => grid.layer[`${g.id}:${d}`] ?? -1;
  /** The full-grid cells behind one shown cell: every value of a layer set to "all". */
  const behind = (r: number, c: number): number[] => {
    let combos: number[][] = [[r, c]];
    for (const d of extra) {
      const pick = layerOf(d);
      const values = pick < 0 ? g.dims[d].values.map((_, k) => k) : [pick];
      combos = combos.flatMap((combo) => values.map((v) => [...combo, v]));
    }
    return combos.map((combo) => indexOf(g.dims, combo.slice(0, g.dims.length)));
  };
  const paint = (indexes: number[]): void => {
    if (indexes.every((i) => g.cells[i] === brush)) return;
    const next = g.cells.slice();
    for (const i of indexes) next[i] = brush;
    g.onPaint(next);
  };
  const rowsTopDown = rowDim.values.map((_, k) => rowDim.values.length - 1 - k);
  const cell = (r: number, c: number): TemplateResult => {
    const indexes = behind(r, c);
    const tiers = indexes.map((i) => g.cells[i]);
    const same = tiers.every((x) => x === tiers[0]);
    const count = g.counts ? indexes.reduce((n, i) => n + g.counts![i], 0) : null;
    const gap = tiers.some((x) => x < 0);
    const background = same
      ? tierColour(tiers[0])
      : `linear-gradient(90deg, ${tiers
          .map((x, k) => `${tierColour(x)} ${(k * 100) / tiers.length}% ${((k + 1) * 100) / tiers.length}%`)
          .join(', ')})`;
    const where = `${g.axisName(0)} ${g.valueName(0, r)}${g.dims[1] ? `, ${g.axisName(1)} ${g.valueName(1, c)}` : ''}`;
    const what = gap ? t.noTier : same ? g.names[tiers[0]] : t.mixed;
    return html`<button type="button" class=${`cell${gap ? ' gap' : ''}`} style=${styleMap(gap && same ? {} : { background })}
      data-cell=${indexes.join(' ')}
      aria-label=${`${where}: ${what}${count === null ? '' : `, ${t.customersN(count)}`}. ${t.paintWith(g.names[brush])}`}
      title=${`${where}: ${what}`}
      @pointerdown=${(e: PointerEvent) => {
        e.preventDefault();
        grid.painting = g.id;
        paint(indexes);
      }}
      @pointerenter=${() => grid.painting === g.id && paint(indexes)}
      @click=${(e: MouseEvent) => e.detail === 0 && paint(indexes)}>
      <span class="num">${gap ? '!' : same ? tiers[0] + 1 : '…'}</span>${count === null ? nothing : html`<span class="count">${count}</span>`}
    </button>`;
  };
  return html`<div class="paint" data-grid=${g.id}>
    <div class="brushes" role="radiogroup" aria-label=${t.paintWithLabel}>
      ${g.names.map(
        (
          name,
          k,
        ) => html`<button type="button" role="radio" aria-checked=${k === brush ? 'true' : 'false'} class="brush"
          style=${styleMap({ background: tierColour(k) })}
          @click=${() => {
            grid.brush[g.id] = k;
            ctx.change(() => undefined);
          }}><b>${k + 1}</b> ${name}</button>`,
      )}
    </div>
    ${extra.map(
      (d) => html`<div class="layers" role="group" aria-label=${g.axisName(d)}>${g.axisName(d)}:
        ${[-1, ...g.dims[d].values.map((_, k) => k)].map(
          (k) => html`<button type="button" aria-pressed=${layerOf(d) === k ? 'true' : 'false'}
            @click=${() => {
              grid.layer[`${g.id}:${d}`] = k;
              ctx.change(() => undefined);
            }}>${k < 0 ? t.all : g.valueName(d, k)}</button>`,
        )}</div>`,
    )}
    <div class="grid" role="group" aria-label=${t.gridLabel(g.axisName(0), g.dims[1] ? g.axisName(1) : '')}
      style=${styleMap({ gridTemplateColumns: `auto repeat(${colDim.values.length}, 1fr)` })}>
      <span class="axis-name">${g.axisName(0)} ↓ ${g.dims[1] ? `${g.axisName(1)} →` : ''}</span>
      <span></span>${colDim.values.map((_, c) => html`<span class="head">${g.dims[1] ? g.valueName(1, c) : ''}</span>`)}
      ${rowsTopDown.map(
        (r) => html`<span class="head">${g.valueName(0, r)}</span>${colDim.values.map((_, c) => cell(r, c))}`,
      )}
    </div>
  </div>`;
}

// ---------- scores and tiers ----------

export function scoresEditor(ctx: EditorContext): TemplateResult {
  const { t, draft } = ctx;
  const s = draft.scores;
  return html`<div class="field"><label for="scale">${t.scale}</label>
    <select id="scale" @change=${(e: Event) => {
      const scale = Number((e.target as HTMLSelectElement).value) as 3 | 4 | 5;
      ctx.change((d) => setScale(d, scale));
    }}>${[3, 4, 5].map((n) => html`<option ?selected=${n === s.scale}>${n}</option>`)}</select></div>
  ${(['recency', 'frequency', 'monetary'] as const).map((name) => {
    const method = s[name];
    return html`<fieldset class="axis"><legend>${t.scoreName[name]}</legend>
      <select aria-label=${t.scoreMethod(t.scoreName[name])} @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        ctx.change((d) => {
          const cuts = Array.from({ length: d.scores.scale - 1 }, (_, i) =>
            name === 'recency' ? 30 * 2 ** i : name === 'frequency' ? 2 ** (i + 1) : 100 * 4 ** i,
          );
          const basis = name === 'monetary' ? { basis: d.scores.monetary.basis ?? 'total' } : {};
          d.scores[name] = (
            v === 'thresholds' ? { method: 'thresholds', cuts, ...basis } : { method: 'quantile', ...basis }
          ) as never;
        });
      }}>
        <option value="quantile" ?selected=${method.method === 'quantile'}>${t.byQuantile}</option>
        <option value="thresholds" ?selected=${method.method === 'thresholds'}>${t.byThresholds}</option>
      </select>
      ${
        method.method === 'thresholds'
          ? method.cuts.map((c, i) =>
              numberField(
                ctx,
                `scores.${name}.cuts[${i}]`,
                name === 'recency' ? t.recencyCut(s.scale - i) : t.atLeastCut(name, i + 2),
                c,
              ),
            )
          : nothing
      }${errors(ctx, `scores.${name}`)}
    </fieldset>`;
  })}`;
}

/** A new scale keeps threshold methods usable (one cut fewer or more) and rules inside the new range. */
function setScale(d: TierwiseConfig, scale: 3 | 4 | 5): void {
  d.scores.scale = scale;
  for (const name of ['recency', 'frequency', 'monetary'] as const) {
    const method = d.scores[name];
    if (method.method !== 'thresholds') continue;
    const cuts = method.cuts.slice(0, scale - 1);
    while (cuts.length < scale - 1) cuts.push((cuts[cuts.length - 1] ?? 1) * 2);
    method.cuts = cuts;
  }
  const clamp = (rules: Rule[]): void => {
    for (const rule of rules)
      for (const metric of ['r', 'f', 'm'])
        if (rule.when[metric])
          rule.when[metric] = rule.when[metric].map((v) => (v === null ? null : Math.min(v, scale))) as [
            number | null,
            number | null,
          ];
  };
  if (d.model.kind === 'rules') clamp(d.model.rules);
  if (d.segments) clamp(d.segments.rules);
}

export function tiersEditor(ctx: EditorContext): TemplateResult {
  const { t, draft } = ctx;
  return html`${draft.tiers.map(
    (tier, i) => html`<fieldset class="tier" style=${styleMap({ borderLeftColor: tierColour(i) })}>
      <legend>${i + 1}. ${tier.label}</legend>
      ${textField(ctx, `tiers[${i}].label`, t.label, tier.label)}
      ${textField(ctx, `tiers[${i}].action`, t.action, tier.action)}
      <div class="row">
        ${numberField(ctx, `tiers[${i}].cadenceDays`, t.cadence, tier.cadenceDays, { step: '1' })}
        <div class="field"><label for=${`ch-${i}`}>${t.channel}</label>
          <select id=${`ch-${i}`} @change=${(e: Event) => ctx.set(`tiers[${i}].channel`, (e.target as HTMLSelectElement).value)}>
            ${CHANNELS.map((c) => html`<option value=${c} ?selected=${c === tier.channel}>${t.channels[c]}</option>`)}
          </select></div>
      </div>
    </fieldset>`,
  )}`;
}
