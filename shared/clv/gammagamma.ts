/**
 * The Gamma-Gamma model of spend per purchase (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value"), fitted on customers with at least one repeat purchase: x repeat purchases with
 * mean value m̄ (the first purchase excluded).
 *   ℓ = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m̄ + px ln x − (px+q) ln(γ + m̄x)
 */

import type { CustomerSummary } from '../summarize';
import { fitByLikelihood, type ModelFit, notFitted } from './fit';
import { digamma, lgamma } from './special';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export type SpendFit = ModelFit<GammaGammaParams, 'gamma-gamma'>;

/** Repeat buyers' frequency x > 0 and mean repeat spend m̄ > 0. */
export interface SpendHistories {
  x: Float64Array;
  meanSpend: Float64Array;
  /** Customer ids, position for position, so that a problem names the customer. */
  ids?: readonly string[];
}

/**
 * The Gamma-Gamma model's data from customer summaries: the customers (those at the positions `which`,
 * all by default) with a repeat purchase of positive mean value.
 */
export function spendHistoriesFrom(
  customers: readonly CustomerSummary[],
  which?: readonly number[],
): SpendHistories {
  const repeats = (c: CustomerSummary) => c.repeatPurchases > 0 && (c.repeatAverageSpend ?? 0) > 0;
  const repeaters = which
    ? which.filter((i) => repeats(customers[i])).map((i) => customers[i])
    : customers.filter(repeats);
  return {
    x: Float64Array.from(repeaters, (c) => c.repeatPurchases),
    meanSpend: Float64Array.from(repeaters, (c) => c.repeatAverageSpend!),
    ids: repeaters.map((c) => c.customerId),
  };
}

export function gammaGammaLogLikelihood(
  { p, q, gamma }: GammaGammaParams,
  data: SpendHistories,
  distinctX: Float64Array,
  xIndex: Int32Array,
  gradient?: Float64Array,
): number {
  const nx = distinctX.length;
  const lgTop = new Float64Array(nx);
  const dgTop = new Float64Array(nx);
  const lgPx = new Float64Array(nx);
  const dgPx = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    const px = p * distinctX[k];
    lgTop[k] = lgamma(px + q);
    dgTop[k] = digamma(px + q);
    lgPx[k] = lgamma(px);
    dgPx[k] = digamma(px);
  }
  const lgQ = lgamma(q);
  const dgQ = digamma(q);
  const lnGamma = Math.log(gamma);
  let total = 0;
  let gp = 0;
  let gq = 0;
  let gg = 0;
  for (let i = 0; i < data.x.length; i++) {
    const k = xIndex[i];
    const x = data.x[i];
    const m = data.meanSpend[i];
    const px = p * x;
    const lnM = Math.log(m);
    const lnDen = Math.log(gamma + m * x);
    total += lgTop[k] - lgPx[k] - lgQ + q * lnGamma + (px - 1) * lnM + px * Math.log(x) - (px + q) * lnDen;
    if (!gradient) continue;
    gp += x * (dgTop[k] - dgPx[k] + lnM + Math.log(x) - lnDen);
    gq += dgTop[k] - dgQ + lnGamma - lnDen;
    gg += q / gamma - (px + q) / (gamma + m * x);
  }
  if (gradient) {
    gradient[0] = gp * p;
    gradient[1] = gq * q;
    gradient[2] = gg * gamma;
  }
  return total;
}

export function fitGammaGamma(data: SpendHistories): SpendFit {
  const n = data.x.length;
  const who = (i: number): string => (data.ids ? `customer "${data.ids[i]}"` : `customer #${i + 1}`);
  for (let i = 0; i < n; i++) {
    if (!(data.x[i] > 0 && Number.isInteger(data.x[i])))
      return notFitted(
        'gamma-gamma',
        n,
        `${who(i)}: frequency must be a whole number above 0, got ${data.x[i]}`,
      );
    if (!(data.meanSpend[i] > 0))
      return notFitted('gamma-gamma', n, `${who(i)}: mean spend must be above 0, got ${data.meanSpend[i]}`);
  }
  if (n === 0) return notFitted('gamma-gamma', 0, 'no customer has a repeat purchase with a positive value');
  const index = new Map<number, number>();
  const xIndex = Int32Array.from(data.x, (x) => {
    if (!index.has(x)) index.set(x, index.size);
    return index.get(x)!;
  });
  const distinctX = Float64Array.from(index.keys());
  let meanSpend = 0;
  for (let i = 0; i < n; i++) meanSpend += data.meanSpend[i] / n;
  // Start with p = q = 2 and γ matching the mean spend (E[M] = pγ/(q−1)).
  return fitByLikelihood<GammaGammaParams, 'gamma-gamma'>(
    'gamma-gamma',
    n,
    ['p', 'q', 'gamma'],
    [Math.log(2), Math.log(2), Math.log(Math.max(meanSpend / 2, 1e-6))],
    (params: GammaGammaParams, gradient) =>
      gammaGammaLogLikelihood(params, data, distinctX, xIndex, gradient),
  );
}

/**
 * Expected mean spend per purchase given x repeat purchases of mean m̄: a weighted average of the
 * population mean pγ/(q−1) and the customer's own mean (Fader & Hardie 2013, eq. 3). For a customer
 * without repeat purchases, the population mean. Needs q > 1 (finite population mean). A mean netted
 * below 0 by refunds counts as 0, so the result is never negative.
 */
export function expectedSpend({ p, q, gamma }: GammaGammaParams, x: number, meanSpend: number): number {
  const populationMean = (p * gamma) / (q - 1);
  if (x <= 0) return populationMean;
  const weight = (p * x) / (p * x + q - 1);
  // Refunds can net a customer's mean below 0; spend is never negative, so it counts as 0.
  return (1 - weight) * populationMean + weight * Math.max(0, meanSpend);
}
