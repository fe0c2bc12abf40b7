/**
 * Configuration checks: before a configuration is accepted, prove it total and unambiguous where that
 * can be decided. Rules over discrete inputs (the r, f, m scores, or inputs declared with a min and max)
 * are checked cell by cell: every cell must land in a tier, and every rule must win at least one cell.
 */

import { type ConfigValidation, type Range, type Rule, type TierwiseConfig, validateConfig } from './config';
import { type ConfigProblem, formatConfigProblem } from './errors';
import { CUSTOMER_METRICS } from './metrics';
import { inRange, modelKind } from './models';
import { join, Reader } from './reader';
import { isCurrencyCode } from './relative';

/** What the checks found, with field paths. */
export interface ConfigFindings {
  /** Structural problems, and coverage problems, with field paths. */
  errors: ConfigProblem[];
  /** Score combinations (or input cells) that no rule takes, e.g. `r=1 f=2 m=5`. */
  uncovered: string[];
  /** Rules that can never match because earlier rules take all their cells, by path. */
  shadowed: string[];
  /** Not wrong, but worth a look (a tier nothing leads to, a metric some customers lack). */
  warnings: string[];
}

/**
 * A checked configuration. When `valid`, `config` is the configuration as read, to use as it is
 * (nothing needs to validate it again). When not, `config` is still there if only a coverage proof
 * failed (the structure is sound), and null when the structure is not.
 */
export type ConfigCheck = ConfigFindings &
  ({ valid: true; config: TierwiseConfig } | { valid: false; config: TierwiseConfig | null });

/** The most cells checked for a coverage proof; beyond it coverage is reported as undecided. */
const MAX_CELLS = 200_000;
/** Axes with at most this many values are checked value by value, so gaps are named one by one. */
const LIST_VALUES_UP_TO = 100;
/** Uncovered cells listed in a check; the message gives the full count. */
const MAX_LISTED = 100;

/**
 * Checks the bounds, validates the structure, then proves coverage. `valid` only when all pass.
 *
 * @example
 * const check = checkConfig({ ...getPreset('value-pyramid')!, locale: 'fr' });
 * check.valid                               // false
 * check.errors.map(formatConfigProblem)     // ['locale: must be one of "en", "zh", got "fr"']
 *
 * const ok = checkConfig(JSON.parse(text));
 * if (ok.valid) scoreBook(customers, ok.config, { asOf }); // ok.config: a TierwiseConfig
 */
export function checkConfig(input: unknown): ConfigCheck {
  const bounds = new Reader();
  checkBounds(bounds, input);
  const validation: ConfigValidation =
    bounds.problems.length > 0 ? { ok: false, problems: bounds.problems } : validateConfig(input);
  if (!validation.ok)
    return {
      valid: false,
      config: null,
      errors: validation.problems,
      uncovered: [],
      shadowed: [],
      warnings: [],
    };
  const config = validation.config;
  const result: ConfigFindings = { errors: [], uncovered: [], shadowed: [], warnings: [] };
  const scale = config.scores.scale;
  const kind = modelKind(config.model);
  const proof = kind.provableRules?.(config.model);
  if (proof) checkRules(proof.rules, domainsOf(proof.inputs, scale), proof.path, result);
  if (config.segments)
    checkRules(config.segments.rules, domainsOf(undefined, scale), 'segments.rules', result);
  kind.coverage?.(config.model, result);
  if (config.currency !== undefined && !isCurrencyCode(config.currency)) {
    result.errors.push({
      path: 'currency',
      message: `must be a three-letter ISO 4217 code such as "USD" or "CNY", got "${config.currency}"`,
    });
  }
  warnUnused(config, result);
  warnMissingValues(config, result);
  return result.errors.length === 0
    ? { valid: true, config, ...result }
    : { valid: false, config, ...result };
}

/**
 * Bounds on every text, list and object in a configuration, checked before anything else, so a
 * hostile or careless one (a 500 KB label, a million rules, 100,000 levels of nesting) is refused with
 * its path instead of costing memory, time or stack further on. Generous for real configurations.
 */
export const MAX_TEXT = 1_000;
export const MAX_ENTRIES = 500;
export const MAX_DEPTH = 16;

/** Iterative, so no depth of nesting can overflow the stack; stops descending where a bound is broken. */
export function checkBounds(read: Reader, input: unknown): void {
  const stack: [unknown, string, number][] = [[input, '', 0]];
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string' && value.length > MAX_TEXT)
      read.fail(path, `has ${value.length} characters; at most ${MAX_TEXT}`);
    if (typeof value !== 'object' || value === null) continue;
    const size = Array.isArray(value) ? value.length : Object.keys(value).length;
    if (depth === MAX_DEPTH) read.fail(path, `nests deeper than ${MAX_DEPTH} levels`);
    else if (size > MAX_ENTRIES) read.fail(path, `has ${size} entries; at most ${MAX_ENTRIES}`);
    else
      for (const [key, v] of Object.entries(value)) {
        if (key.length > MAX_TEXT) read.fail(path, `has a name of ${key.length} characters`);
        else stack.push([v, Array.isArray(value) ? `${path}[${key}]` : join(path, key), depth + 1]);
      }
  }
}

type Domains = Record<string, { min: number; max: number }>;

function domainsOf(inputs: Domains | undefined, scale: number): Domains {
  const score = { min: 1, max: scale };
  return { r: score, f: score, m: score, ...inputs };
}

/**
 * One axis of the coverage proof: its whole-number domain cut into runs of values that every rule
 * treats alike. Small domains are cut into single values; large ones (an input declared 0..4294967294)
 * only where some rule's range starts or ends, so the work depends on the rules, never on the domain.
 */
interface Axis {
  metric: string;
  runs: { from: number; to: number }[];
}

function axisOf(metric: string, domain: { min: number; max: number }, rules: readonly Rule[]): Axis {
  const lo = Math.ceil(domain.min);
  const hi = Math.floor(domain.max);
  if (hi < lo) return { metric, runs: [] };
  const starts = new Set<number>([lo]);
  if (hi - lo < LIST_VALUES_UP_TO) {
    for (let v = lo + 1; v <= hi; v++) starts.add(v);
  } else {
    for (const rule of rules) {
      const range = rule.when[metric];
      if (!range) continue;
      // On whole numbers, [a, b] holds ceil(a)..floor(b): a run starts at each end.
      for (const start of [
        range[0] === null ? null : Math.ceil(range[0]),
        range[1] === null ? null : Math.floor(range[1]) + 1,
      ]) {
        if (start !== null && start > lo && start <= hi) starts.add(start);
      }
    }
  }
  const sorted = [...starts].sort((a, b) => a - b);
  return {
    metric,
    runs: sorted.map((from, i) => ({ from, to: i + 1 < sorted.length ? sorted[i + 1] - 1 : hi })),
  };
}

const describeRun = (metric: string, run: { from: number; to: number }): string =>
  run.from === run.to ? `${metric}=${run.from}` : `${metric}=${run.from}..${run.to}`;

function checkRules(rules: readonly Rule[], domains: Domains, path: string, result: ConfigFindings): void {
  const metrics = [...new Set(rules.flatMap((r) => Object.keys(r.when)))];
  const undecidable = metrics.filter((m) => !Object.keys(domains).includes(m));
  if (undecidable.length > 0) {
    if (!rules.some((r) => Object.keys(r.when).length === 0)) {
      result.errors.push({
        path,
        message:
          `coverage cannot be proven: ${undecidable.slice(0, 10).join(', ')} ${undecidable.length > 1 ? 'are' : 'is'} not ` +
          'a discrete input; declare its range in model.inputs or end with a rule whose "when" is {}',
      });
    }
    return;
  }
  const axes = metrics.map((m) => axisOf(m, domains[m], rules));
  const cellCount = axes.reduce((n, a) => n * a.runs.length, 1);
  if (cellCount > MAX_CELLS) {
    result.warnings.push(`${path}: ${cellCount} cells is too many to check one by one; coverage not proven`);
    return;
  }
  const wins = new Array<number>(rules.length).fill(0);
  let uncovered = 0;
  /** This table's own gaps: `result.uncovered` also holds the model's when segments are checked after it. */
  const listed: string[] = [];
  forEachCell(axes, (cell, runs) => {
    const k = rules.findIndex((rule) =>
      Object.entries(rule.when).every(([metric, r]) => inRange(cell[metric], r as Range)),
    );
    if (k >= 0) wins[k]++;
    else if (uncovered++ < MAX_LISTED)
      listed.push(axes.map((a, i) => describeRun(a.metric, runs[i])).join(' '));
  });
  result.uncovered.push(...listed); // at most MAX_LISTED
  if (uncovered > 0) {
    result.errors.push({
      path,
      message: `${uncovered} of ${cellCount} combinations fall through every rule: ${listed
        .slice(0, 10)
        .join('; ')}${uncovered > 10 ? '; …' : ''}`,
    });
  }
  wins.forEach((count, k) => {
    if (count > 0) return;
    const where = `${path}[${k}]`;
    result.shadowed.push(where);
    result.errors.push({
      path: where,
      message: `rule for "${rules[k].is}" can never match: earlier rules (or its own ranges) leave it no combination`,
    });
  });
}

/** Visits every combination of runs, with each run's first value standing for the whole run. */
function forEachCell(
  axes: readonly Axis[],
  visit: (cell: Record<string, number>, runs: { from: number; to: number }[]) => void,
): void {
  const cell: Record<string, number> = {};
  const runs: { from: number; to: number }[] = [];
  const walk = (depth: number): void => {
    if (depth === axes.length) {
      visit(cell, runs);
      return;
    }
    for (const run of axes[depth].runs) {
      cell[axes[depth].metric] = run.from;
      runs[depth] = run;
      walk(depth + 1);
    }
  };
  walk(0);
}

function warnUnused(config: TierwiseConfig, result: ConfigFindings): void {
  const used = new Set(modelKind(config.model).tiers(config.model));
  for (const tier of config.tiers) {
    if (!used.has(tier.key))
      result.warnings.push(`tier "${tier.key}" is defined but the model never assigns it`);
  }
}

/** Metrics that a one-time buyer or a customer table lacks, on axes with no `missingBand`. */
function warnMissingValues(config: TierwiseConfig, result: ConfigFindings): void {
  const model = config.model;
  for (const axis of modelKind(model).axes?.(model) ?? []) {
    if (axis.missingBand !== undefined) continue;
    const note = CUSTOMER_METRICS[axis.metric] ? '' : ' (a column of the customer table)';
    if (['averageCycle', 'cycleOverdue', 'profit', 'tenure'].includes(axis.metric) || note) {
      result.warnings.push(
        `${axis.metric}${note} is missing for some customers (one-time buyers have no cycle); ` +
          'they stay untiered unless the axis sets missingBand',
      );
    }
  }
}

export const describeCheck = (check: ConfigFindings): string[] => check.errors.map(formatConfigProblem);
