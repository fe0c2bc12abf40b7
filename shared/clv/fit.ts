/**
 * Maximum-likelihood fitting shared by every CLV model, so each one reports the same figures
 * (log-likelihood, iterations, converged) and fails the same way: a fit that stops short, or that runs
 * off towards a parameter of 0 or infinity (the likelihood's boundary, where predictions turn to NaN),
 * is reported as not usable, with the reason, never as a fit.
 */

import { minimize, type Objective } from './optimize';

export type ModelName = 'bgnbd' | 'mbgnbd' | 'pareto-nbd' | 'gamma-gamma';

/** The figures every fitted model reports, in one shape. */
export interface FitDiagnostics<M extends ModelName = ModelName> {
  model: M;
  /** Whether the optimiser met its convergence test inside the parameter space. */
  converged: boolean;
  iterations: number;
  /** The maximised log-likelihood, summed over customers; null when none was finite. */
  logLikelihood: number | null;
  /** Customers whose data entered the likelihood. */
  customers: number;
}

export type ModelFit<P, M extends ModelName> = FitDiagnostics<M> &
  ({ ok: true; params: P } | { ok: false; reason: string; params: P | null });

/**
 * A parameter that moved more than this many powers of ten from its (data-scaled) start has run off
 * to the boundary: the data do not pin the model down (e.g. BG/NBD a, b → ∞ when every customer drops
 * out at the same rate). Five, because past that the predictions' hypergeometric series (terms ~ a·z)
 * would need more than its 100,000 terms: NaN, or a prediction nobody can check.
 */
export const BOUNDARY_DECADES = 5;

/**
 * Minimises the mean negative log-likelihood over log-parameters (so tolerances do not depend on
 * the number of customers) and checks the result for convergence and the boundary.
 */
export function fitByLikelihood<P extends { [K in keyof P]: number }, M extends ModelName>(
  model: M,
  customers: number,
  names: readonly (keyof P & string)[],
  start: readonly number[],
  logLikelihood: (params: P, gradient?: Float64Array) => number,
): ModelFit<P, M> {
  const unpack = (theta: ArrayLike<number>): P =>
    Object.fromEntries(names.map((name, i) => [name, Math.exp(theta[i])])) as unknown as P;
  const objective: Objective = (theta, gradient) => {
    const value = logLikelihood(unpack(theta), gradient);
    for (let i = 0; i < names.length; i++) gradient[i] = -gradient[i] / customers;
    return -value / customers;
  };
  const result = minimize(objective, start);
  const params = unpack(result.theta);
  const finite = Number.isFinite(result.value) && names.every((n) => Number.isFinite(params[n]));
  const diagnostics = {
    model,
    converged: result.converged,
    iterations: result.iterations,
    logLikelihood: Number.isFinite(result.value) ? -result.value * customers : null,
    customers,
  };
  const limit = BOUNDARY_DECADES * Math.LN10;
  const atBoundary = names.filter((_, i) => Math.abs(result.theta[i] - start[i]) > limit);
  if (!finite || atBoundary.length > 0) {
    // The estimates stay in `params` (when finite) for whoever wants to see how far they ran.
    const reason = finite
      ? `the ${model} fit ran to the boundary: ${atBoundary.join(' and ')} ran off towards 0 or infinity (the data do not pin them down)`
      : `the ${model} fit gave no finite estimate`;
    return { ...diagnostics, converged: false, ok: false, reason, params: finite ? params : null };
  }
  if (!result.converged)
    return {
      ...diagnostics,
      ok: false,
      reason: `the ${model} fit did not converge (${result.reason})`,
      params,
    };
  return { ...diagnostics, ok: true, params };
}

/** A failure before any fitting (bad input, too little data), in the same shape. */
export function notFitted<P, M extends ModelName>(
  model: M,
  customers: number,
  reason: string,
): ModelFit<P, M> {
  return {
    model,
    converged: false,
    iterations: 0,
    logLikelihood: null,
    customers,
    ok: false,
    reason,
    params: null,
  };
}
