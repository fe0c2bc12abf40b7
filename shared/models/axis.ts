/**
 * One axis of a `matrix` or `bands` model: a metric cut into bands from low to high, by thresholds
 * or by equal-population quantiles. Reading, banding and the reason sentence, shared by both kinds.
 */

import { quantileBands, thresholdBands } from '../bands';
import type { Messages } from '../messages';
import { type Json, optional, type Reader } from '../reader';
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
  // Cuts or quantiles decide the band count, which missingBand and labels are checked against.
  let bands: number | undefined;
  let banded = true;
  read.fields<Axis>(axis, path, {
    metric: (v, p) => read.metric(v, p),
    cuts: (v, p) => {
      if ((v === undefined) === (axis.quantiles === undefined)) {
        banded = false;
        return read.fail(
          path,
          'give either cuts (thresholds) or quantiles (number of equal-population bands)',
        );
      }
      const cuts = v === undefined ? undefined : read.numbers(v, p);
      if (cuts) {
        read.ascending(cuts, p);
        bands = cuts.length + 1;
      }
    },
    quantiles: optional((v, p) => {
      if (!banded) return;
      const q = read.number(v, p, 2, 10);
      if (q !== undefined && !Number.isInteger(q)) return read.fail(p, 'must be a whole number');
      bands = q;
    }),
    missingBand: optional((v, p) => bands !== undefined && read.number(v, p, 0, bands - 1)),
    labels: optional((v, p) => {
      if (bands === undefined) return;
      const labels = read.array(v, p) ?? [];
      if (labels.length !== bands) read.fail(p, `must name ${bands} bands, got ${labels.length}`);
      for (const [i, label] of labels.entries()) read.string(label, `${p}[${i}]`);
    }),
  });
  return bands;
}
