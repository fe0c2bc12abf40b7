/**
 * Tier models: metric columns in, one tier per customer out. Each model kind is a module under
 * `models/`; the configuration decides which runs. A customer a model cannot place (a metric it needs
 * is missing) gets tier -1 and a reason, never a silent default.
 */

import { type MetricSource, modelKind, type TierModel } from './models';

/** The tier of every customer as an index into `tierKeys` (-1: could not be placed). */
export function assignTiers(model: TierModel, source: MetricSource, tierKeys: readonly string[]): Int16Array {
  return modelKind(model).assign(model, source, (key) => tierKeys.indexOf(key));
}

/** Metric names a model reads, for checks and for explaining a tier. */
export const modelMetrics = (model: TierModel): string[] => modelKind(model).metrics(model);
