/**
 * The repeat-purchase ("count") models behind one interface, so predictions, validation and the
 * adapters do not care which one was fitted. The BG/NBD family is the default set; the Pareto/NBD is
 * added where bundle size does not matter (`ALL_COUNT_MODELS`), so the Sheets bundle stays small.
 */

import {
  type BgParams,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitRepeatModel,
  medianTimeToNextPurchase,
  probabilityAlive,
  probabilityNoPurchase,
  type RepeatFit,
  type RepeatModelName,
} from './bgnbd';
import type { Histories } from './histories';
import type { ParetoFit } from './pareto-nbd';

export type CountModelName = RepeatModelName | 'pareto-nbd';

export type CountFit = RepeatFit | ParetoFit;

/** Predictions of a fitted count model for a history (x, t_x, T); times in the model's unit. */
export interface CountModel {
  name: CountModelName;
  pAlive(x: number, tx: number, T: number): number;
  expectedPurchases(t: number, x: number, tx: number, T: number): number;
  pNoPurchase(t: number, x: number, tx: number, T: number): number;
  /** Median wait to the next purchase of a customer still active. */
  medianWait(x: number, T: number): number;
  /** E[X(t)]: expected repeat purchases of a new customer in the t after their first purchase. */
  newCustomerPurchases(t: number): number;
}

/** One count model: how to fit it, how to predict from a fit, and its rule in words. */
export interface CountModelKind {
  fit(histories: Histories): CountFit;
  predictor(fit: CountFit & { ok: true }): CountModel;
  rule: string;
}

export type CountModels = Partial<Record<CountModelName, CountModelKind>>;

const bgKind = (model: RepeatModelName, rule: string): CountModelKind => ({
  fit: (histories) => fitRepeatModel(histories, model),
  predictor: (fit) => {
    const p = fit.params as BgParams;
    return {
      name: model,
      pAlive: (x, tx, T) => probabilityAlive(model, p, x, tx, T),
      expectedPurchases: (t, x, tx, T) => expectedPurchases(model, p, t, x, tx, T),
      pNoPurchase: (t, x, tx, T) => probabilityNoPurchase(model, p, t, x, tx, T),
      medianWait: (x, T) => medianTimeToNextPurchase(p, x, T),
      newCustomerPurchases: (t) => expectedPurchasesNewCustomer(model, p, t),
    };
  },
  rule,
});

export const BG_MODELS: CountModels = {
  mbgnbd: bgKind(
    'mbgnbd',
    'MBG/NBD: customers may drop out after any purchase, the first included, so one-time buyers fade',
  ),
  bgnbd: bgKind(
    'bgnbd',
    'BG/NBD: customers drop out only after a repeat purchase, so one-time buyers have P(alive) = 1',
  ),
};
