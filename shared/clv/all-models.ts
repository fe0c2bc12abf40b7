/** Every count model, the Pareto/NBD included: for the CLI, benchmarks and tests. */

import type { Histories } from './histories';
import { BG_MODELS, type CountFit, type CountModelName, type CountModels } from './models';
import { PARETO_NBD } from './pareto-nbd';

export const ALL_COUNT_MODELS: CountModels = { ...BG_MODELS, 'pareto-nbd': PARETO_NBD };

export const COUNT_MODELS: readonly CountModelName[] = ['mbgnbd', 'bgnbd', 'pareto-nbd'];

export function fitCountModel(histories: Histories, model: CountModelName): CountFit {
  return ALL_COUNT_MODELS[model]!.fit(histories);
}
