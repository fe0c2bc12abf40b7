/**
 * A small, deterministic quasi-Newton minimiser (BFGS with a backtracking line search) for the few
 * parameters of the CLV models, optimised on the log scale so they stay positive.
 */

/** Returns f(θ) and writes ∇f(θ) into `gradient`. */
export type Objective = (theta: Float64Array, gradient: Float64Array) => number;

export interface Minimum {
  theta: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
  /** Why it stopped, in words, for a "did not converge" report. */
  reason: string;
}

export interface MinimizeOptions {
  maxIterations?: number;
  /** Converged when the largest gradient component falls below this. */
  gradientTolerance?: number;
  /** ...or when an iteration improves f by less than this, relatively. */
  valueTolerance?: number;
}

export function minimize(f: Objective, start: ArrayLike<number>, options: MinimizeOptions = {}): Minimum {
  const { maxIterations = 500, gradientTolerance = 1e-7, valueTolerance = 1e-14 } = options;
  const n = start.length;
  let theta = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = f(theta, gradient);
  if (!Number.isFinite(value))
    return {
      theta,
      value,
      iterations: 0,
      converged: false,
      reason: 'the starting point has no finite likelihood',
    };
  let inverseHessian = identity(n);
  const next = new Float64Array(n);
  const nextGradient = new Float64Array(n);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const direction = multiply(inverseHessian, gradient).map((v) => -v);
    let slope = dot(direction, gradient);
    if (slope >= 0) {
      // Not a descent direction: restart from steepest descent.
      inverseHessian = identity(n);
      for (let i = 0; i < n; i++) direction[i] = -gradient[i];
      slope = -dot(gradient, gradient);
    }
    let step = 1;
    let nextValue = Number.NaN;
    for (let tries = 0; tries < 60; tries++) {
      for (let i = 0; i < n; i++) next[i] = theta[i] + step * direction[i];
      nextValue = f(next, nextGradient);
      if (Number.isFinite(nextValue) && nextValue <= value + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!Number.isFinite(nextValue) || nextValue > value) {
      return {
        theta,
        value,
        iterations: iteration,
        converged: maxAbs(gradient) < gradientTolerance * 1e3,
        reason: 'the line search found no better point',
      };
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next[i] - theta[i];
      y[i] = nextGradient[i] - gradient[i];
    }
    const improvement = value - nextValue;
    theta = Float64Array.from(next);
    gradient = Float64Array.from(nextGradient);
    value = nextValue;
    if (maxAbs(gradient) < gradientTolerance || improvement <= valueTolerance * Math.abs(value)) {
      return { theta, value, iterations: iteration, converged: true, reason: 'converged' };
    }
    inverseHessian = bfgsUpdate(inverseHessian, s, y);
  }
  return {
    theta,
    value,
    iterations: maxIterations,
    converged: false,
    reason: `no convergence in ${maxIterations} iterations`,
  };
}

const identity = (n: number): Float64Array[] =>
  Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

const dot = (u: ArrayLike<number>, v: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < u.length; i++) sum += u[i] * v[i];
  return sum;
};

const multiply = (m: Float64Array[], v: Float64Array): Float64Array =>
  Float64Array.from(m, (row) => dot(row, v));

const maxAbs = (v: Float64Array): number => v.reduce((max, x) => Math.max(max, Math.abs(x)), 0);

/** The BFGS update of the inverse Hessian; skipped when the curvature condition fails. */
function bfgsUpdate(h: Float64Array[], s: Float64Array, y: Float64Array): Float64Array[] {
  const sy = dot(s, y);
  if (sy <= 1e-12) return h;
  const rho = 1 / sy;
  const hy = multiply(h, y);
  const yhy = dot(y, hy);
  const n = s.length;
  return Array.from({ length: n }, (_, i) =>
    Float64Array.from(
      { length: n },
      (_, j) => h[i][j] - rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j],
    ),
  );
}
