/**
 * The one configuration format of Tierwise: CLI files, the sheet's config range, DynamoDB and the
 * sidebar all hold this JSON. `parseConfig` is the only way in; it names the field path of every
 * problem, so a manager can find and fix it.
 */

import { type ConfigProblem, TierwiseError } from './errors';
import { kindNamed, MODEL_KINDS, readRules, type TierModel } from './models';
import { describe, type Json, Reader } from './reader';

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

function readModel(read: Reader, value: Json, path: string, tiers: Set<string>, scale: number): void {
  const model = read.object(value, path);
  if (!model) return;
  const kind = read.oneOf(model.kind, `${path}.kind`, MODEL_KINDS);
  if (kind !== undefined) kindNamed(kind).read(read, model, path, { tiers, scale });
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
