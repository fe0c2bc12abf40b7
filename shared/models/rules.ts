/**
 * The `rules` kind: first match wins over ranges of metrics (`{ when: { r: [4, 5] }, is: 'vip' }`).
 * The same rules, read and matched by the same code, place customers in RFM segments.
 */

import type { Range, Rule } from '../config';
import { describe, type Json, join, optional, type Reader, readElsewhere } from '../reader';
import { type MetricSource, type TierModelKind, UNTIERED } from './model';

export interface RulesModel {
  kind: 'rules';
  /** Inputs beyond r, f and m with whole-number domains, so coverage can be proven over them. */
  inputs?: Record<string, { min: number; max: number }>;
  rules: Rule[];
}

export const rulesKind: TierModelKind<RulesModel> = {
  kind: 'rules',
  read(read, model, path, { tiers, scale }) {
    read.fields<RulesModel>(model, path, {
      kind: readElsewhere,
      inputs: optional((v, p) => readInputs(read, v, p)),
      rules: (v, p) => readRules(read, v, p, (target, at) => read.tier(target, at, tiers), scale),
    });
  },
  metrics: (model) => [...new Set(model.rules.flatMap((r) => Object.keys(r.when)))],
  assign(model, source, tierIndex) {
    const targets = model.rules.map((r) => tierIndex(r.is));
    return firstMatchingRule(model.rules, source).map((k) => (k < 0 ? UNTIERED : targets[k]));
  },
  reasons: () => [],
  tiers: (model) => model.rules.map((r) => r.is),
  ranks: () => false,
  provableRules: (model) => ({ rules: model.rules, inputs: model.inputs, path: 'model.rules' }),
};

export const inRange = (value: number, [min, max]: Range): boolean =>
  !Number.isNaN(value) && (min === null || value >= min) && (max === null || value <= max);

/**
 * First matching rule wins; returns the rule index per customer (-1: none matched). The conditions
 * are flattened into parallel arrays so the loop over customers runs without closures.
 */
export function firstMatchingRule(rules: readonly Rule[], source: MetricSource): Int16Array {
  const run = (): Int16Array => matchEach(rules, source);
  return source.memo ? source.memo(`rules:${JSON.stringify(rules)}`, run) : run();
}

function matchEach(rules: readonly Rule[], source: MetricSource): Int16Array {
  const conditions = rules.map((rule) => Object.entries(rule.when));
  const columns = conditions.map((list) => list.map(([metric]) => source.column(metric)));
  const mins = conditions.map((list) =>
    Float64Array.from(list, ([, [min]]) => min ?? Number.NEGATIVE_INFINITY),
  );
  const maxs = conditions.map((list) =>
    Float64Array.from(list, ([, [, max]]) => max ?? Number.POSITIVE_INFINITY),
  );
  const matched = new Int16Array(source.size).fill(-1);
  for (let i = 0; i < source.size; i++) {
    for (let k = 0; k < rules.length; k++) {
      const cols = columns[k];
      let holds = true;
      for (let j = 0; j < cols.length && holds; j++) {
        const v = cols[j][i];
        holds = v >= mins[k][j] && v <= maxs[k][j]; // false for NaN
      }
      if (holds) {
        matched[i] = k;
        break;
      }
    }
  }
  return matched;
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

/** Reads a list of rules; `readTarget` checks each rule's `is` (a tier, or a segment). */
export function readRules(
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
