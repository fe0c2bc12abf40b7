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
 * nor underflow. This is the numerically stable form lifetimes and BTYD use.
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
import { hyp2f1, lgamma, logSumExp } from './special';

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
  if (d / (m + tx) > 0.5) return Math.log(rsx) + logA0Integral(p, x, tx, T);
  const lnF = (y: number): number => Math.log(hyp2f1(rsx, k, rsx + 1, d / (m + y))) - rsx * Math.log(m + y);
  const atTx = lnF(tx);
  // F falls as y grows, so the difference is positive; log(−expm1(·)) keeps it accurate when tiny.
  return atTx + Math.log(-Math.expm1(lnF(T) - atTx));
}

/**
 * ln ∫ from t_x to T of (α+y)^−(r+x) (β+y)^−(s+1) dy = ln(A₀ / (r+s+x)), the probability mass of
 * dropping out unseen, by Gauss–Legendre quadrature. With e = r+x−1 and the substitution
 * w = (1 − ((α+t_x)/(α+y))^e)/e, the sharp (α+y)^−(r+x) factor becomes dw and the integrand left,
 * (β+y)^−(s+1), is smooth and bounded.
 */
export function logA0Integral({ r, alpha, s, beta }: ParetoParams, x: number, tx: number, T: number): number {
  const e = r + x - 1;
  const span = Math.log((alpha + T) / (alpha + tx));
  const toW = (u: number): number => (Math.abs(e) < 1e-12 ? u : -Math.expm1(-e * u) / e);
  const toU = (w: number): number => (Math.abs(e) < 1e-12 ? w : -Math.log1p(-e * w) / e);
  const end = toW(span);
  const lnScale = Math.log(beta + tx);
  let sum = 0;
  for (const [node, weight] of GAUSS_LEGENDRE) {
    const y = (alpha + tx) * Math.exp(toU((end * (node + 1)) / 2)) - alpha;
    sum += weight * Math.exp(-(s + 1) * (Math.log(beta + y) - lnScale));
  }
  return -e * Math.log(alpha + tx) - (s + 1) * lnScale + Math.log((sum * end) / 2);
}

/** The log-likelihood of one history without the per-x constant ln Γ(r+x) − ln Γ(r) + r ln α + s ln β. */
function logBracket(p: ParetoParams, x: number, tx: number, T: number): number {
  const alive = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
  const died = Math.log(p.s) - Math.log(p.r + p.s + x) + logA0(p, x, tx, T);
  return logSumExp(alive, died);
}

export function paretoLogLikelihood(p: ParetoParams, g: GroupedHistories): number {
  const lgR = lgamma(p.r);
  const constant = p.r * Math.log(p.alpha) + p.s * Math.log(p.beta) - lgR;
  const perX = Float64Array.from(g.distinctX, (x) => lgamma(p.r + x) + constant);
  let total = 0;
  for (let i = 0; i < g.groups; i++) {
    const x = g.x[i];
    const value = perX[g.xIndex[i]] + logBracket(p, x, g.distinctTx[g.txIndex[i]], g.distinctT[g.TIndex[i]]);
    total += g.count[i] * value;
  }
  return total;
}

/** Central differences on the log-parameters: the analytic gradient of A₀ is not worth its length here. */
function withGradient(p: ParetoParams, g: GroupedHistories, gradient?: Float64Array): number {
  const value = paretoLogLikelihood(p, g);
  if (!gradient) return value;
  const h = 1e-5;
  (['r', 'alpha', 's', 'beta'] as const).forEach((name, k) => {
    const up = paretoLogLikelihood({ ...p, [name]: p[name] * Math.exp(h) }, g);
    const down = paretoLogLikelihood({ ...p, [name]: p[name] * Math.exp(-h) }, g);
    gradient[k] = (up - down) / (2 * h);
  });
  return value;
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
    (params: ParetoParams, gradient) => withGradient(params, grouped, gradient),
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

/**
 * P(no purchase in the next t | history). An active customer makes none if the first waiting time
 * (Lomax, from λ ~ Gamma(r+x, α+T)) outlasts min(t, remaining lifetime):
 *   P(none | alive) = 1 − ∫₀^{w_t} ((β+T)/(β+T+u(w)))^s dw,  w = 1 − ((α+T)/(α+T+u))^(r+x)
 * (the substitution turns the purchase density into dw, leaving a smooth bounded integrand).
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
  const wEnd = -Math.expm1(-shape * Math.log1p(t / (p.alpha + T)));
  let integral = 0;
  for (const [node, weight] of GAUSS_LEGENDRE) {
    const w = (wEnd * (node + 1)) / 2;
    const u = (p.alpha + T) * Math.expm1(-Math.log1p(-w) / shape);
    integral += weight * Math.exp(-p.s * Math.log1p(u / (p.beta + T)));
  }
  integral *= wEnd / 2;
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
    };
  },
  rule: 'Pareto/NBD: a customer may drop out at any moment, so P(alive) falls for everyone the longer they go without buying',
};
