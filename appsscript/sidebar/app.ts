/**
 * The sidebar: edit the configuration with the core's checks beside each field, preview customers and
 * revenue per tier before and after (computed here, in the browser, from the sheet's data), save with
 * conflict handling, history and rollback, customer sync and Slack linking.
 */

import {
  type CustomerSummary,
  checkConfig,
  getPreset,
  intakeBook,
  type PopulationSummary,
  PRESETS,
  parseDay,
  scoreBook,
  summarizePopulation,
  type TierwiseConfig,
} from '../../shared';
import type { SaveOutcome, SheetData, SidebarState as State, StoredVersion } from '../protocol';

/** The part of google.script.run the sidebar uses: handlers, then any server function by name. */
interface ScriptRun {
  withSuccessHandler(f: (value: unknown) => void): ScriptRun;
  withFailureHandler(f: (error: Error) => void): ScriptRun;
  [name: string]: unknown;
}
declare const google: { script: { run: ScriptRun } };

/** google.script.run as a promise; every failure reaches the user as a visible message. */
function call<T>(name: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const run = google.script.run.withSuccessHandler((v) => resolve(v as T)).withFailureHandler(reject);
    (run[name] as (...a: unknown[]) => void)(...args);
  });
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const esc = (text: unknown): string =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;

const app = document.getElementById('app')!;
let saved: StoredVersion | { version: number; config: TierwiseConfig };
let draft: TierwiseConfig;
let state: State;
let customers: CustomerSummary[] | null = null;
let asOf = 0;
let data: SheetData | null = null;

// ---------- rendering ----------

function field(path: string, label: string, value: string | number, type = 'text'): string {
  const id = `f-${path.replace(/[^\w]/g, '-')}`;
  return `<label for="${id}">${esc(label)}</label><input id="${id}" type="${type}" data-path="${esc(path)}" value="${esc(value)}"><p class="field-error" data-error-for="${esc(path)}" hidden></p>`;
}

function listField(path: string, label: string, values: number[], hint: string): string {
  return field(path, `${label} (${hint})`, values.join(', '));
}

function modelFields(config: TierwiseConfig): string {
  const m = config.model;
  switch (m.kind) {
    case 'pareto':
      return m.cuts
        .map((c, i) =>
          field(
            `model.cuts[${i}].upTo`,
            `${labelOf(config, c.tier)}: up to share of ${m.basis === 'value' ? 'revenue' : 'customers'} (0–1)`,
            c.upTo,
            'number',
          ),
        )
        .join('');
    case 'matrix':
      return ['rows', 'columns']
        .map((axis) => {
          const a = m[axis as 'rows' | 'columns'];
          return a.cuts
            ? listField(`model.${axis}.cuts`, `${a.metric} cut points`, a.cuts, 'ascending, comma-separated')
            : field(
                `model.${axis}.quantiles`,
                `${a.metric}: number of equal bands`,
                a.quantiles ?? 3,
                'number',
              );
        })
        .join('');
    case 'bands':
      return m.axis.cuts
        ? listField('model.axis.cuts', `${m.axis.metric} cut points`, m.axis.cuts, 'ascending')
        : '';
    case 'weighted':
      return [
        ...m.indicators.map((ind, i) =>
          field(`model.indicators[${i}].weight`, `Weight of ${ind.metric}`, ind.weight, 'number'),
        ),
        ...m.grades.map((g, i) =>
          field(
            `model.grades[${i}].minScore`,
            `${labelOf(config, g.tier)}: minimum score`,
            g.minScore,
            'number',
          ),
        ),
      ].join('');
    case 'rules':
      return '<p class="secondary">Rules are edited in the JSON below (first match wins).</p>';
  }
}

const labelOf = (config: TierwiseConfig, key: string): string =>
  config.tiers.find((t) => t.key === key)?.label ?? key;

function scoreFields(config: TierwiseConfig): string {
  return (['recency', 'frequency', 'monetary'] as const)
    .map((name) => {
      const method = config.scores[name];
      const choose = `<label for="m-${name}">${name[0].toUpperCase()}${name.slice(1)} score</label><select id="m-${name}" data-method="${name}"><option value="quantile"${method.method === 'quantile' ? ' selected' : ''}>by quantiles of customers</option><option value="thresholds"${method.method === 'thresholds' ? ' selected' : ''}>by thresholds</option></select>`;
      const hint =
        name === 'recency'
          ? 'days, ascending: within the first scores highest'
          : 'ascending: at least the last scores highest';
      return (
        choose +
        (method.method === 'thresholds'
          ? listField(`scores.${name}.cuts`, 'Thresholds', method.cuts, hint)
          : '')
      );
    })
    .join('');
}

function tierFields(config: TierwiseConfig): string {
  return config.tiers
    .map(
      (t, i) =>
        `<fieldset class="tier"><legend>${esc(t.label)}</legend>${field(`tiers[${i}].label`, 'Label', t.label)}${field(`tiers[${i}].action`, 'Next action', t.action)}<div class="row"><div>${field(`tiers[${i}].cadenceDays`, 'Contact every (days)', t.cadenceDays, 'number')}</div><div><label for="ch-${i}">Channel</label><select id="ch-${i}" data-path="tiers[${i}].channel">${['visit', 'call', 'email', 'message', 'none'].map((c) => `<option${c === t.channel ? ' selected' : ''}>${c}</option>`).join('')}</select></div></div></fieldset>`,
    )
    .join('');
}

function render(): void {
  app.setAttribute('aria-busy', 'false');
  app.innerHTML = `
  <h1 style="font-size:16px;margin:0">Tierwise <span class="badge">${state.mode === 'shared' ? 'shared with Slack' : 'this sheet only'}</span></h1>
  <p class="secondary">Version ${saved.version} · ${esc(state.user)}</p>
  <div id="status" role="status" aria-live="polite"></div>
  <section aria-labelledby="h-preview"><h2 id="h-preview">Preview: before → after</h2><div id="preview"><p class="secondary">Reading the sheet…</p></div></section>
  <section aria-labelledby="h-config"><h2 id="h-config">Configuration</h2>
    <label for="preset">Start from a preset</label>
    <select id="preset"><option value="">(keep current)</option>${PRESETS.map((p) => `<option value="${p.name}">${esc(p.name)}</option>`).join('')}</select>
    <div class="row"><div><label for="locale">Language</label><select id="locale" data-path="locale"><option value="en"${draft.locale === 'en' ? ' selected' : ''}>English</option><option value="zh"${draft.locale === 'zh' ? ' selected' : ''}>中文</option></select></div>
    <div><label for="scale">Score scale</label><select id="scale" data-path="scores.scale">${[3, 4, 5].map((n) => `<option${n === draft.scores.scale ? ' selected' : ''}>${n}</option>`).join('')}</select></div></div>
    ${scoreFields(draft)}
    <h2>Model: ${esc(draft.model.kind)}</h2>
    ${modelFields(draft)}
    <h2>Tiers, actions and cadences</h2>
    ${tierFields(draft)}
    <details><summary>Advanced: the configuration as JSON</summary>
      <label for="json">Configuration JSON</label><textarea id="json">${esc(JSON.stringify(draft, null, 2))}</textarea>
      <button id="apply-json">Apply JSON</button></details>
    <div id="checks" aria-live="polite"></div>
  </section>
  <section aria-labelledby="h-save"><h2 id="h-save">Save</h2>
    <label for="note">Note for the history (optional)</label><input id="note" type="text">
    <p><button id="save" class="action">Save version ${saved.version + 1}</button></p>
    <div id="save-status" role="alert"></div>
  </section>
  <section aria-labelledby="h-history"><h2 id="h-history">History</h2><div id="history"><button id="load-history">Show history</button></div></section>
  <section aria-labelledby="h-data"><h2 id="h-data">Data and Slack</h2>
    <p>Customers: <code id="range">${esc(state.dataRange)}</code> <button id="use-selection">Use selection</button></p>
    <label for="backend">Tierwise server (for Slack and shared versions)</label>
    <div class="row"><input id="backend" type="text" value="${esc(state.backendUrl ?? '')}" placeholder="https://…lambda-url…on.aws"><button id="set-backend">Connect</button></div>
    <p><button id="sync"${state.mode === 'shared' ? '' : ' disabled'}>Sync customers to Slack</button> <button id="link"${state.mode === 'shared' ? '' : ' disabled'}>Connect Slack</button></p>
    <progress id="sync-progress" value="0" max="1" hidden></progress>
    <div id="data-status" role="status" aria-live="polite"></div>
  </section>`;
  refresh();
}

// ---------- checks and preview ----------

function refresh(): void {
  const check = checkConfig(draft);
  for (const el of app.querySelectorAll<HTMLElement>('[data-error-for]')) el.hidden = true;
  for (const el of app.querySelectorAll<HTMLElement>('[data-path]')) el.removeAttribute('aria-invalid');
  const loose: string[] = [];
  for (const problem of check.errors) {
    const box = [...app.querySelectorAll<HTMLElement>('[data-error-for]')].find((el) =>
      problem.path.startsWith(el.dataset.errorFor!),
    );
    if (box) {
      box.hidden = false;
      box.textContent = problem.message;
      app
        .querySelector(`[data-path="${CSS.escape(box.dataset.errorFor!)}"]`)
        ?.setAttribute('aria-invalid', 'true');
    } else {
      loose.push(`${problem.path}: ${problem.message}`);
    }
  }
  const checks = document.getElementById('checks')!;
  checks.innerHTML = [
    ...loose.map((m) => `<p class="message error">${esc(m)}</p>`),
    ...check.warnings.map((w) => `<p class="message warn">${esc(w)}</p>`),
    check.valid ? '<p class="message ok">Checks passed: every customer lands in exactly one tier.</p>' : '',
  ].join('');
  (document.getElementById('save') as HTMLButtonElement).disabled = !check.valid;
  renderPreview(check.valid);
}

function population(config: TierwiseConfig): PopulationSummary | null {
  if (!customers) return null;
  return summarizePopulation(scoreBook(customers, config, { asOf }));
}

function renderPreview(valid: boolean): void {
  const box = document.getElementById('preview')!;
  if (!customers) return;
  const before = population(saved.config)!;
  if (!valid) {
    box.innerHTML = '<p class="secondary">Fix the problems above to see the preview.</p>';
    return;
  }
  const after = population(draft)!;
  const byKey = new Map(before.tiers.map((t) => [t.tier, t]));
  const rows = after.tiers
    .map((t) => {
      const b = byKey.get(t.tier);
      const delta = t.customers - (b?.customers ?? 0);
      const cls = delta > 0 ? 'up' : delta < 0 ? 'down' : '';
      return `<tr><td>${esc(t.label)}</td><td class="num">${b?.customers ?? 0} → <b>${t.customers}</b> <span class="${cls}">${delta ? (delta > 0 ? `+${delta}` : delta) : ''}</span></td><td class="num">${percent(b?.revenueShare ?? 0)} → ${percent(t.revenueShare)}</td></tr>`;
    })
    .join('');
  box.innerHTML = `<table><thead><tr><th>Tier</th><th class="num">Customers</th><th class="num">Revenue share</th></tr></thead><tbody>${rows}</tbody></table>
  <p class="secondary">${after.customers} customers, revenue ${after.revenue.toFixed(2)}${data ? ` (${esc(data.range)})` : ''}</p>${paretoSvg(after)}`;
}

function paretoSvg(summary: PopulationSummary): string {
  const points = summary.paretoCurve
    .map((p) => `${(p.customerShare * 200).toFixed(1)},${(100 - p.revenueShare * 100).toFixed(1)}`)
    .join(' ');
  const top20 = summary.paretoCurve.find((p) => p.customerShare >= 0.2)?.revenueShare ?? 0;
  return `<figure style="margin:6px 0"><svg viewBox="-2 -2 204 104" width="100%" role="img" aria-label="Pareto curve: the top 20 % of customers bring ${percent(top20)} of revenue"><rect x="0" y="0" width="200" height="100" fill="#fafafa" stroke="#ddd"/><line x1="0" y1="100" x2="200" y2="0" stroke="#ccc" stroke-dasharray="3"/><polyline fill="none" stroke="#1a73e8" stroke-width="2" points="${points}"/></svg><figcaption class="secondary">Pareto curve: the top 20 % of customers bring ${percent(top20)} of revenue.</figcaption></figure>`;
}

// ---------- editing ----------

/** Sets a value at a path such as `tiers[2].cadenceDays` or `scores.recency.cuts`. */
function setPath(target: unknown, path: string, value: unknown): void {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node = target as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

function readInput(el: HTMLInputElement | HTMLSelectElement): unknown {
  const path = el.dataset.path!;
  if (path.endsWith('.cuts'))
    return el.value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean)
      .map(Number);
  if (el instanceof HTMLInputElement && el.type === 'number')
    return el.value === '' ? Number.NaN : Number(el.value);
  if (path === 'scores.scale') return Number(el.value);
  return el.value;
}

let timer: ReturnType<typeof setTimeout> | undefined;
app.addEventListener('input', (event) => {
  const el = event.target as HTMLInputElement;
  if (!el.dataset.path) return;
  setPath(draft, el.dataset.path, readInput(el));
  (document.getElementById('json') as HTMLTextAreaElement).value = JSON.stringify(draft, null, 2);
  clearTimeout(timer);
  timer = setTimeout(refresh, 120);
});

app.addEventListener('change', (event) => {
  const el = event.target as HTMLSelectElement;
  if (el.id === 'preset' && el.value) {
    draft = getPreset(el.value)!;
    render();
  } else if (el.dataset.method) {
    const name = el.dataset.method as 'recency' | 'frequency' | 'monetary';
    const cuts = Array.from({ length: draft.scores.scale - 1 }, (_, i) =>
      name === 'recency' ? 30 * 2 ** i : 2 ** (i + 1),
    );
    draft.scores[name] = el.value === 'thresholds' ? { method: 'thresholds', cuts } : { method: 'quantile' };
    render();
  } else if (el.dataset.path && el.tagName === 'SELECT') {
    setPath(draft, el.dataset.path, readInput(el));
    render();
  }
});

function show(id: string, kind: 'ok' | 'error' | 'warn', html: string): void {
  document.getElementById(id)!.innerHTML = `<div class="message ${kind}">${html}</div>`;
}

const failed = (id: string) => (error: Error) =>
  show(id, 'error', `Could not reach the server: ${esc(error.message)}. Nothing was changed.`);

app.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('button');
  if (!button) return;
  const actions: Record<string, () => void> = {
    'apply-json': applyJson,
    save: () => save(saved.version),
    'load-history': loadHistory,
    'use-selection': useSelection,
    'set-backend': setBackend,
    sync,
    link,
  };
  if (actions[button.id]) actions[button.id]();
  else if (button.dataset.rollback) rollback(Number(button.dataset.rollback));
  else if (button.id === 'overwrite') save(Number(button.dataset.base));
  else if (button.id === 'discard') {
    draft = copy(saved.config);
    render();
  }
});

function applyJson(): void {
  try {
    draft = JSON.parse((document.getElementById('json') as HTMLTextAreaElement).value);
    render();
  } catch (error) {
    show('checks', 'error', `The JSON is not valid: ${esc((error as Error).message)}`);
  }
}

function save(baseVersion: number): void {
  const button = document.getElementById('save') as HTMLButtonElement;
  button.disabled = true;
  const note = (document.getElementById('note') as HTMLInputElement).value || null;
  call<SaveOutcome>('saveConfig', draft, baseVersion, note)
    .then((outcome) => {
      if (outcome.ok) {
        saved = outcome.saved;
        state.version = saved.version;
        render();
        show(
          'status',
          'ok',
          `Saved version ${saved.version}. Formulas that use the config range recalculate now.`,
        );
      } else if ('conflict' in outcome) {
        // Keep the manager's edits on screen; compare against the version that won.
        saved = outcome.conflict;
        renderPreview(checkConfig(draft).valid);
        show(
          'save-status',
          'warn',
          `${esc(outcome.conflict.savedBy)} saved version ${outcome.conflict.version} while you were editing; nothing of yours was saved. Your edits are still here, and the preview now compares them with version ${outcome.conflict.version}.<br><button id="overwrite" data-base="${outcome.conflict.version}">Save mine as version ${outcome.conflict.version + 1}</button> <button id="discard">Discard mine, use theirs</button>`,
        );
        button.disabled = false;
      } else if ('errors' in outcome) {
        show(
          'save-status',
          'error',
          `Not saved: ${outcome.errors.map((e) => esc(`${e.path}: ${e.message}`)).join('<br>')}`,
        );
        button.disabled = false;
      } else {
        show('save-status', 'error', `Not saved: ${esc(outcome.failure)}`);
        button.disabled = false;
      }
    })
    .catch((error: Error) => {
      failed('save-status')(error);
      button.disabled = false;
    });
}

function loadHistory(): void {
  call<StoredVersion[]>('configHistory')
    .then((versions) => {
      document.getElementById('history')!.innerHTML = versions.length
        ? `<table><tbody>${versions.map((v) => `<tr><td>v${v.version}</td><td>${esc(v.savedBy)}<br><span class="secondary">${esc(v.savedAt.slice(0, 16).replace('T', ' '))}${v.note ? ` · ${esc(v.note)}` : ''}</span></td><td>${v.version === saved.version ? 'current' : `<button data-rollback="${v.version}">Roll back</button>`}</td></tr>`).join('')}</tbody></table>`
        : '<p class="secondary">No versions saved yet.</p>';
    })
    .catch(failed('history'));
}

function rollback(version: number): void {
  call<SaveOutcome>('rollbackConfig', version, saved.version)
    .then((outcome) => {
      if (outcome.ok) {
        saved = outcome.saved;
        draft = copy(saved.config);
        render();
        show('status', 'ok', `Rolled back: version ${saved.version} restores version ${version}.`);
      } else
        show(
          'history',
          'error',
          'conflict' in outcome
            ? 'Someone saved meanwhile; reload the history.'
            : 'failure' in outcome
              ? esc(outcome.failure)
              : 'Rollback refused.',
        );
    })
    .catch(failed('history'));
}

function useSelection(): void {
  call<string>('setDataRange', null)
    .then((range) => {
      document.getElementById('range')!.textContent = range;
      return loadData();
    })
    .catch(failed('data-status'));
}

function setBackend(): void {
  const url = (document.getElementById('backend') as HTMLInputElement).value.trim();
  call('setBackend', url || null)
    .then(start)
    .catch(failed('data-status'));
}

const CHUNK_ROWS = 2_000;

async function sync(): Promise<void> {
  if (!data) return;
  const progress = document.getElementById('sync-progress') as HTMLProgressElement;
  const chunks = Math.max(1, Math.ceil(data.rows.length / CHUNK_ROWS));
  const syncId = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  progress.hidden = false;
  progress.max = chunks + 1;
  try {
    for (let i = 0; i < chunks; i++) {
      await call(
        'syncChunk',
        syncId,
        i,
        data.firstRow + i * CHUNK_ROWS,
        data.header,
        data.rows.slice(i * CHUNK_ROWS, (i + 1) * CHUNK_ROWS),
      );
      progress.value = i + 1;
      show(
        'data-status',
        'ok',
        `Uploaded ${Math.min((i + 1) * CHUNK_ROWS, data.rows.length)} of ${data.rows.length} rows…`,
      );
    }
    const result = await call<{
      customers: number;
      rejected: { row: number; column: string; reason: string }[];
    }>('syncCommit', syncId, chunks, isoToday());
    progress.value = chunks + 1;
    const bad = result.rejected.slice(0, 5).map((r) => `row ${r.row}, ${esc(r.column)}: ${esc(r.reason)}`);
    show(
      'data-status',
      result.rejected.length ? 'warn' : 'ok',
      `Synced ${result.customers} customers.${bad.length ? `<br>Skipped ${result.rejected.length} rows:<br>${bad.join('<br>')}` : ''}`,
    );
  } catch (error) {
    failed('data-status')(error as Error);
  }
}

function link(): void {
  call<{ code: string; expiresAt: string }>('createLinkCode')
    .then((c) =>
      show(
        'data-status',
        'ok',
        `In Slack, type <span class="code">/tier link ${esc(c.code)}</span><br>The code works once, until ${esc(c.expiresAt.slice(11, 16))} UTC.`,
      ),
    )
    .catch(failed('data-status'));
}

const isoToday = (): string => new Date().toISOString().slice(0, 10);

// ---------- start ----------

async function loadData(): Promise<void> {
  data = await call<SheetData>('sheetData');
  const dates = data.rows
    .flat()
    .map((c) => (typeof c === 'string' && /^\d{4}-\d{2}-\d{2}/.test(c) ? parseDay(c) : null))
    .filter((d): d is number => d !== null);
  asOf = dates.length ? Math.max(...dates) : parseDay(isoToday())!;
  const intake = intakeBook(
    { header: data.header, rows: data.rows, firstRowNumber: data.firstRow },
    { asOf },
  );
  customers = intake.customers;
  refresh();
  if (intake.rejected.length)
    show(
      'data-status',
      'warn',
      `${intake.rejected.length} rows of the sheet cannot be read and are left out of the preview (first: row ${intake.rejected[0].row}, ${esc(intake.rejected[0].column)}).`,
    );
}

async function start(): Promise<void> {
  try {
    state = await call<State>('sidebarState');
    saved = { version: state.version, config: state.config };
    draft = copy(state.config);
    render();
    await loadData();
  } catch (error) {
    app.setAttribute('aria-busy', 'false');
    app.innerHTML = `<div class="message error" role="alert">Tierwise could not start: ${esc((error as Error).message)}</div><button id="retry">Try again</button>`;
    document.getElementById('retry')!.addEventListener('click', () => void start());
  }
}

void start();
