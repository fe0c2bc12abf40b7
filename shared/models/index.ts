/**
 * The registry of tier-model kinds. Adding a kind: its module in this folder implementing
 * `TierModelKind`, and one entry in `KINDS` (plus its sidebar editor in `appsscript/sidebar/`).
 */

import { matrixKind } from './matrix';
import type { TierModelKind } from './model';
import { paretoKind } from './pareto';
import { rulesKind } from './rules';
import { bandsKind } from './value-bands';
import { weightedKind } from './weighted';

export type { Axis } from './axis';
export { axisBands } from './axis';
export type { MatrixModel } from './matrix';
export { type MetricSource, type ModelContext, type TierModelKind, UNTIERED } from './model';
export type { ParetoModel } from './pareto';
export { firstMatchingRule, inRange, type RulesModel, readRules } from './rules';
export type { BandsModel } from './value-bands';
export { type WeightedModel, weightedScores } from './weighted';

/** In this order in messages ("must be one of …"). */
const KINDS = [rulesKind, paretoKind, matrixKind, bandsKind, weightedKind] as const;

type ModelOf<K> = K extends TierModelKind<infer M> ? M : never;
/** A configuration's `model`: one of the registered kinds. */
export type TierModel = ModelOf<(typeof KINDS)[number]>;

/** The name of every kind, for validating `model.kind`. */
export const MODEL_KINDS: readonly TierModel['kind'][] = KINDS.map((k) => k.kind);

const BY_KIND = new Map<string, TierModelKind<TierModel>>(
  KINDS.map((k) => [k.kind, k as unknown as TierModelKind<TierModel>]),
);

/** The kind that handles `model` (the model's own type narrows what the kind accepts). */
export const modelKind = <M extends TierModel>(model: M): TierModelKind<M> =>
  BY_KIND.get(model.kind) as unknown as TierModelKind<M>;

/** The kind named `kind` (a name from `MODEL_KINDS`). */
export const kindNamed = (kind: TierModel['kind']): TierModelKind<TierModel> => BY_KIND.get(kind)!;
