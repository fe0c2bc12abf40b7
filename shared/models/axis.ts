/**
 * One axis of a `matrix` or `bands` model: a metric cut into bands from low to high, by thresholds
 * or by equal-population quantiles. Reading, banding and the reason sentence, shared by both kinds.
 */

import { quantileBands, thresholdBands } from '../bands';
import type { Messages } from '../messages';
import type { Json, Reader } from '../reader';
import type { ScoredBook } from '../score-book';
import { type MetricSource, oneCustomer } from './model';

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

/** Bands 0..n-1 of an axis; a missing value takes `missingBand`, or -1. */
export function axisBands(axis: Axis, source: MetricSource): Int8Array {
  const values = source.column(axis.metric);
  const bands = axis.cuts ? thresholdBands(values, axis.cuts) : quantileBands(values, axis.quantiles ?? 3);
  if (axis.missingBand !== undefined) {
    for (let i = 0; i < bands.length; i++) if (bands[i] < 0) bands[i] = axis.missingBand;
  }
  return bands;
}

/** The band customer `i` is in, by its label or its value. */
export function axisReason(axis: Axis, book: ScoredBook, i: number, say: Messages): string {
  const value = book.metrics.column(axis.metric)[i];
  const band = axis.quantiles
    ? book.metrics.memo(`bands:${JSON.stringify(axis)}`, () => axisBands(axis, book.metrics))[i]
    : axisBands(axis, oneCustomer(book, i))[0];
  const label = axis.labels?.[band];
  if (label) return label;
  return say.band(axis.metric, Number.isNaN(value) ? '—' : String(Math.round(value * 100) / 100));
}

/** Returns the number of bands, or undefined when the axis is invalid. */
export function readAxis(read: Reader, value: Json, path: string): number | undefined {
  const axis = read.object(value, path);
  if (!axis) return undefined;
  read.known(axis, path, ['metric', 'cuts', 'quantiles', 'missingBand', 'labels']);
  read.metric(axis.metric, `${path}.metric`);
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
