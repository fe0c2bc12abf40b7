/**
 * The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): purchases at rate λ ~ Gamma(r, α) while
 * alive, a lifetime ending at rate μ ~ Gamma(s, β) at any moment (not only after a purchase, unlike
 * the BG/NBD). Likelihood and predictions follow Fader, Hardie & Lee's note "A Note on Deriving the
 * Pareto/NBD Model and Related Expressions" (2005):
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A₀ ]
 *   A₀ = F(t_x) − F(T),  F(y) = ₂F₁(r+s+x, k; r+s+x+1; |α−β|/(m+y)) / (m+y)^(r+s+x)
 * with m = max(α, β) and k = s+1 when α ≥ β, else r+x. Taking the larger of α and β keeps the
 * hypergeometric argument in [0, 1), where its series converges; everything is then summed in log
 * space (ln A₀ = ln F(t_x) + ln(1 − F(T)/F(t_x))), so heavy buyers and long tenures neither overflow
 * nor underflow: the numerically stable form lifetimes and BTYD use, here for predictions. The fit
 * uses the same A₀ written as an integral, s/(r+s+x)·A₀ = s ∫ (α+y)^−(r+x) (β+y)^−(s+1) dy over
 * [t_x, T], by quadrature: a positive integrand (no cancellation), bounded work where the series would
 * need a hundred thousand terms, and an analytic gradient. The two agree to 1e-8 (tests).
 */

import type { TimeUnit } from '../units';
import { medianTimeToNextPurchase } from './bgnbd';
import { fitByLikelihood, type ModelFit, notFitted } from './fit';
import {
  checkHistories,
  type GroupedHistories,
  groupHistories,
  type Histories,
  tenureZero,
} from './histories';
import type { CountModelKind } from './models';
import { digamma, hyp2f1, lgamma, logSumExp } from './special';

export interface ParetoParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export type ParetoFit = ModelFit<ParetoParams, 'pareto-nbd'> & { unit: TimeUnit; tenureZero: number };

/** ln A₀ for one history; −∞ when t_x = T (the customer was seen at the very end). */
function logA0(p: ParetoParams, x: number, tx: number, T: number): number {
  if (tx >= T) return Number.NEGATIVE_INFINITY;
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  const [m, k] = alpha >= beta ? [alpha, s + 1] : [beta, r + x];
  const d = Math.abs(alpha - beta);
  // The series needs ~ln(1e-15)/ln(z) terms: beyond z = 1/2, integrate instead, in bounded work.
  if (d / (m + tx) > 0.5) return Math.log(rsx) + logDropoutIntegral(p, x, tx, T);
  const lnF = (y: number): number => Math.log(hyp2f1(rsx, k, rsx + 1, d / (m + y))) - rsx * Math.log(m + y);
  const atTx = lnF(tx);
  // F falls as y grows, so the difference is positive; log(−expm1(·)) keeps it accurate when tiny.
  return atTx + Math.log(-Math.expm1(lnF(T) - atTx));
}

/**
 * ln ∫ from t_x to T of (α+y)^−(r+x) (β+y)^−(s+1) dy = ln(A₀ / (r+s+x)), the chance of dropping out
 * unseen, by Gauss–Legendre quadrature: a positive integrand, so no cancellation, and bounded work
 * however close to 1 the hypergeometric argument would be. With u = ln((α+y)/(α+t_x)) and e = r+x−1
 * the integrand is e^(−e·u) (β+y)^−(s+1) (times a constant). Near t_x the substitution
 * w = (1 − e^(−e·u))/e takes the sharp e^(−e·u) into dw, leaving (β+y)^−(s+1), smooth and bounded. Past
 * e·u = TAIL that substitution would leave a weak singularity at its end ((1 − e·w)^((s+1)/e), slow to
 * converge for a heavy buyer who went quiet early), so the rest is integrated in u itself, where the
 * integrand simply decays, up to where it has fallen by e^−REST. Agrees with the FHL note's ₂F₁ form to
 * ~1e-10 in ln over CDNOW's histories (tests). With `moments`, also the integrand-weighted means of
 * ln(α+y), 1/(α+y), ln(β+y) and 1/(β+y), which the gradient needs.
 */
export function logDropoutIntegral(
  p: ParetoParams,
  x: number,
  tx: number,
  T: number,
  moments?: Float64Array,
): number {
  return logDropoutIntegralOverScale(p, x, tx, T, moments) - (p.s + 1) * Math.log(p.beta + tx);
}

/**
 * `logDropoutIntegral` + (s+1)·ln(β+t_x): the integral with (β+y) measured against β+t_x. The
 * likelihood adds s·ln β itself; combined as −s·ln(1+t_x/β) it stays exact when s and β are huge,
 * where s·ln β and (s+1)·ln(β+t_x) would each be ~1e74 and cancel to nothing.
 */
function logDropoutIntegralOverScale(
  { r, alpha, s, beta }: ParetoParams,
  x: number,
  tx: number,
  T: number,
  moments?: Float64Array,
): number {
  const e = r + x - 1;
  const span = Math.log((alpha + T) / (alpha + tx));
  const lnAlphaTx = Math.log(alpha + tx);
  const alphaTx = alpha + tx;
  const betaTx = beta + tx;
  const cut = e > 0 && e * span > TAIL ? TAIL / e : span;
  let sum = 0;
  if (moments) moments.fill(0);
  /** Adds the integrand at u, times `factor` (the node's weight and the substitution's Jacobian). */
  const point = (u: number, factor: number): void => {
    const lnAlphaY = lnAlphaTx + u;
    const alphaY = Math.exp(lnAlphaY);
    const betaY = beta + alphaY - alpha;
    const lnBetaY = Math.log(betaY);
    // ln((β+y)/(β+t_x)) as log1p of a small ratio, not a difference of logs: with β ~ 1e40 the two
    // logs agree to every digit and their difference, times s+1, would be noise.
    const h = factor * Math.exp(-(s + 1) * Math.log1p((alphaTx * Math.expm1(u)) / betaTx));
    sum += h;
    if (!moments) return;
    moments[0] += h * lnAlphaY;
    moments[1] += h / alphaY;
    moments[2] += h * lnBetaY;
    moments[3] += h / betaY;
  };
  const linear = Math.abs(e) < 1e-12;
  const wEnd = linear ? cut : -Math.expm1(-e * cut) / e;
  for (const [node, weight] of DROPOUT_NODES) {
    const w = (wEnd * (node + 1)) / 2;
    point(linear ? w : -Math.log1p(-e * w) / e, (weight * wEnd) / 2);
  }
  if (cut < span) {
    const half = (Math.min(span, cut + REST / e) - cut) / 2;
    for (const [node, weight] of DROPOUT_NODES) {
      const u = cut + half * (node + 1);
      point(u, weight * half * Math.exp(-e * u));
    }
  }
  if (moments) for (let k = 0; k < 4; k++) moments[k] /= sum;
  return -e * lnAlphaTx + Math.log(sum);
}

/**
 * The total log-likelihood of grouped histories, A₀ by quadrature; with `gradient`, also its
 * gradient with respect to (ln r, ln α, ln s, ln β), differentiating under the integral.
 */
export function paretoLogLikelihood(p: ParetoParams, g: GroupedHistories, gradient?: Float64Array): number {
  const { r, alpha, s, beta } = p;
  const lnAlpha = Math.log(alpha);
  const lnBeta = Math.log(beta);
  // s·ln β is not in the constant: it is folded into each history's −s·ln(1+T/β) (and the same
  // at t_x), because the two logs are ~1e74 apart from their difference when s and β run large.
  const constant = r * lnAlpha - lgamma(r);
  const perX = Float64Array.from(g.distinctX, (x) => lgamma(r + x) + constant);
  const dPerX = gradient
    ? Float64Array.from(g.distinctX, (x) => digamma(r + x) - digamma(r) + lnAlpha)
    : null;
  const moments = gradient ? new Float64Array(4) : undefined;
  let total = 0;
  let [gr, ga, gs, gb] = [0, 0, 0, 0];
  for (let i = 0; i < g.groups; i++) {
    const x = g.x[i];
    const tx = g.distinctTx[g.txIndex[i]];
    const T = g.distinctT[g.TIndex[i]];
    const lnAT = Math.log(alpha + T);
    const alive = -(r + x) * lnAT - s * Math.log1p(T / beta);
    const died =
      tx < T
        ? Math.log(s) +
          logDropoutIntegralOverScale(p, x, tx, T, moments) -
          s * Math.log1p(tx / beta) -
          Math.log(beta + tx)
        : Number.NEGATIVE_INFINITY;
    const bracket = logSumExp(alive, died);
    const n = g.count[i];
    total += n * (perX[g.xIndex[i]] + bracket);
    if (!gradient || !moments || !dPerX) continue;
    const w1 = Math.exp(alive - bracket);
    const w2 = died === Number.NEGATIVE_INFINITY ? 0 : Math.exp(died - bracket);
    gr += n * (dPerX[g.xIndex[i]] - w1 * lnAT - w2 * moments[0]);
    ga += n * (r / alpha - (r + x) * (w1 / (alpha + T) + w2 * moments[1]));
    gs += n * (-w1 * Math.log1p(T / beta) + w2 * (1 / s + lnBeta - moments[2]));
    gb += n * (s / beta - w1 * (s / (beta + T)) - w2 * (s + 1) * moments[3]);
  }
  if (gradient) {
    gradient[0] = gr * r;
    gradient[1] = ga * alpha;
    gradient[2] = gs * s;
    gradient[3] = gb * beta;
  }
  return total;
}

/** Fits by maximum likelihood from a fixed start (r = s = 1, α = β scaled to the data). */
export function fitParetoNbd(histories: Histories): ParetoFit {
  const unit = histories.unit;
  const problem = checkHistories(histories);
  const zero = tenureZero(histories);
  const customers = histories.x.length - zero;
  if (problem) return { ...notFitted('pareto-nbd', customers, problem), unit, tenureZero: zero };
  if (customers === 0)
    return {
      ...notFitted('pareto-nbd', 0, 'no customer has any time between first purchase and as-of date'),
      unit,
      tenureZero: zero,
    };
  const grouped = groupHistories(histories);
  let maxT = 0;
  for (let i = 0; i < customers; i++) maxT = Math.max(maxT, histories.T[i]);
  const scale = Math.log(Math.max(maxT / 10, 1e-6));
  const fit = fitByLikelihood<ParetoParams, 'pareto-nbd'>(
    'pareto-nbd',
    customers,
    ['r', 'alpha', 's', 'beta'],
    [0, scale, 0, scale],
    (params: ParetoParams, gradient) => paretoLogLikelihood(params, grouped, gradient),
  );
  return { ...fit, unit, tenureZero: zero };
}

/** P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀). */
export function paretoProbabilityAlive(p: ParetoParams, x: number, tx: number, T: number): number {
  const logOdds =
    Math.log(p.s) -
    Math.log(p.r + p.s + x) +
    logA0(p, x, tx, T) +
    (p.r + x) * Math.log(p.alpha + T) +
    p.s * Math.log(p.beta + T);
  return 1 / (1 + Math.exp(logOdds));
}

/** ∫₀ᵗ ((β+T)/(β+T+u))^s ... normalised: [1 − ((β+T)/(β+T+t))^(s−1)] / (s−1), with its limit at s = 1. */
function lifetimeFactor(s: number, betaT: number, t: number): number {
  const u = Math.log1p(t / betaT);
  return Math.abs(s - 1) < 1e-10 ? u : -Math.expm1(-(s - 1) * u) / (s - 1);
}

/** E[purchases in the next t | x, t_x, T] = P(alive) · (r+x)(β+T)/(α+T) · lifetimeFactor (FHL note, eq. 21). */
export function paretoExpectedPurchases(
  p: ParetoParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  if (t <= 0) return 0;
  const rate = ((p.r + x) / (p.alpha + T)) * (p.beta + T) * lifetimeFactor(p.s, p.beta + T, t);
  return rate * paretoProbabilityAlive(p, x, tx, T);
}

/** E[X(t)] for a customer just acquired: rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]. */
export function paretoExpectedPurchasesNewCustomer(p: ParetoParams, t: number): number {
  if (t <= 0) return 0;
  return (p.r / p.alpha) * p.beta * lifetimeFactor(p.s, p.beta, t);
}

const GAUSS_LEGENDRE = gaussLegendre(24);
/** The dropout integral's nodes (per part) and where its parts meet and end, in e-folds of e^(−e·u). */
const DROPOUT_NODES = gaussLegendre(16);
const TAIL = 2;
const REST = 40;

/**
 * P(no purchase in the next t | history). An active customer makes none if the first waiting time
 * (Lomax, from λ ~ Gamma(r+x, α+T)) outlasts min(t, remaining lifetime):
 *   P(none | alive) = 1 − ∫₀ᵗ (r+x)/(α+T) · ((α+T)/(α+T+u))^(r+x+1) · ((β+T)/(β+T+u))^s du
 * (checked against SciPy's adaptive quadrature: test/crosscheck/pareto_scipy.py).
 */
export function paretoProbabilityNoPurchase(
  p: ParetoParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const alive = paretoProbabilityAlive(p, x, tx, T);
  if (t <= 0) return 1;
  const shape = p.r + x;
  // v = ln(1 + u/(α+T)): the purchase density becomes shape·e^(−shape·v) dv, smooth for any shape.
  const vEnd = Math.log1p(t / (p.alpha + T));
  let integral = 0;
  for (const [node, weight] of GAUSS_LEGENDRE) {
    const v = (vEnd * (node + 1)) / 2;
    const u = (p.alpha + T) * Math.expm1(v);
    integral += weight * shape * Math.exp(-shape * v - p.s * Math.log1p(u / (p.beta + T)));
  }
  integral *= vEnd / 2;
  return 1 - alive * Math.min(1, integral);
}

/** Nodes and weights on [−1, 1] by Newton's method on the Legendre polynomial. */
function gaussLegendre(n: number): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 1; i <= n; i++) {
    let z = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let derivative = 1;
    for (let step = 0; step < 100; step++) {
      let p0 = 1;
      let p1 = 0;
      for (let k = 1; k <= n; k++) {
        const p2 = p1;
        p1 = p0;
        p0 = ((2 * k - 1) * z * p1 - (k - 1) * p2) / k;
      }
      derivative = (n * (z * p0 - p1)) / (z * z - 1);
      const next = z - p0 / derivative;
      const done = Math.abs(next - z) < 1e-15;
      z = next;
      if (done) break;
    }
    points.push([z, 2 / ((1 - z * z) * derivative * derivative)]);
  }
  return points;
}

export const PARETO_NBD: CountModelKind = {
  fit: fitParetoNbd,
  predictor: (fit) => {
    const p = fit.params as ParetoParams;
    return {
      name: 'pareto-nbd',
      pAlive: (x, tx, T) => paretoProbabilityAlive(p, x, tx, T),
      expectedPurchases: (t, x, tx, T) => paretoExpectedPurchases(p, t, x, tx, T),
      pNoPurchase: (t, x, tx, T) => paretoProbabilityNoPurchase(p, t, x, tx, T),
      medianWait: (x, T) => medianTimeToNextPurchase(p, x, T),
      newCustomerPurchases: (t) => paretoExpectedPurchasesNewCustomer(p, t),
    };
  },
  rule: 'Pareto/NBD: a customer may drop out at any moment, so P(alive) falls for everyone the longer they go without buying',
};
