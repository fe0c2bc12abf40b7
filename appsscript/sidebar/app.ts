/**
 * The sidebar: edit the configuration visually with the core's checks beside each field, preview on
 * the sheet's own customers who moves from which tier to which (computed here, in the browser), save
 * with conflict handling, history and rollback, customer sync and Slack linking. Rendered with
 * lit-html: values are escaped, and re-rendering keeps the DOM (and the focus) where it is.
 */

import { html, nothing, render, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import {
  type ConfigCheck,
  type ConfigProblem,
  type CustomerSummary,
  checkConfig,
  type Day,
  getPreset,
  intakeBook,
  isoDate,
  type Locale,
  PRESETS,
  parseDay,
  type RowProblem,
  type ScoredBook,
  SYNC_CHUNK_ROWS,
  scoreBook,
  syncChunks,
  type TierwiseConfig,
  validateConfig,
} from '../../shared';
import type { ConfigDrift, DataStatus, SheetData, SidebarState, StoredVersion } from '../protocol';
import {
  type EditorContext,
  type GridState,
  modelEditor,
  scoresEditor,
  segmentsEditor,
  tierColour,
  tiersEditor,
} from './editors';
import { currencyOf, type Formats, formats } from './format';
import { holdoutView } from './holdout';
import { localeOf, type Words, words } from './i18n';
import { largestMoves, type Movement, movement } from './movement';
import { call } from './server';

type Fold = 'preview' | 'model' | 'scores' | 'tiers' | 'json' | 'history' | 'data' | 'holdout';
type Kind = 'ok' | 'warn' | 'error';
interface Notice {
  kind: Kind;
  text: string | TemplateResult;
}

/** Why there is no preview: nothing in the range, or no customer table there. */
type DataProblem =
  | { kind: 'blank'; range: string }
  | { kind: 'not-a-table'; range: string; reason: string; candidates: string[] };

interface Preview {
  customers: number;
  revenue: number;
  movement: Movement;
  after: ScoredBook | null;
}

const app = document.getElementById('app')!;

const S = {
  phase: 'loading' as 'loading' | 'ready' | 'failed',
  startError: '',
  state: null as SidebarState | null,
  saved: null as { version: number; config: TierwiseConfig } | null,
  draft: null as unknown as TierwiseConfig,
  /** Bumped when the draft is replaced as a whole, so every input shows the new values. */
  generation: 0,
  raw: new Map<string, string>(),
  check: null as ConfigCheck | null,
  data: null as SheetData | null,
  dataProblem: null as DataProblem | null,
  customers: null as CustomerSummary[] | null,
  rejected: [] as RowProblem[],
  asOf: 0 as Day,
  preview: null as Preview | null,
  previewBy: 'customers' as 'customers' | 'revenue',
  open: { preview: true, model: true } as Partial<Record<Fold, boolean>>,
  notice: null as Notice | null,
  saveNotice: null as Notice | null,
  historyNotice: null as Notice | null,
  dataNotice: null as Notice | null,
  history: null as StoredVersion[] | null,
  saving: false,
  note: '',
  json: { text: '', problems: [] as ConfigProblem[], error: '' },
  progress: null as { done: number; of: number } | null,
  grid: { brush: {}, layer: {}, painting: null } as GridState,
};

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The language: the configuration's, else the spreadsheet's (before a configuration is loaded). */
const locale = (): Locale => S.draft?.locale ?? S.state?.locale ?? localeOf(navigator.language);
const t = (): Words => words(locale());
/** Amounts in the currency of the data's number formats, if they name one. */
const fmt = (): Formats => formats(locale(), currencyOf(S.data?.formats ?? []));

// ---------- rendering ----------

let queued = false;
let rendered = false;
/** Renders once per burst of changes. */
function update(): void {
  if (queued) return;
  queued = true;
  queueMicrotask(() => {
    queued = false;
    if (!rendered) app.textContent = ''; // the page's own "Loading…", before lit takes over
    rendered = true;
    render(view(), app);
  });
}

function view(): TemplateResult {
  document.documentElement.lang = locale() === 'zh' ? 'zh-CN' : 'en';
  app.setAttribute('aria-busy', String(S.phase === 'loading'));
  if (S.phase === 'loading') return html`<p class="secondary">${t().loading}</p>`;
  if (S.phase === 'failed') return failedView();
  const w = t();
  return html`<header>
      <h1>Tierwise <span class="badge">${S.state!.mode === 'shared' ? w.shared : w.sheetOnly}</span></h1>
      <p class="secondary">${w.versionBy(S.saved!.version, S.state!.user)}</p>
    </header>
    ${serverBanner()} ${driftBanner()} ${noticeView(S.notice, 'status', 'status')}
    ${fold('preview', w.preview, previewView())}
    ${fold('data', w.data, dataView())}
    ${fold('holdout', w.holdout.title, S.open.holdout ? holdoutView(S.dataProblem ? null : S.data, w, update) : nothing)}
    ${keyed(S.generation, configView())}
    ${fold('history', w.history, historyView())}
    ${saveBar()}`;
}

function fold(id: Fold, title: string, body: unknown): TemplateResult {
  return html`<details class="fold" id=${`fold-${id}`} ?open=${!!S.open[id]}
    @toggle=${(e: Event) => {
      const open = (e.target as HTMLDetailsElement).open;
      if (open === !!S.open[id]) return;
      S.open[id] = open;
      if (open && id === 'history') loadHistory();
      update();
    }}><summary><h2>${title}</h2></summary><div id=${id}>${body}</div></details>`;
}

function noticeView(notice: Notice | null, role: 'status' | 'alert', id = ''): unknown {
  return notice
    ? html`<div id=${id} class=${`message ${notice.kind}`} role=${role}>${notice.text}</div>`
    : html`<div id=${id} role=${role} class="empty"></div>`;
}

/** The start failed altogether: say what happened and what to do, and offer to try again. */
function failedView(): TemplateResult {
  const w = t();
  return html`<h1>Tierwise</h1>
    <div class="message error" role="alert"><b>${w.startFailed}</b><br>${S.startError}</div>
    <p>${w.startFailedHelp}</p>
    <button class="action" @click=${start}>${w.retry}</button>`;
}

/** The built-in server's state at start: every problem says what to do and offers to try again. */
function serverBanner(): unknown {
  const w = t();
  const server = S.state?.server;
  if (!server || server.kind === 'connected' || server.kind === 'none') return nothing;
  const [title, help] =
    server.kind === 'not-member'
      ? [w.forbiddenTitle, w.forbiddenHelp(server.user)]
      : server.kind === 'unreachable'
        ? [w.unreachableTitle, w.unreachableHelp]
        : [w.serverFailedTitle(server.status), w.unreachableHelp];
  return html`<div class="message warn" role="alert" data-server=${server.kind}>
    <b>${title}</b><br>${help}<br><span class="secondary">${server.detail}</span>
    <div class="buttons"><button @click=${start}>${w.retry}</button></div></div>`;
}

/** The config range the formulas read, when it is not what the sidebar shows; with the fixes. */
function driftBanner(): unknown {
  const w = t();
  const drift = S.state?.drift;
  if (!drift || drift.kind === 'in-sync' || drift.kind === 'missing') return nothing;
  const restore =
    drift.kind !== 'behind' && drift.rangeVersion !== null
      ? html`<button @click=${() => fixDrift('restoreLastGood')}>${w.restoreVersion(drift.rangeVersion)}</button>`
      : nothing;
  const body =
    drift.kind === 'behind'
      ? html`<b>${w.behindTitle(drift.rangeVersion, drift.currentVersion)}</b><br>${w.behindHelp}
          <div class="buttons"><button class="action" @click=${() => fixDrift('refreshConfig')}>${w.refreshTo(drift.currentVersion)}</button></div>`
      : drift.kind === 'hand-edited'
        ? html`<b>${w.handEditedTitle(S.saved!.version)}</b><br>${w.handEditedHelp}
          <div class="buttons"><button @click=${() => keepHandEdit(drift.config)}>${w.keepHandEdit}</button>${restore}
            <button @click=${() => fixDrift('refreshConfig')}>${w.refreshTo(S.saved!.version)}</button></div>`
        : html`<b>${w.brokenTitle}</b><br>${w.brokenHelp}<br><span class="secondary">${drift.problem}</span>
          <div class="buttons">${restore}<button class=${drift.rangeVersion === null ? 'action' : ''} @click=${() => fixDrift('refreshConfig')}>${w.refreshTo(S.saved!.version)}</button></div>`;
  return html`<div class=${`message ${drift.kind === 'broken' ? 'error' : 'warn'}`} role="alert" data-drift=${drift.kind}>${body}</div>`;
}

// ---------- the preview ----------

function previewView(): unknown {
  const w = t();
  const f = fmt();
  if (S.dataProblem) return html`<p class="secondary">${w.previewNeedsData}</p>`;
  if (!S.customers) return html`<p class="secondary">${w.readingSheet}</p>`;
  const p = S.preview;
  if (!p) return html`<p class="secondary">${w.previewBlocked}</p>`;
  const m = p.movement;
  const rowsBefore = (k: number) => m.customers[k]?.reduce((a, b) => a + b, 0) ?? 0;
  const toTotals = m.to.map((_, j) => ({
    customers: m.customers.reduce((n, row) => n + row[j], 0),
    revenue: m.revenue.reduce((n, row) => n + row[j], 0),
  }));
  const fromIndex = (key: string | null): number => m.from.findIndex((h) => h.key === key);
  return html`<p class="secondary" data-summary>${w.summary(f.count(p.customers), f.money(p.revenue), isoDate(S.asOf))}</p>
    <table class="tiers"><thead><tr><th>${w.tier}</th><th class="num">${w.customers}</th><th class="num">${w.revenue}</th></tr></thead>
    <tbody>${m.to.map((head, j) => {
      const k = fromIndex(head.key);
      const delta = toTotals[j].customers - (k >= 0 ? rowsBefore(k) : 0);
      return html`<tr data-tier=${head.key ?? ''}><td><span class="dot" style=${`background:${tierColour(head.key === null ? -1 : j)}`}></span>${j + 1}. ${head.label}</td>
        <td class="num">${f.count(toTotals[j].customers)} ${delta ? html`<span class=${delta > 0 ? 'up' : 'down'}>${delta > 0 ? '+' : '−'}${f.count(Math.abs(delta))}</span>` : nothing}</td>
        <td class="num">${f.money(toTotals[j].revenue)}<br><span class="secondary">${f.percent(p.revenue ? toTotals[j].revenue / p.revenue : 0)}</span></td></tr>`;
    })}</tbody></table>
    ${movementView(p, w, f)}
    ${S.rejected.length ? html`<p class="message warn">${w.rowsLeftOut(S.rejected.length, `${S.rejected[0].row}`, S.rejected[0].column, S.rejected[0].reason)}</p>` : nothing}`;
}

/** Who moves where: the largest moves in words, then the whole from × to table. */
function movementView(p: Preview, w: Words, f: Formats): TemplateResult {
  const m = p.movement;
  if (m.moved.customers === 0) return html`<p class="message ok" data-movement>${w.noMoves}</p>`;
  const moves = largestMoves(m);
  const byRevenue = S.previewBy === 'revenue';
  const value = (i: number, j: number): string =>
    byRevenue ? f.money(m.revenue[i][j]) : f.count(m.customers[i][j]);
  return html`<h3 data-movement>${w.moved(f.count(m.moved.customers), f.money(m.moved.revenue), f.percent(m.total.revenue ? m.moved.revenue / m.total.revenue : 0))}</h3>
    <ul class="moves">${moves
      .slice(0, 5)
      .map(
        (mv) =>
          html`<li>${mv.from.label} → <b>${mv.to.label}</b>: ${w.customersN(mv.customers)} · ${f.money(mv.revenue)}</li>`,
      )}${moves.length > 5 ? html`<li class="secondary">${w.moreMoves(moves.length - 5)}</li>` : nothing}</ul>
    <div class="toggle" role="group" aria-label=${w.showIn}>
      ${(['customers', 'revenue'] as const).map(
        (by) =>
          html`<button aria-pressed=${S.previewBy === by ? 'true' : 'false'} @click=${() => {
            S.previewBy = by;
            update();
          }}>${by === 'customers' ? w.customers : w.revenue}</button>`,
      )}
    </div>
    <div class="scroll"><table class="movement" aria-label=${w.movementTable}>
      <thead><tr><th scope="col">${w.fromTo}</th>${m.to.map(
        (h, j) =>
          html`<th scope="col" class="num" title=${h.label}><span class="dot" style=${`background:${tierColour(h.key === null ? -1 : j)}`}></span>${h.key === null ? '∅' : j + 1}</th>`,
      )}</tr></thead>
      <tbody>${m.from.map(
        (h, i) =>
          html`<tr><th scope="row" title=${h.label}>${h.label}</th>${m.to.map((to, j) => {
            const n = m.customers[i][j];
            const same = to.key === h.key;
            return html`<td class=${`num${same ? ' same' : n ? ' moved' : ''}`} title=${`${h.label} → ${to.label}: ${w.customersN(n)}, ${f.money(m.revenue[i][j])}`}>${n ? value(i, j) : ''}</td>`;
          })}</tr>`,
      )}</tbody></table></div>
    <p class="secondary">${w.movementHelp}</p>`;
}

// ---------- the data range and Slack ----------

function dataView(): TemplateResult {
  const w = t();
  const problem = S.dataProblem;
  const example = problem?.kind === 'blank' || S.state?.next?.includes('insert-example');
  return html`${
    problem
      ? html`<div class="message warn" role="alert" data-problem=${problem.kind}>
          <b>${problem.kind === 'blank' ? w.blankTitle(problem.range) : w.notTableTitle(problem.range)}</b>
          ${problem.kind === 'not-a-table' ? html`<br><span class="secondary">${problem.reason}</span>` : nothing}
        </div>
        <p>${w.dataHelp}</p>`
      : nothing
  }
    <p>${w.customersIn} <code id="range">${problem?.range ?? S.data?.range ?? S.state?.dataRange ?? ''}</code></p>
    ${candidatesView()}
    <p class="hint">${w.selectStep}</p>
    <div class="buttons">
      <button class=${problem ? 'action' : ''} @click=${() => useRange(null)}>${w.useSelection}</button>
      ${example ? html`<button @click=${insertExample}>${w.insertExample}</button>` : nothing}
    </div>
    ${
      S.customers
        ? html`<h3>${w.inTheSheet}</h3><div class="buttons">
            <button @click=${() => sheetAction('formatByTier')}>${w.formatByTier}</button>
            <button @click=${() => sheetAction('dueThisWeek')}>${w.dueThisWeek}</button></div>`
        : nothing
    }
    ${noticeView(S.dataNotice, 'status')}
    <h3>${w.slack}</h3>
    ${
      S.state?.mode === 'shared'
        ? html`<div class="buttons"><button ?disabled=${!S.data || !!S.progress} @click=${sync}>${w.sync}</button>
            <button @click=${link}>${w.link}</button></div>
            ${S.progress ? html`<progress value=${S.progress.done} max=${S.progress.of}></progress>` : nothing}`
        : html`<p class="secondary">${w.noServer}</p>`
    }
    ${S.state?.next?.includes('read-help') ? html`<p class="hint">${w.readHelp}</p>` : nothing}`;
}

/** Ranges on other tabs that look like customer tables (the server finds them, best first). */
function candidatesView(): unknown {
  const w = t();
  const problem = S.dataProblem;
  if (problem?.kind !== 'not-a-table') return nothing;
  if (!problem.candidates.length) return html`<p class="secondary">${w.noCandidates}</p>`;
  return html`<p>${w.candidates}</p><ul class="candidates">${problem.candidates.map(
    (range) =>
      html`<li><button class="action" @click=${() => useRange(range)}>${w.useRange(range)}</button></li>`,
  )}</ul>`;
}

// ---------- the configuration ----------

/** The check's problems some open section shows beside its field; the rest are listed below. */
const shown = new Set<ConfigProblem>();

function context(fold: Fold): EditorContext {
  return {
    t: t(),
    draft: S.draft,
    text: (path, value) => S.raw.get(path) ?? String(value ?? ''),
    set: (path, value, raw) => {
      if (raw === undefined) S.raw.delete(path);
      else S.raw.set(path, raw);
      followLabel(path, value);
      setPath(S.draft, path, value);
      edited();
    },
    change: (edit) => {
      edit(S.draft);
      edited();
    },
    problems: (path) => {
      const hits = (S.check?.errors ?? []).filter(
        (p) => p.path === path || p.path.startsWith(`${path}[`) || p.path.startsWith(`${path}.`),
      );
      if (S.open[fold]) for (const p of hits) shown.add(p);
      return hits.map((p) => p.message);
    },
    book: S.preview?.after ?? null,
    grid: S.grid,
  };
}

/** A tier renamed renames its segment too while they are one (the RFM presets). */
function followLabel(path: string, value: unknown): void {
  const m = /^tiers\[(\d+)\]\.label$/.exec(path);
  if (!m || !S.draft.segments) return;
  const tier = S.draft.tiers[Number(m[1])];
  const segment = S.draft.segments.labels.find((s) => s.key === tier.key && s.label === tier.label);
  if (segment) segment.label = String(value);
}

function configView(): TemplateResult {
  const w = t();
  const ctx = context('model');
  const check = S.check!;
  shown.clear();
  const model = fold(
    'model',
    w.model(w.kinds[S.draft.model.kind]),
    html`${modelEditor(ctx)}${segmentsEditor(ctx)}`,
  );
  const scores = fold('scores', w.scores, scoresEditor(context('scores')));
  const tiers = fold('tiers', w.tiers, tiersEditor(context('tiers')));
  const loose = check.errors.filter((p) => !shown.has(p));
  return html`<section class="setup">
      <div class="row">
        <div class="field"><label for="preset">${w.preset}</label>
          <select id="preset" @change=${(e: Event) => {
            const name = (e.target as HTMLSelectElement).value;
            if (name) replaceDraft(getPreset(name)!);
          }}><option value="">${w.keepCurrent}</option>
          ${PRESETS.map((p) => html`<option value=${p.name}>${p.name}</option>`)}</select></div>
        <div class="field"><label for="locale">${w.language}</label>
          <select id="locale" @change=${(e: Event) => ctx.set('locale', (e.target as HTMLSelectElement).value)}>
            <option value="en" ?selected=${S.draft.locale === 'en'}>English</option>
            <option value="zh" ?selected=${S.draft.locale === 'zh'}>中文</option>
          </select></div>
      </div>
    </section>
    ${model} ${scores} ${tiers}
    ${fold('json', w.json, jsonView())}
    <div id="checks" aria-live="polite">
      ${loose.map((p) => html`<p class="message error">${p.path ? `${p.path}: ` : ''}${p.message}</p>`)}
      ${check.warnings.map((x) => html`<p class="message warn">${x}</p>`)}
    </div>`;
}

function jsonView(): TemplateResult {
  const w = t();
  return html`<p class="hint">${w.jsonHelp}</p>
    <label for="json-text">${w.jsonLabel}</label>
    <textarea id="json-text" spellcheck="false" .value=${S.json.text || JSON.stringify(S.draft, null, 2)}
      @input=${(e: Event) => {
        S.json.text = (e.target as HTMLTextAreaElement).value;
      }}></textarea>
    <div class="buttons"><button @click=${applyJson}>${w.applyJson}</button>
      <button @click=${() => {
        S.json = { text: '', problems: [], error: '' };
        update();
      }}>${w.resetJson}</button></div>
    ${S.json.error ? html`<p class="message error" role="alert">${S.json.error}</p>` : nothing}
    ${
      S.json.problems.length
        ? html`<div class="message error" role="alert"><b>${w.jsonRefused(S.json.problems.length)}</b>
          <ul>${S.json.problems.slice(0, 20).map((p) => html`<li><code>${p.path || '(root)'}</code>: ${p.message}</li>`)}</ul></div>`
        : nothing
    }`;
}

/** JSON is applied only when the core reads it without a problem; otherwise it names each field path. */
function applyJson(): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(S.json.text || JSON.stringify(S.draft));
  } catch (error) {
    S.json.error = t().jsonSyntax((error as Error).message);
    S.json.problems = [];
    update();
    return;
  }
  const validation = validateConfig(parsed);
  S.json.error = '';
  if (!validation.ok) {
    S.json.problems = validation.problems;
    update();
    return;
  }
  S.json = { text: '', problems: [], error: '' };
  replaceDraft(validation.config);
}

function saveBar(): TemplateResult {
  const w = t();
  const check = S.check!;
  const changed = JSON.stringify(S.draft) !== JSON.stringify(S.saved!.config);
  const problems = check.errors.length;
  const offline = S.state?.canSave === false; // the server cannot take a save now (see the banner)
  return html`<div class="save-bar">
    ${noticeView(S.saveNotice, 'alert')}
    <p class="secondary" data-save-state>${offline ? w.cannotSave : problems ? w.problemsBlockSave(problems) : changed ? w.unsaved : w.noChanges}</p>
    <div class="row">
      <input id="note" type="text" aria-label=${w.note} placeholder=${w.note} .value=${S.note}
        @input=${(e: Event) => {
          S.note = (e.target as HTMLInputElement).value;
        }}>
      <button id="save" class="action" ?disabled=${!check.valid || S.saving || !changed || offline} @click=${() => save(S.saved!.version)}>${w.saveVersion(S.saved!.version + 1)}</button>
    </div>
    ${changed ? html`<button class="link" @click=${() => replaceDraft(S.saved!.config)}>${w.discard}</button>` : nothing}
  </div>`;
}

function historyView(): unknown {
  const w = t();
  const f = fmt();
  if (S.historyNotice) return noticeView(S.historyNotice, 'alert');
  if (!S.history) return html`<p class="secondary">${w.loading}</p>`;
  if (!S.history.length) return html`<p class="secondary">${w.noHistory}</p>`;
  return html`<table class="history"><tbody>${S.history.map(
    (
      v,
    ) => html`<tr><td>v${v.version}</td><td>${v.savedBy}<br><span class="secondary">${f.time(v.savedAt)}${v.note ? ` · ${v.note}` : ''}</span></td>
      <td>${v.version === S.saved!.version ? w.current : html`<button data-rollback=${v.version} @click=${() => rollback(v.version)}>${w.rollBack}</button>`}</td></tr>`,
  )}</tbody></table>`;
}

// ---------- editing, checks and the preview ----------

/** Sets a value at a path such as `tiers[2].cadenceDays` or `scores.recency.cuts[1]`. */
function setPath(target: unknown, path: string, value: unknown): void {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

function replaceDraft(config: TierwiseConfig): void {
  S.draft = copy(config);
  S.raw.clear();
  S.generation++;
  S.saveNotice = null;
  edited();
}

let previewTimer: ReturnType<typeof setTimeout> | undefined;
/** The checks run at once (they decide whether Save is possible); the preview after a pause in typing. */
function edited(): void {
  S.check = checkConfig(S.draft);
  update();
  schedulePreview();
}

/** Not while a drag paints the grid: the preview above it would grow and move the cells under the pointer. */
function schedulePreview(): void {
  clearTimeout(previewTimer);
  if (S.grid.painting) return;
  previewTimer = setTimeout(() => {
    computePreview();
    update();
  }, 150);
}

let before: { config: TierwiseConfig; customers: CustomerSummary[]; book: ScoredBook } | null = null;

function computePreview(): void {
  if (!S.customers || !S.check) return;
  if (!S.check.valid) {
    S.preview = null;
    return;
  }
  const saved = S.saved!.config;
  if (!before || before.config !== saved || before.customers !== S.customers)
    before = { config: saved, customers: S.customers, book: scoreBook(S.customers, saved, { asOf: S.asOf }) };
  const after = scoreBook(S.customers, S.draft, { asOf: S.asOf });
  const moves = movement(before.book, after, t().untiered);
  S.preview = { customers: moves.total.customers, revenue: moves.total.revenue, movement: moves, after };
}

// ---------- server calls ----------

const failure = (error: unknown): Notice => ({
  kind: 'error',
  text: t().callFailed(String((error as Error)?.message ?? error)),
});

async function save(baseVersion: number): Promise<void> {
  const w = t();
  S.saving = true;
  update();
  try {
    const outcome = await call('saveConfig', S.draft, baseVersion, S.note || null);
    if (outcome.ok) {
      S.saved = { version: outcome.saved.version, config: outcome.saved.config };
      S.note = '';
      S.history = null;
      S.saveNotice = null;
      S.notice = { kind: 'ok', text: w.saved(outcome.saved.version) };
      replaceDraft(outcome.saved.config);
    } else if ('conflict' in outcome) {
      // Keep the manager's edits on screen; the preview now compares them with the version that won.
      const won = outcome.conflict;
      S.saved = { version: won.version, config: won.config };
      S.saveNotice = {
        kind: 'warn',
        text: html`${w.conflict(won.savedBy, won.version)}<div class="buttons">
          <button @click=${() => save(won.version)}>${w.saveMineAs(won.version + 1)}</button>
          <button @click=${() => replaceDraft(won.config)}>${w.useTheirs}</button></div>`,
      };
      edited();
    } else if ('errors' in outcome) {
      S.saveNotice = {
        kind: 'error',
        text: html`${w.notSaved}<ul>${outcome.errors.map((e) => html`<li><code>${e.path}</code>: ${e.message}</li>`)}</ul>`,
      };
    } else {
      S.saveNotice = { kind: 'error', text: `${w.notSaved} ${outcome.failure}` };
    }
  } catch (error) {
    S.saveNotice = failure(error);
  }
  S.saving = false;
  update();
}

async function loadHistory(): Promise<void> {
  S.historyNotice = null;
  try {
    S.history = await call('configHistory');
  } catch (error) {
    S.historyNotice = failure(error);
  }
  update();
}

async function rollback(version: number): Promise<void> {
  const w = t();
  try {
    const outcome = await call('rollbackConfig', version, S.saved!.version);
    if (outcome.ok) {
      S.saved = { version: outcome.saved.version, config: outcome.saved.config };
      S.notice = { kind: 'ok', text: w.rolledBack(outcome.saved.version, version) };
      replaceDraft(outcome.saved.config);
      await loadHistory();
    } else {
      S.historyNotice = {
        kind: 'error',
        text:
          'conflict' in outcome ? w.rollbackConflict : 'failure' in outcome ? outcome.failure : w.notSaved,
      };
      update();
    }
  } catch (error) {
    S.historyNotice = failure(error);
    update();
  }
}

/** Chooses the customer data (a range, or the selection with null) and reads it. */
async function useRange(a1: string | null): Promise<void> {
  try {
    await dataStatus(await call('setDataRange', a1));
  } catch (error) {
    S.dataNotice = failure(error);
    update();
  }
}

async function insertExample(): Promise<void> {
  try {
    await dataStatus(await call('insertExample'));
    S.notice = { kind: 'ok', text: t().exampleInserted };
  } catch (error) {
    S.dataNotice = failure(error);
  }
  update();
}

/** Reads the data when the server says it is a customer table; otherwise shows why not. */
async function dataStatus(status: DataStatus | string): Promise<void> {
  S.dataNotice = null;
  if (typeof status === 'object' && status.kind !== 'ready') {
    showDataProblem(status);
    return;
  }
  await loadData();
}

function showDataProblem(status: Exclude<DataStatus, { kind: 'ready' }>): void {
  S.dataProblem =
    status.kind === 'blank'
      ? { kind: 'blank', range: status.range }
      : { kind: 'not-a-table', range: status.range, reason: status.problem, candidates: status.candidates };
  S.customers = null;
  S.preview = null;
  S.open.data = true;
  update();
}

async function fixDrift(fix: 'refreshConfig' | 'restoreLastGood'): Promise<void> {
  try {
    const drift: ConfigDrift = await call(fix);
    S.state = { ...S.state!, drift };
    S.notice = { kind: 'ok', text: fix === 'refreshConfig' ? t().refreshed : t().restored };
  } catch (error) {
    S.notice = failure(error);
  }
  update();
}

/** Takes a hand edit of the config range into the editor, to be saved (checked) as a new version. */
function keepHandEdit(config: TierwiseConfig): void {
  replaceDraft(config);
  S.notice = { kind: 'warn', text: t().handEditLoaded };
  update();
}

async function sheetAction(action: 'formatByTier' | 'dueThisWeek'): Promise<void> {
  const w = t();
  try {
    if (action === 'formatByTier') {
      const result = await call('formatByTier');
      S.dataNotice = { kind: 'ok', text: w.formatted(result.rules, result.range) };
    } else {
      const result = await call('dueThisWeek');
      S.dataNotice = { kind: 'ok', text: w.dueMade(result.sheet, result.rows) };
    }
  } catch (error) {
    S.dataNotice = failure(error);
  }
  update();
}

async function sync(): Promise<void> {
  const w = t();
  const data = S.data;
  if (!data) return;
  const chunks = syncChunks(data.header, data.rows, data.firstRow);
  const syncId = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  S.progress = { done: 0, of: chunks.length + 1 };
  update();
  try {
    for (const chunk of chunks) {
      await call('syncChunk', syncId, chunk.index, chunk.firstRow, chunk.header, chunk.rows);
      S.progress = { done: chunk.index + 1, of: chunks.length + 1 };
      S.dataNotice = {
        kind: 'ok',
        text: w.uploaded(Math.min((chunk.index + 1) * SYNC_CHUNK_ROWS, data.rows.length), data.rows.length),
      };
      update();
    }
    const result = (await call('syncCommit', syncId, chunks.length, isoDate(S.asOf))) as {
      customers: number;
      rejected: { row: number; column: string; reason: string }[];
    };
    S.dataNotice = {
      kind: result.rejected.length ? 'warn' : 'ok',
      text: html`${w.synced(result.customers)}${
        result.rejected.length
          ? html`<br>${w.skipped(result.rejected.length)}<ul>${result.rejected
              .slice(0, 5)
              .map((r) => html`<li>${w.rowProblem(r.row, r.column, r.reason)}</li>`)}</ul>`
          : nothing
      }`,
    };
  } catch (error) {
    S.dataNotice = failure(error);
  }
  S.progress = null;
  update();
}

async function link(): Promise<void> {
  const w = t();
  try {
    const c = await call('createLinkCode');
    S.dataNotice = {
      kind: 'ok',
      text: html`${w.linkIn}<br><span class="code">/tier link ${c.code}</span><br>${w.linkUntil(fmt().time(c.expiresAt))}`,
    };
  } catch (error) {
    S.dataNotice = failure(error);
  }
  update();
}

// ---------- start ----------

const ISO_DAY = /^\d{4}-\d{2}-\d{2}/;

/** The latest date in the data (a loop: a sheet has more cells than a call may take arguments). */
function latestDay(rows: SheetData['rows']): Day | null {
  let latest: Day | null = null;
  for (const row of rows)
    for (const cell of row) {
      if (typeof cell !== 'string' || !ISO_DAY.test(cell)) continue;
      const day = parseDay(cell);
      if (day !== null && (latest === null || day > latest)) latest = day;
    }
  return latest;
}

async function loadData(): Promise<void> {
  S.data = await call('sheetData');
  const data = S.data;
  S.asOf = latestDay(data.rows) ?? parseDay(new Date().toISOString().slice(0, 10))!;
  S.customers = null;
  S.preview = null;
  S.rejected = [];
  S.dataProblem = null;
  const blank =
    data.header.every((h) => String(h).trim() === '') && data.rows.every((r) => r.every((c) => c === ''));
  try {
    const intake = intakeBook(
      { header: data.header, rows: data.rows, firstRowNumber: data.firstRow },
      { asOf: S.asOf },
    );
    if (blank || intake.customers.length + intake.rejected.length === 0)
      return showDataProblem({ kind: 'blank', range: data.range });
    S.customers = intake.customers;
    S.rejected = intake.rejected;
  } catch (error) {
    const reason = (error as Error).message;
    if (blank) return showDataProblem({ kind: 'blank', range: data.range });
    return showDataProblem({
      kind: 'not-a-table',
      range: data.range,
      header: data.header,
      problem: reason,
      candidates: [],
    });
  }
  computePreview();
  update();
}

async function start(): Promise<void> {
  S.phase = 'loading';
  update();
  try {
    S.state = await call('sidebarState');
    S.saved = { version: S.state.version, config: S.state.config };
    S.phase = 'ready';
    replaceDraft(S.state.config);
  } catch (error) {
    S.phase = 'failed';
    S.startError = String((error as Error)?.message ?? error);
    update();
    return;
  }
  const data = S.state.data;
  if (data && data.kind !== 'ready') return showDataProblem(data);
  try {
    await loadData();
  } catch (error) {
    S.dataNotice = failure(error);
    S.open.data = true;
    update();
  }
}

window.addEventListener('pointerup', () => {
  if (!S.grid.painting) return;
  S.grid.painting = null;
  schedulePreview();
});
void start();
