/**
 * The one configuration format of Tierwise: CLI files, the sheet's config range, DynamoDB and the
 * sidebar all hold this JSON. `parseConfig` is the only way in; it names the field path of every
 * problem, so a manager can find and fix it.
 */

import { type ConfigProblem, TierwiseError } from './errors';
import { kindNamed, MODEL_KINDS, readRules, type TierModel } from './models';
import { describe, type Json, join, optional, Reader } from './reader';

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
  // The model is read against the scale and the tiers read before it.
  let scale = 5;
  let tiers = new Set<string>();
  read.fields<TierwiseConfig>(root, '', {
    schemaVersion: (v, p) => read.oneOf(v, p, [CONFIG_SCHEMA_VERSION]),
    name: (v, p) => read.string(v, p),
    locale: (v, p) => read.oneOf(v, p, ['en', 'zh']),
    scores: (v, p) => {
      scale = readScores(read, v, p);
    },
    tiers: (v, p) => {
      tiers = readTiers(read, v, p);
    },
    model: (v, p) => readModel(read, v, p, tiers, scale),
    segments: optional((v, p) => readSegments(read, v, p, scale)),
    overdueFactor: optional((v, p) => read.number(v, p, 1, 10)),
    currency: optional(
      (v, p) =>
        /^[A-Z]{3}$/.test(String(v)) ||
        read.fail(p, `must be a three-letter ISO 4217 code such as "USD" or "CNY", got ${describe(v)}`),
    ),
  });
  if (read.problems.length > 0) return { ok: false, problems: read.problems };
  return { ok: true, config: input as TierwiseConfig };
}

function readScores(read: Reader, value: Json, path: string): number {
  const scores = read.object(value, path);
  if (!scores) return 5;
  let scale = 5;
  read.fields<ScoreConfig>(scores, path, {
    scale: (v, p) => {
      scale = read.oneOf(v, p, [3, 4, 5] as const) ?? 5;
    },
    recency: (v, p) => readScoreMethod(read, v, p, scale, false),
    frequency: (v, p) => readScoreMethod(read, v, p, scale, false),
    monetary: (v, p) => readScoreMethod(read, v, p, scale, true),
  });
  return scale;
}

/** By hand rather than by a field table: `basis` is read first but listed last among known fields. */
function readScoreMethod(read: Reader, value: Json, path: string, scale: number, monetary: boolean): void {
  const method = read.object(value, path);
  if (!method) return;
  read.known(method, path, monetary ? ['method', 'cuts', 'basis'] : ['method', 'cuts']);
  if (monetary && method.basis !== undefined) read.oneOf(method.basis, `${path}.basis`, ['total', 'average']);
  const kind = read.oneOf(method.method, `${path}.method`, ['quantile', 'thresholds']);
  if (kind === 'thresholds') {
    const cuts = read.numbers(method.cuts, `${path}.cuts`, scale - 1);
    if (cuts) read.ascending(cuts, `${path}.cuts`);
  }
}

function readTiers(read: Reader, value: Json, path: string): Set<string> {
  const keys = new Set<string>();
  (read.array(value, path, 1) ?? []).forEach((entry, i) => {
    const tier = read.object(entry, join(path, i));
    if (!tier) return;
    read.fields<TierDefinition>(tier, join(path, i), {
      key: (v, p) => {
        const key = read.string(v, p);
        if (key !== undefined && keys.has(key)) read.fail(p, `"${key}" is used by an earlier tier`);
        if (key !== undefined) keys.add(key);
      },
      label: (v, p) => read.string(v, p),
      action: (v, p) =>
        (typeof v === 'string' && v.trim() !== '') ||
        read.fail(p, 'every tier needs a next action (what the salesperson should do)'),
      cadenceDays: (v, p) => read.number(v, p, 0, 3660),
      channel: (v, p) => read.oneOf(v, p, CHANNELS),
    });
  });
  return keys;
}

function readModel(read: Reader, value: Json, path: string, tiers: Set<string>, scale: number): void {
  const model = read.object(value, path);
  if (!model) return;
  const kind = read.oneOf(model.kind, `${path}.kind`, MODEL_KINDS);
  if (kind !== undefined) kindNamed(kind).read(read, model, path, { tiers, scale });
}

function readSegments(read: Reader, value: Json, path: string, scale: number): void {
  const segments = read.object(value, path);
  if (!segments) return;
  const keys = new Set<string>();
  read.fields<NonNullable<TierwiseConfig['segments']>>(segments, path, {
    labels: (v, p) =>
      (read.array(v, p, 1) ?? []).forEach((entry, i) => {
        const label = read.object(entry, join(p, i));
        if (!label) return;
        const key = read.string(label.key, `${join(p, i)}.key`);
        read.string(label.label, `${join(p, i)}.label`);
        if (key !== undefined) keys.add(key);
      }),
    rules: (v, p) =>
      readRules(
        read,
        v,
        p,
        (target, at) => {
          const key = read.string(target, at);
          if (key !== undefined && !keys.has(key))
            read.fail(at, `"${key}" is not a segment in segments.labels`);
        },
        scale,
      ),
  });
}
