/**
 * What every tier-model kind implements. A kind is one module in this folder (the `kind` of a
 * configuration's `model`), listed once in `index.ts`; configuration reading, tiering, reasons,
 * checks and the Sheets functions all reach it through the registry, never through a `switch`.
 */

import type { ConfigFindings } from '../check';
import type { Rule } from '../config';
import type { Messages } from '../messages';
import type { Json, Reader } from '../reader';
import type { ScoredBook } from '../score-book';
import type { Axis } from './axis';

/** Where models read metric values: one column per metric, NaN where unknown. */
export interface MetricSource {
  readonly size: number;
  column(name: string): Float64Array;
  /** Caches a population-wide result (e.g. the same rules used for segments and tiers). */
  memo?<T>(key: string, compute: () => T): T;
}

/** The tier index of a customer a model cannot place (a metric it needs is missing). */
export const UNTIERED = -1;

/** What a model's section is read against: the tier keys defined, and the RFM score scale. */
export interface ModelContext {
  tiers: Set<string>;
  scale: number;
}

/** First-match rules for the check to prove total and free of dead rules, as it does for segments. */
export interface ProvableRules {
  rules: readonly Rule[];
  /** Whole-number domains of inputs beyond r, f and m. */
  inputs?: Record<string, { min: number; max: number }>;
  path: string;
}

/** One tier-model kind; `M` is its part of the configuration (`{ kind: '…', … }`). */
export interface TierModelKind<M extends { kind: string }> {
  /** The name in `model.kind`. */
  readonly kind: M['kind'];
  /**
   * Validates the model section (an object whose `kind` is this one): every field with its path and
   * what would be accepted, unknown fields rejected.
   */
  read(read: Reader, model: Record<string, Json>, path: string, context: ModelContext): void;
  /** Metric names the model reads, for checks and for explaining an untiered customer. */
  metrics(model: M): string[];
  /** The tier of every customer as an index from `tierIndex` (`UNTIERED`: could not be placed). */
  assign(model: M, source: MetricSource, tierIndex: (key: string) => number): Int16Array;
  /** Reasons for a placed customer `i`'s tier beyond the R/F/M scores (none for rules). */
  reasons(model: M, book: ScoredBook, i: number, say: Messages): string[];
  /** Every tier key the model can assign (a defined tier outside it gets a warning). */
  tiers(model: M): string[];
  /** True when a customer's tier depends on the other customers (quantiles, shares of a total). */
  ranks(model: M): boolean;
  /** Rules the check proves cell by cell (before the segments' rules). */
  provableRules?(model: M): ProvableRules;
  /** Any other proof that the model places every customer (after the segments' rules are proven). */
  coverage?(model: M, result: ConfigFindings): void;
  /** Axes whose metric some customers may lack (checked for a `missingBand`). */
  axes?(model: M): Axis[];
}

/** A one-customer view of the book's metrics, so per-customer explanations stay O(1). */
export function oneCustomer(book: ScoredBook, i: number): MetricSource {
  return { size: 1, column: (name: string) => book.metrics.column(name).subarray(i, i + 1) };
}
