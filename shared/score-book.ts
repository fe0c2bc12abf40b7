/**
 * Score and tier a customer book: summaries in, RFM scores, segment and tier per customer out, held
 * in compact columns so a million customers score in well under a second. Reasons and next actions
 * are made per customer on demand (`explain.ts`).
 */

import { scoreValues, shareBelow } from './bands';
import type { TierwiseConfig } from './config';
import type { Day } from './dates';
import { customerColumn } from './metrics';
import { firstMatchingRule, type MetricSource } from './models';
import type { CustomerSummary } from './summarize';
import { assignTiers } from './tier';

/** Per-customer predictions from a CLV model, aligned with the customers. */
export interface Predictions {
  clv?: Float64Array;
  pAlive?: Float64Array;
  expectedPurchases?: Float64Array;
  /** The horizon `expectedPurchases` counts over, for the plain-language reason. */
  horizonDays?: number;
}

export interface ScoredBook {
  config: TierwiseConfig;
  asOf: Day;
  customers: readonly CustomerSummary[];
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** Index into `config.tiers`; -1 where the model could not place the customer. */
  tier: Int16Array;
  /** Index into `config.segments.labels`; null without segments. */
  segment: Int16Array | null;
  metrics: MetricColumns;
  predictions: Predictions;
}

/**
 * Scores every customer and assigns a tier (and an RFM segment when the configuration has segments).
 *
 * @example
 * const book = scoreBook(summarize(log, { asOf }), getPreset('rfm-segments')!, { asOf });
 * book.config.tiers[book.tier[0]].label // "At Risk" (Oscorp, first in the example data, 2024-06-30)
 */
export function scoreBook(
  customers: readonly CustomerSummary[],
  config: TierwiseConfig,
  options: { asOf: Day; predictions?: Predictions },
): ScoredBook {
  const metrics = new MetricColumns(customers, config, options.predictions ?? {});
  const tierKeys = config.tiers.map((t) => t.key);
  const segments = config.segments;
  return {
    config,
    asOf: options.asOf,
    customers,
    r: metrics.scores.r,
    f: metrics.scores.f,
    m: metrics.scores.m,
    tier: assignTiers(config.model, metrics, tierKeys),
    segment: segments ? segmentIndex(segments, metrics) : null,
    metrics,
    predictions: options.predictions ?? {},
  };
}

function segmentIndex(segments: NonNullable<TierwiseConfig['segments']>, metrics: MetricSource): Int16Array {
  const keys = segments.labels.map((s) => s.key);
  const targets = segments.rules.map((r) => keys.indexOf(r.is));
  return firstMatchingRule(segments.rules, metrics).map((k) => (k < 0 ? -1 : targets[k]));
}

/** Metric columns, computed once and only when a model or an explanation asks for them. */
export class MetricColumns implements MetricSource {
  // Declared, then assigned in the constructor: class fields would cost the Apps Script bundle a helper.
  declare readonly size: number;
  declare readonly scores: { r: Uint8Array; f: Uint8Array; m: Uint8Array };
  declare private readonly cache: Map<string, Float64Array>;
  declare private readonly derived: Map<string, unknown>;
  declare private readonly customers: readonly CustomerSummary[];
  declare private readonly predictions: Predictions;

  constructor(customers: readonly CustomerSummary[], config: TierwiseConfig, predictions: Predictions) {
    this.customers = customers;
    this.predictions = predictions;
    this.cache = new Map();
    this.derived = new Map();
    this.size = customers.length;
    const { scale, recency, frequency, monetary } = config.scores;
    const spend = monetary.basis === 'average' ? 'averageOrderValue' : 'totalSpend';
    this.scores = {
      r: scoreValues(this.column('recency'), recency, scale, true),
      f: scoreValues(this.column('frequency'), frequency, scale, false),
      m: scoreValues(this.column(spend), monetary, scale, false),
    };
  }

  column(name: string): Float64Array {
    let column = this.cache.get(name);
    if (!column) {
      column = this.compute(name);
      this.cache.set(name, column);
    }
    return column;
  }

  /** Population-wide values an explanation needs, computed once per book rather than per customer. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }

  private compute(name: string): Float64Array {
    switch (name) {
      case 'r':
      case 'f':
      case 'm': {
        const scores = this.scores[name];
        const column = new Float64Array(this.size);
        for (let i = 0; i < this.size; i++) column[i] = scores[i] === 0 ? Number.NaN : scores[i];
        return column;
      }
      case 'rfm': {
        const { r, f, m } = this.scores;
        const column = new Float64Array(this.size);
        for (let i = 0; i < this.size; i++)
          column[i] = r[i] && f[i] && m[i] ? r[i] + f[i] + m[i] : Number.NaN;
        return column;
      }
      case 'spendShareBelow':
        return shareBelow(this.column('totalSpend'));
      case 'clv':
      case 'pAlive':
      case 'expectedPurchases':
        return this.predictions[name] ?? new Float64Array(this.size).fill(Number.NaN);
      default:
        return customerColumn(this.customers, name);
    }
  }
}
