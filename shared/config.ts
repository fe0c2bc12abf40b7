/**
 * The one configuration format of Tierwise: CLI files, the sheet's config range, DynamoDB and the
 * sidebar all hold this JSON. `parseConfig` is the only way in; it names the field path of every
 * problem, so a manager can find and fix it.
 */

import { type ConfigProblem, TierwiseError } from './errors';
import { isMetricName } from './metrics';

export const CONFIG_SCHEMA_VERSION = 1;
export type Locale = 'en' | 'zh';
export type Channel = 'visit' | 'call' | 'email' | 'message' | 'none';
export const CHANNELS: readonly Channel[] = ['visit', 'call', 'email', 'message', 'none'];

/** Scores 1..scale by population quantiles, or by thresholds a manager sets. */
export type ScoreMethod = { method: 'quantile' } | { method: 'thresholds'; cuts: number[] };

export interface ScoreConfig {
  scale: 3 | 4 | 5;
  /** Thresholds in days, ascending: within `cuts[0]` days scores `scale`, beyond the last scores 1. */
  recency: ScoreMethod;
  /** On the number of orders; thresholds ascending: at least `cuts[k]` orders scores k + 2. */
  frequency: ScoreMethod;
  /** On total spend, or on the average order value. */
  monetary: ScoreMethod & { basis?: 'total' | 'average' };
}

/** An inclusive range `[min, max]`; either end may be `null` for open. */
export type Range = [number | null, number | null];

/**
 * First match wins: when every range in `when` holds, the customer `is` this tier (or segment).
 * `when` maps a metric (r, f, m, or any metric or attribute) to a range; `{}` matches everyone.
 */
export interface Rule {
  when: Record<string, Range>;
  is: string;
}

/** One axis of a matrix or a band model: bands from low to high, split by ascending `cuts`. */
export interface Axis {
  metric: string;
  /** Ascending cut points: band k holds values from cuts[k-1] (inclusive) up to cuts[k] (exclusive). */
  cuts?: number[];
  /** Instead of cuts: this many equal-population bands (same tie rule as the RFM scores). */
  quantiles?: number;
  /** Band for customers with no value (e.g. a one-time buyer has no purchase cycle). */
  missingBand?: number;
  /** Names of the bands, low to high, shown in reasons. */
  labels?: string[];
}

export type TierModel =
  | { kind: 'rules'; inputs?: Record<string, { min: number; max: number }>; rules: Rule[] }
  | {
      kind: 'pareto';
      metric: string;
      /** Cut on cumulative share of the metric (revenue), or of the customers. */
      basis: 'value' | 'customers';
      /** Best first: a customer whose better-ranked peers hold less than `upTo` of the total is in the tier. */
      cuts: { tier: string; upTo: number }[];
      /** Tier for customers whose metric is 0 or less (they cost more than they bring). */
      nonPositiveTier?: string;
    }
  | { kind: 'matrix'; rows: Axis; columns: Axis; cells: string[][] }
  | { kind: 'bands'; axis: Axis; tiers: string[] }
  | {
      kind: 'weighted';
      indicators: {
        metric: string;
        weight: number;
        cuts: number[];
        points: number[];
        missingPoints?: number;
      }[];
      /** Best first: the first grade whose `minScore` the weighted score reaches. */
      grades: { tier: string; minScore: number }[];
    };

export interface TierDefinition {
  key: string;
  label: string;
  action: string;
  /** Contact every this many days; 0 means only on request. */
  cadenceDays: number;
  channel: Channel;
}

export interface SegmentDefinition {
  key: string;
  label: string;
}

export interface TierwiseConfig {
  schemaVersion: 1;
  name: string;
  locale: Locale;
  scores: ScoreConfig;
  /** Tiers best first; the model names them by key. */
  tiers: TierDefinition[];
  model: TierModel;
  /** Optional RFM segments shown beside the tier (rules on r, f, m; first match wins). */
  segments?: { labels: SegmentDefinition[]; rules: Rule[] };
  /** Days since the last purchase beyond `overdueFactor` × the usual cycle count as overdue. */
  overdueFactor?: number;
  /** The organisation's currency (ISO 4217, e.g. "USD", "CNY"), for amounts in Slack and the sidebar. */
  currency?: string;
}

type Json = unknown;

/** Collects problems while walking a JSON value, so all of them are reported at once. */
export class Reader {
  readonly problems: ConfigProblem[] = [];
  fail(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }
  object(value: Json, path: string): Record<string, Json> | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, Json>;
    return this.fail(path, `must be an object, got ${describe(value)}`);
  }
  array(value: Json, path: string, minLength = 0): Json[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, `must be a list, got ${describe(value)}`);
    if (value.length < minLength) return this.fail(path, `must have at least ${minLength} entries`);
    return value;
  }
  string(value: Json, path: string): string | undefined {
    if (typeof value === 'string' && value.trim() !== '') return value;
    return this.fail(path, `must be a non-empty text, got ${describe(value)}`);
  }
  number(value: Json, path: string, min = -Infinity, max = Infinity): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return this.fail(path, `must be a number, got ${describe(value)}`);
    }
    if (value < min || value > max) return this.fail(path, `must be between ${min} and ${max}, got ${value}`);
    return value;
  }
  oneOf<T extends string | number>(value: Json, path: string, allowed: readonly T[]): T | undefined {
    if (allowed.includes(value as T)) return value as T;
    return this.fail(
      path,
      `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`,
    );
  }
  ascending(values: number[], path: string): void {
    for (let i = 1; i < values.length; i++) {
      if (!(values[i] > values[i - 1])) {
        this.fail(
          `${path}[${i}]`,
          `must be greater than the one before (${values[i - 1]}), got ${values[i]}`,
        );
      }
    }
  }
  numbers(value: Json, path: string, length?: number): number[] | undefined {
    const list = this.array(value, path);
    if (!list) return undefined;
    if (length !== undefined && list.length !== length) {
      return this.fail(path, `must have ${length} numbers, got ${list.length}`);
    }
    const numbers = list.map((v, i) => this.number(v, `${path}[${i}]`));
    return numbers.every((n) => n !== undefined) ? (numbers as number[]) : undefined;
  }
  known(value: Record<string, Json>, path: string, keys: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail(join(path, key), `is not a known field (known: ${keys.join(', ')})`);
    }
  }
}

function describe(value: Json): string {
  if (value === undefined) return 'nothing';
  // Never serialise a whole (maybe huge) value.
  const text = typeof value === 'object' && value ? 'a list or object' : JSON.stringify(value).slice(0, 41);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/** Validates any JSON value as a configuration; throws a `TierwiseError` listing every problem. */
export function parseConfig(input: Json): TierwiseConfig {
  const result = validateConfig(input);
  if (!result.ok) {
    throw new TierwiseError(
      `the configuration has ${result.problems.length} problem(s): ${result.problems
        .map((p) => `${p.path}: ${p.message}`)
        .join('; ')}`,
      result.problems,
    );
  }
  return result.config;
}

export type ConfigValidation =
  | { ok: true; config: TierwiseConfig }
  | { ok: false; problems: ConfigProblem[] };

/** Structural validation: types, ranges, ascending cuts, known tier keys, weights. */
export function validateConfig(input: Json): ConfigValidation {
  const read = new Reader();
  const root = read.object(input, '');
  if (!root) return { ok: false, problems: read.problems };
  read.known(root, '', [
    'schemaVersion',
    'name',
    'locale',
    'scores',
    'tiers',
    'model',
    'segments',
    'overdueFactor',
    'currency',
  ]);
  read.oneOf(root.schemaVersion, 'schemaVersion', [CONFIG_SCHEMA_VERSION]);
  read.string(root.name, 'name');
  read.oneOf(root.locale, 'locale', ['en', 'zh']);
  const scale = readScores(read, root.scores);
  const tierKeys = readTiers(read, root.tiers);
  readModel(read, root.model, 'model', tierKeys, scale);
  if (root.segments !== undefined) readSegments(read, root.segments, scale);
  if (root.overdueFactor !== undefined) read.number(root.overdueFactor, 'overdueFactor', 1, 10);
  if (root.currency !== undefined && !/^[A-Z]{3}$/.test(String(root.currency)))
    read.fail(
      'currency',
      `must be a three-letter ISO 4217 code such as "USD" or "CNY", got ${describe(root.currency)}`,
    );
  if (read.problems.length > 0) return { ok: false, problems: read.problems };
  return { ok: true, config: input as TierwiseConfig };
}

function readScores(read: Reader, value: Json): number {
  const scores = read.object(value, 'scores');
  if (!scores) return 5;
  read.known(scores, 'scores', ['scale', 'recency', 'frequency', 'monetary']);
  const scale = read.oneOf(scores.scale, 'scores.scale', [3, 4, 5]) ?? 5;
  for (const name of ['recency', 'frequency', 'monetary'] as const) {
    const path = `scores.${name}`;
    const method = read.object(scores[name], path);
    if (!method) continue;
    read.known(method, path, name === 'monetary' ? ['method', 'cuts', 'basis'] : ['method', 'cuts']);
    if (name === 'monetary' && method.basis !== undefined) {
      read.oneOf(method.basis, `${path}.basis`, ['total', 'average']);
    }
    const kind = read.oneOf(method.method, `${path}.method`, ['quantile', 'thresholds']);
    if (kind === 'thresholds') {
      const cuts = read.numbers(method.cuts, `${path}.cuts`, scale - 1);
      if (cuts) read.ascending(cuts, `${path}.cuts`);
    }
  }
  return scale;
}

function readTiers(read: Reader, value: Json): Set<string> {
  const keys = new Set<string>();
  const tiers = read.array(value, 'tiers', 1) ?? [];
  tiers.forEach((entry, i) => {
    const path = `tiers[${i}]`;
    const tier = read.object(entry, path);
    if (!tier) return;
    read.known(tier, path, ['key', 'label', 'action', 'cadenceDays', 'channel']);
    const key = read.string(tier.key, `${path}.key`);
    if (key !== undefined && keys.has(key)) read.fail(`${path}.key`, `"${key}" is used by an earlier tier`);
    if (key !== undefined) keys.add(key);
    read.string(tier.label, `${path}.label`);
    if (typeof tier.action !== 'string' || tier.action.trim() === '') {
      read.fail(`${path}.action`, 'every tier needs a next action (what the salesperson should do)');
    }
    read.number(tier.cadenceDays, `${path}.cadenceDays`, 0, 3660);
    read.oneOf(tier.channel, `${path}.channel`, CHANNELS);
  });
  return keys;
}

function readTierRef(read: Reader, value: Json, path: string, tiers: Set<string>): void {
  const key = read.string(value, path);
  if (key !== undefined && !tiers.has(key)) {
    read.fail(
      path,
      `"${key}" is not a tier; define it in tiers (known: ${[...tiers].slice(0, 9).join(', ')})`,
    );
  }
}

function readMetric(read: Reader, value: Json, path: string): void {
  const name = read.string(value, path);
  if (name !== undefined && !isMetricName(name) && !/^[\p{L}\w][\p{L}\w .-]*$/u.test(name)) {
    read.fail(path, `"${name}" is neither a known metric nor a column name`);
  }
}

function readModel(read: Reader, value: Json, path: string, tiers: Set<string>, scale: number): void {
  const model = read.object(value, path);
  if (!model) return;
  const kind = read.oneOf(model.kind, `${path}.kind`, ['rules', 'pareto', 'matrix', 'bands', 'weighted']);
  switch (kind) {
    case 'rules': {
      read.known(model, path, ['kind', 'inputs', 'rules']);
      if (model.inputs !== undefined) readInputs(read, model.inputs, `${path}.inputs`);
      readRules(read, model.rules, `${path}.rules`, (v, p) => readTierRef(read, v, p, tiers), scale);
      break;
    }
    case 'pareto': {
      read.known(model, path, ['kind', 'metric', 'basis', 'cuts', 'nonPositiveTier']);
      readMetric(read, model.metric, `${path}.metric`);
      read.oneOf(model.basis, `${path}.basis`, ['value', 'customers']);
      const cuts = read.array(model.cuts, `${path}.cuts`, 1) ?? [];
      const upTo = cuts.map((entry, i) => {
        const cut = read.object(entry, `${path}.cuts[${i}]`);
        if (!cut) return 0;
        readTierRef(read, cut.tier, `${path}.cuts[${i}].tier`, tiers);
        return read.number(cut.upTo, `${path}.cuts[${i}].upTo`, 0, 1) ?? 0;
      });
      for (let i = 1; i < upTo.length; i++) {
        if (!(upTo[i] > upTo[i - 1])) {
          read.fail(
            `${path}.cuts[${i}].upTo`,
            `must be greater than the tier before (${upTo[i - 1]}), got ${upTo[i]}`,
          );
        }
      }
      if (upTo.length > 0 && upTo[upTo.length - 1] !== 1) {
        read.fail(
          `${path}.cuts[${upTo.length - 1}].upTo`,
          'the last cut must reach 1 (100 %) so every customer has a tier',
        );
      }
      if (model.nonPositiveTier !== undefined)
        readTierRef(read, model.nonPositiveTier, `${path}.nonPositiveTier`, tiers);
      break;
    }
    case 'matrix': {
      read.known(model, path, ['kind', 'rows', 'columns', 'cells']);
      const rows = readAxis(read, model.rows, `${path}.rows`);
      const columns = readAxis(read, model.columns, `${path}.columns`);
      const cells = read.array(model.cells, `${path}.cells`, 1) ?? [];
      if (rows && cells.length !== rows)
        read.fail(`${path}.cells`, `must have ${rows} rows (one per row band), got ${cells.length}`);
      cells.forEach((row, i) => {
        const list = read.array(row, `${path}.cells[${i}]`) ?? [];
        if (columns && list.length !== columns) {
          read.fail(
            `${path}.cells[${i}]`,
            `must have ${columns} entries (one per column band), got ${list.length}`,
          );
        }
        for (const [j, cell] of list.entries()) readTierRef(read, cell, `${path}.cells[${i}][${j}]`, tiers);
      });
      break;
    }
    case 'bands': {
      read.known(model, path, ['kind', 'axis', 'tiers']);
      const bands = readAxis(read, model.axis, `${path}.axis`);
      const list = read.array(model.tiers, `${path}.tiers`, 1) ?? [];
      if (bands && list.length !== bands)
        read.fail(
          `${path}.tiers`,
          `must name ${bands} tiers (one per band, low to high), got ${list.length}`,
        );
      for (const [i, tier] of list.entries()) readTierRef(read, tier, `${path}.tiers[${i}]`, tiers);
      break;
    }
    case 'weighted':
      readWeighted(read, model, path, tiers);
      break;
  }
}

function readWeighted(read: Reader, model: Record<string, Json>, path: string, tiers: Set<string>): void {
  read.known(model, path, ['kind', 'indicators', 'grades']);
  const indicators = read.array(model.indicators, `${path}.indicators`, 1) ?? [];
  let total = 0;
  indicators.forEach((entry, i) => {
    const p = `${path}.indicators[${i}]`;
    const indicator = read.object(entry, p);
    if (!indicator) return;
    read.known(indicator, p, ['metric', 'weight', 'cuts', 'points', 'missingPoints']);
    readMetric(read, indicator.metric, `${p}.metric`);
    const weight = read.number(indicator.weight, `${p}.weight`, 0, 1);
    if (weight !== undefined && weight <= 0) read.fail(`${p}.weight`, 'must be more than 0');
    total += weight ?? 0;
    const cuts = read.numbers(indicator.cuts, `${p}.cuts`);
    if (cuts) {
      read.ascending(cuts, `${p}.cuts`);
      read.numbers(indicator.points, `${p}.points`, cuts.length + 1);
    }
    if (indicator.missingPoints !== undefined) read.number(indicator.missingPoints, `${p}.missingPoints`, 0);
  });
  if (indicators.length > 0 && Math.abs(total - 1) > 1e-9) {
    read.fail(`${path}.indicators`, `weights must add up to 1, they add up to ${Number(total.toFixed(6))}`);
  }
  const grades = read.array(model.grades, `${path}.grades`, 1) ?? [];
  const mins = grades.map((entry, i) => {
    const grade = read.object(entry, `${path}.grades[${i}]`);
    if (!grade) return 0;
    readTierRef(read, grade.tier, `${path}.grades[${i}].tier`, tiers);
    return read.number(grade.minScore, `${path}.grades[${i}].minScore`) ?? 0;
  });
  for (let i = 1; i < mins.length; i++) {
    if (!(mins[i] < mins[i - 1])) {
      read.fail(
        `${path}.grades[${i}].minScore`,
        `grades go best first: must be below ${mins[i - 1]}, got ${mins[i]}`,
      );
    }
  }
}

/** Returns the number of bands, or undefined when the axis is invalid. */
function readAxis(read: Reader, value: Json, path: string): number | undefined {
  const axis = read.object(value, path);
  if (!axis) return undefined;
  read.known(axis, path, ['metric', 'cuts', 'quantiles', 'missingBand', 'labels']);
  readMetric(read, axis.metric, `${path}.metric`);
  let bands: number | undefined;
  if ((axis.cuts === undefined) === (axis.quantiles === undefined)) {
    return read.fail(path, 'give either cuts (thresholds) or quantiles (number of equal-population bands)');
  }
  if (axis.cuts !== undefined) {
    const cuts = read.numbers(axis.cuts, `${path}.cuts`);
    if (cuts) {
      read.ascending(cuts, `${path}.cuts`);
      bands = cuts.length + 1;
    }
  } else {
    const q = read.number(axis.quantiles, `${path}.quantiles`, 2, 10);
    if (q !== undefined && !Number.isInteger(q))
      return read.fail(`${path}.quantiles`, 'must be a whole number');
    bands = q;
  }
  if (bands !== undefined && axis.missingBand !== undefined)
    read.number(axis.missingBand, `${path}.missingBand`, 0, bands - 1);
  if (bands !== undefined && axis.labels !== undefined) {
    const labels = read.array(axis.labels, `${path}.labels`) ?? [];
    if (labels.length !== bands)
      read.fail(`${path}.labels`, `must name ${bands} bands, got ${labels.length}`);
    for (const [i, label] of labels.entries()) read.string(label, `${path}.labels[${i}]`);
  }
  return bands;
}

function readInputs(read: Reader, value: Json, path: string): void {
  const inputs = read.object(value, path);
  if (!inputs) return;
  for (const [name, entry] of Object.entries(inputs)) {
    const range = read.object(entry, join(path, name));
    if (!range) continue;
    // Whole-number domains: beyond 2^53 a double no longer holds every value.
    const min = read.number(range.min, `${join(path, name)}.min`, -(2 ** 53), 2 ** 53);
    const max = read.number(range.max, `${join(path, name)}.max`, -(2 ** 53), 2 ** 53);
    if (min !== undefined && max !== undefined && !(min <= max))
      read.fail(join(path, name), 'min must not exceed max');
  }
}

function readRules(
  read: Reader,
  value: Json,
  path: string,
  readTarget: (value: Json, path: string) => void,
  scale: number,
): void {
  const rules = read.array(value, path, 1) ?? [];
  rules.forEach((entry, i) => {
    const p = `${path}[${i}]`;
    const rule = read.object(entry, p);
    if (!rule) return;
    read.known(rule, p, ['when', 'is']);
    readTarget(rule.is, `${p}.is`);
    const when = read.object(rule.when, `${p}.when`);
    if (!when) return;
    for (const [metric, range] of Object.entries(when)) {
      const rp = `${p}.when.${metric}`;
      if (!Array.isArray(range) || range.length !== 2) {
        read.fail(rp, `must be a range [min, max] (use null for an open end), got ${describe(range)}`);
        continue;
      }
      const [lo, hi] = range.map((v, k) => (v === null ? null : read.number(v, `${rp}[${k}]`)));
      if (typeof lo === 'number' && typeof hi === 'number' && lo > hi)
        read.fail(rp, `min ${lo} exceeds max ${hi}`);
      if (['r', 'f', 'm'].includes(metric)) {
        for (const v of [lo, hi]) {
          if (typeof v === 'number' && (v < 1 || v > scale))
            read.fail(rp, `scores run from 1 to ${scale}, got ${v}`);
        }
      }
    }
  });
}

function readSegments(read: Reader, value: Json, scale: number): void {
  const segments = read.object(value, 'segments');
  if (!segments) return;
  read.known(segments, 'segments', ['labels', 'rules']);
  const keys = new Set<string>();
  (read.array(segments.labels, 'segments.labels', 1) ?? []).forEach((entry, i) => {
    const label = read.object(entry, `segments.labels[${i}]`);
    if (!label) return;
    const key = read.string(label.key, `segments.labels[${i}].key`);
    read.string(label.label, `segments.labels[${i}].label`);
    if (key !== undefined) keys.add(key);
  });
  readRules(
    read,
    segments.rules,
    'segments.rules',
    (v, p) => {
      const key = read.string(v, p);
      if (key !== undefined && !keys.has(key)) read.fail(p, `"${key}" is not a segment in segments.labels`);
    },
    scale,
  );
}
