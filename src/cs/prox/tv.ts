/**
 * Proximal map of isotropic total variation, prox_{λ TV}(y) = argmin_x ½‖x − y‖² + λ‖D x‖_{2,1},
 * by Chambolle's dual projection accelerated as in Beck & Teboulle's FGP (2009):
 *   x = y − Dᴴ q,  q* = argmin_{‖q‖_{2,∞} ≤ λ} ½‖y − Dᴴ q‖²,
 * solved by projected (Nesterov) gradient with step 1/‖D‖² (‖D‖² ≤ 4·axes for periodic differences).
 * D is the periodic forward-difference gradient of ops/finite-diff (2-D, or 3-D across slices).
 *
 * Only the TV-FISTA path needs this (ADMM and PDHG handle TV through D directly); it is also the
 * reference the TV solvers are tested against.
 */
import { gradOp } from '../ops/finite-diff';
import { projectL2InfBall, l21Norm } from './linf-ball';
import type { ProxFunction } from './types';

export interface ProxTVOptions {
  iterations?: number;
  /** stop when ‖x_k − x_{k−1}‖ ≤ tol·‖x_k‖ */
  tolerance?: number;
  /** warm-start dual field [axes, …dims]; updated in place with the final dual */
  dual?: Float32Array;
}

export function proxTV(
  y: Float32Array,
  lambda: number,
  dims: readonly [number, number] | readonly [number, number, number],
  options: ProxTVOptions = {},
  out?: Float32Array,
): Float32Array {
  if (!(lambda >= 0)) throw new RangeError(`proxTV: lambda must be ≥ 0, got ${lambda}`);
  const D = gradOp(dims);
  const axes = dims.length;
  const n = dims.reduce((a, b) => a * b, 1);
  if (y.length !== 2 * n) throw new RangeError(`proxTV: y has length ${y.length}, dims need ${2 * n}`);
  const x = out ?? new Float32Array(y.length);
  if (lambda === 0) {
    x.set(y);
    return x;
  }
  const iterations = options.iterations ?? 100;
  const tol = options.tolerance ?? 1e-4;
  const L = 4 * axes;
  const q = options.dual && options.dual.length === 2 * axes * n ? options.dual : new Float32Array(2 * axes * n);
  projectL2InfBall(q, lambda, axes, n, q);
  const r = Float32Array.from(q);
  const qOld = new Float32Array(q.length);
  const g = new Float32Array(q.length);
  const xPrev = new Float32Array(y.length);
  let t = 1;
  for (let it = 0; it < iterations; it++) {
    // x at the extrapolated dual point, then a projected gradient step on the dual.
    D.adjoint(r, x);
    for (let i = 0; i < x.length; i++) x[i] = y[i] - x[i];
    D.forward(x, g);
    qOld.set(q);
    for (let i = 0; i < q.length; i++) q[i] = r[i] + g[i] / L;
    projectL2InfBall(q, lambda, axes, n, q);
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    for (let i = 0; i < q.length; i++) r[i] = q[i] + beta * (q[i] - qOld[i]);
    t = tNext;
    if (tol > 0 && it > 0) {
      let dx = 0;
      let nx = 0;
      for (let i = 0; i < x.length; i++) {
        dx += (x[i] - xPrev[i]) ** 2;
        nx += x[i] * x[i];
      }
      if (dx <= tol * tol * nx) break;
    }
    xPrev.set(x);
  }
  D.adjoint(q, x);
  for (let i = 0; i < x.length; i++) x[i] = y[i] - x[i];
  return x;
}

/** Isotropic TV value ‖D x‖_{2,1} (unweighted). */
export function tvNorm(x: Float32Array, dims: readonly [number, number] | readonly [number, number, number]): number {
  const n = dims.reduce((a, b) => a * b, 1);
  return l21Norm(gradOp(dims).forward(x), dims.length, n);
}

/**
 * g(x) = λ TV(x) as a ProxFunction. It keeps the last dual field to warm-start the next call, which
 * FISTA's slowly moving iterates make much cheaper; the state only speeds convergence, never the answer.
 */
export function tv(
  lambda: number,
  dims: readonly [number, number] | readonly [number, number, number],
  options: { iterations?: number; tolerance?: number } = {},
): ProxFunction {
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  const n = dims.reduce((a, b) => a * b, 1);
  const dual = new Float32Array(2 * dims.length * n);
  let lastRadius = 0;
  return {
    name: 'tv',
    value: (x) => lambda * tvNorm(x, dims),
    prox(v, t, out) {
      const radius = t * lambda;
      if (lastRadius > 0 && radius !== lastRadius) for (let i = 0; i < dual.length; i++) dual[i] *= radius / lastRadius;
      lastRadius = radius;
      return proxTV(v, radius, dims, { iterations: options.iterations ?? 20, tolerance: options.tolerance ?? 1e-4, dual }, out);
    },
  };
}
