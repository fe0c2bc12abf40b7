/**
 * The `bands` kind: one metric cut into bands, a tier per band (e.g. the sales funnel's stages).
 * Named `value-bands` so it is not taken for the score bands of `bands.ts`.
 */

import { readElsewhere } from '../reader';
import { type Axis, axisBands, axisReason, readAxis } from './axis';
import { type TierModelKind, UNTIERED } from './model';

export interface BandsModel {
  kind: 'bands';
  axis: Axis;
  /** A tier key per band, low to high. */
  tiers: string[];
}

export const bandsKind: TierModelKind<BandsModel> = {
  kind: 'bands',
  read(read, model, path, { tiers }) {
    let bands: number | undefined;
    read.fields<BandsModel>(model, path, {
      kind: readElsewhere,
      axis: (v, p) => {
        bands = readAxis(read, v, p);
      },
      tiers: (v, p) => {
        const list = read.array(v, p, 1) ?? [];
        if (bands && list.length !== bands)
          read.fail(p, `must name ${bands} tiers (one per band, low to high), got ${list.length}`);
        for (const [i, tier] of list.entries()) read.tier(tier, `${p}[${i}]`, tiers);
      },
    });
  },
  metrics: (model) => [model.axis.metric],
  assign(model, source, tierIndex) {
    const bands = axisBands(model.axis, source);
    const tiers = model.tiers.map(tierIndex);
    return Int16Array.from(bands, (b) => (b < 0 ? UNTIERED : tiers[b]));
  },
  reasons: (model, book, i, say) => [axisReason(model.axis, book, i, say)],
  tiers: (model) => model.tiers,
  ranks: (model) => model.axis.quantiles !== undefined,
  axes: (model) => [model.axis],
};
