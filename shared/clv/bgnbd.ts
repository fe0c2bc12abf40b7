/**
 * The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way") and its
 * modification MBG/NBD (Batislam, Denizel & Filiztekin 2007), which lets a customer drop out right
 * after the first purchase as well, so a one-time buyer from long ago is not reported as certainly
 * alive (the BG/NBD gives P(alive) = 1 whenever x = 0).
 *
 * Both share one log-likelihood with a shift s (0 for BG/NBD, 1 for MBG/NBD):
 *   ℓ = ln Γ(r+x) − ln Γ(r) + r ln α + ln(A₁ + A₂)
 *   A₁ = Γ(b+x+s) Γ(a+b) / (Γ(b) Γ(a+b+x+s)) · (α+T)^−(r+x)
 *   A₂ = a Γ(b+x+s−1) Γ(a+b) / (Γ(b) Γ(a+b+x+s)) · (α+t_x)^−(r+x), only when x + s > 0
 * computed in log space with log-sum-exp, so heavy buyers (x in the hundreds) stay finite.
 */

import type { TimeUnit } from '../units';
import { fitByLikelihood, type ModelFit, notFitted } from './fit';
import {
  checkHistories,
  type GroupedHistories,
  groupHistories,
  type Histories,
  tenureZero,
} from './histories';
import { digamma, hyp2f1, lgamma } from './special';

export type RepeatModelName = 'bgnbd' | 'mbgnbd';

export interface BgParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/**
 * A BG/NBD or MBG/NBD fit in the shape every model reports; `tenureZero` counts the customers left
 * out of the likelihood because their first purchase is on the as-of date (they are still predicted).
 */
export type RepeatFit = ModelFit<BgParams, RepeatModelName> & { unit: TimeUnit; tenureZero: number };

const shiftOf = (model: RepeatModelName): number => (model === 'mbgnbd' ? 1 : 0);

/**
 * The total log-likelihood of grouped histories; with `gradient`, also its gradient with respect to
 * (ln r, ln α, ln a, ln b). Everything that depends only on x is computed once per distinct x.
 */
export function bgLogLikelihood(
  model: RepeatModelName,
  { r, alpha, a, b }: BgParams,
  g: GroupedHistories,
  gradient?: Float64Array,
): number {
  const s = shiftOf(model);
  const nx = g.distinctX.length;
  const base = lgamma(a + b) - lgamma(b);
  const dBase = digamma(a + b);
  const dB = digamma(b);
  const lnAlpha = Math.log(alpha);
  const lnA = Math.log(a);
  const perX = {
    gammaR: new Float64Array(nx),
    dGammaR: new Float64Array(nx),
    k1: new Float64Array(nx),
    k2: new Float64Array(nx),
    dk1a: new Float64Array(nx),
    dk1b: new Float64Array(nx),
    dk2a: new Float64Array(nx),
    dk2b: new Float64Array(nx),
  };
  const dR = digamma(r);
  const lgR = lgamma(r);
  for (let k = 0; k < nx; k++) {
    const x = g.distinctX[k];
    perX.gammaR[k] = lgamma(r + x) - lgR + r * lnAlpha;
    perX.dGammaR[k] = digamma(r + x) - dR + lnAlpha;
    const top = lgamma(a + b + x + s);
    const dTop = digamma(a + b + x + s);
    perX.k1[k] = lgamma(b + x + s) - top + base;
    perX.dk1a[k] = dBase - dTop;
    perX.dk1b[k] = digamma(b + x + s) - dTop + dBase - dB;
    if (x + s > 0) {
      perX.k2[k] = lnA + lgamma(b + x + s - 1) - top + base;
      perX.dk2a[k] = 1 / a + dBase - dTop;
      perX.dk2b[k] = digamma(b + x + s - 1) - dTop + dBase - dB;
    } else {
      perX.k2[k] = Number.NEGATIVE_INFINITY;
    }
  }
  const lnT = g.distinctT.map((T) => Math.log(alpha + T));
  const lnTx = g.distinctTx.map((t) => Math.log(alpha + t));
  const invT = g.distinctT.map((T) => 1 / (alpha + T));
  const invTx = g.distinctTx.map((t) => 1 / (alpha + t));
  let total = 0;
  let gr = 0;
  let ga = 0;
  let gA = 0;
  let gB = 0;
  for (let i = 0; i < g.groups; i++) {
    const k = g.xIndex[i];
    const n = g.count[i];
    const rx = r + g.x[i];
    const l1 = perX.k1[k] - rx * lnT[g.TIndex[i]];
    const l2 = perX.k2[k] - rx * lnTx[g.txIndex[i]];
    const m = Math.max(l1, l2);
    const e1 = Math.exp(l1 - m);
    const e2 = Math.exp(l2 - m);
    const sum = e1 + e2;
    total += n * (perX.gammaR[k] + m + Math.log(sum));
    if (!gradient) continue;
    const w1 = e1 / sum;
    const w2 = e2 / sum;
    gr += n * (perX.dGammaR[k] - w1 * lnT[g.TIndex[i]] - w2 * lnTx[g.txIndex[i]]);
    ga += n * (r / alpha - rx * (w1 * invT[g.TIndex[i]] + w2 * invTx[g.txIndex[i]]));
    gA += n * (w1 * perX.dk1a[k] + (w2 > 0 ? w2 * perX.dk2a[k] : 0));
    gB += n * (w1 * perX.dk1b[k] + (w2 > 0 ? w2 * perX.dk2b[k] : 0));
  }
  if (gradient) {
    gradient[0] = gr * r;
    gradient[1] = ga * alpha;
    gradient[2] = gA * a;
    gradient[3] = gB * b;
  }
  return total;
}

/** Fits by maximum likelihood from a fixed start (all ones, α scaled to the data), so runs repeat exactly. */
export function fitRepeatModel(histories: Histories, model: RepeatModelName): RepeatFit {
  const unit = histories.unit;
  const problem = checkHistories(histories);
  const zero = tenureZero(histories);
  const customers = histories.x.length - zero;
  if (problem) return { ...notFitted(model, customers, problem), unit, tenureZero: zero };
  if (customers === 0)
    return {
      ...notFitted(model, 0, 'no customer has any time between first purchase and as-of date'),
      unit,
      tenureZero: zero,
    };
  const grouped = groupHistories(histories);
  let maxT = 0;
  for (let i = 0; i < customers; i++) maxT = Math.max(maxT, histories.T[i]);
  const fit = fitByLikelihood<BgParams, RepeatModelName>(
    model,
    customers,
    ['r', 'alpha', 'a', 'b'],
    [0, Math.log(Math.max(maxT / 10, 1e-6)), 0, 0],
    (params: BgParams, gradient) => bgLogLikelihood(model, params, grouped, gradient),
  );
  return { ...fit, unit, tenureZero: zero };
}

/**
 * P(alive | x, t_x, T). BG/NBD: 1 when x = 0. MBG/NBD: below 1 for everyone, and falling as T grows.
 */
export function probabilityAlive(
  model: RepeatModelName,
  p: BgParams,
  x: number,
  tx: number,
  T: number,
): number {
  const s = shiftOf(model);
  if (x + s === 0) return 1;
  const logOdds =
    Math.log(p.a / (p.b + x + s - 1)) + (p.r + x) * (Math.log(p.alpha + T) - Math.log(p.alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected purchases in the next t (model units), given the history: FHL 2005 eq. 10 (and its MBG
 * form), with Euler's transformation ₂F₁(r+x, b+x+s; c; z) = (1−z)^(c−a'−b') ₂F₁(c−(r+x), c−(b+x+s); c; z)
 * so that the series' parameters do not grow with x.
 */
export function expectedPurchases(
  model: RepeatModelName,
  p: BgParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (t <= 0) return 0;
  const s = shiftOf(model);
  const { r, alpha, a, b } = p;
  const c = a + b + x + s - 1;
  const z = t / (alpha + T + t);
  const f = hyp2f1(a + b + s - 1 - r, a - 1, c, z);
  const ratio = Math.exp((a - 1) * Math.log((alpha + T) / (alpha + T + t)));
  const future = ((a + b + x + s - 1) / (a - 1)) * (1 - ratio * f);
  return future * probabilityAlive(model, p, x, tx, T);
}

/**
 * Expected purchases in a period of length t for a new customer, E[X(t)]: FHL 2005 eq. 9 for the
 * BG/NBD; for the MBG/NBD, b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))] (Batislam et al. 2007).
 */
export function expectedPurchasesNewCustomer(model: RepeatModelName, p: BgParams, t: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + t);
  const decay = Math.exp(r * Math.log(alpha / (alpha + t)));
  if (model === 'mbgnbd') return (b / (a - 1)) * (1 - decay * hyp2f1(r, b + 1, a + b, z));
  return ((a + b - 1) / (a - 1)) * (1 - decay * hyp2f1(r, b, a + b - 1, z));
}

/**
 * P(no purchase in the next t | history) = 1 − P(alive) + P(alive) · ((α+T)/(α+T+t))^(r+x): a customer
 * who stays alive without buying cannot drop out (dropout happens only after a purchase).
 */
export function probabilityNoPurchase(
  model: RepeatModelName,
  p: BgParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const alive = probabilityAlive(model, p, x, tx, T);
  return 1 - alive + alive * Math.exp((p.r + x) * Math.log((p.alpha + T) / (p.alpha + T + t)));
}

/** The median waiting time to the next purchase for a customer who is still active, in model units. */
export function medianTimeToNextPurchase(p: { r: number; alpha: number }, x: number, T: number): number {
  return (p.alpha + T) * Math.expm1(Math.LN2 / (p.r + x));
}
