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
  if (axes === 2) {
    fgp2d(x === y ? Float32Array.from(y) : y, lambda, dims[0], dims[1], iterations, tol, q, x);
    return x;
  }
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

/** Scratch for fgp2d, kept between calls of the same size (single-threaded: no reentrancy). */
let scratch: Float32Array | null = null;

/**
 * The 2-D FGP loop of proxTV with the periodic D, Dᴴ and the projection fused into two passes per
 * iteration (no operator calls, no allocation): pass 1 forms x = y − Dᴴr (and ‖Δx‖ for the stopping
 * test), pass 2 the dual step q⁺ = Π(r + Dx/8) and the extrapolation r = q⁺ + β(q⁺ − q) per pixel.
 * q: dual [2, h, w] (∂y, ∂x), feasible on entry, updated in place; x receives the result.
 */
function fgp2d(
  y: Float32Array,
  lambda: number,
  h: number,
  w: number,
  iterations: number,
  tol: number,
  q: Float32Array,
  x: Float32Array,
): void {
  const n = h * w;
  const n2 = 2 * n;
  if (!scratch || scratch.length !== 2 * n2) scratch = new Float32Array(2 * n2);
  const r = scratch;
  r.set(q);
  const lam2 = lambda * lambda;
  const tol2 = tol * tol;
  let t = 1;
  for (let it = 0; it < iterations; it++) {
    // x = y − Dᴴ r, (Dᴴ r)(p) = r_y(p − row) − r_y(p) + r_x(p − 1) − r_x(p).
    const dxn = divergenceStep(y, r, x, h, w, it > 0);
    if (it > 0 && tol > 0 && dxn[0] <= tol2 * dxn[1]) break;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    t = tNext;
    for (let yy = 0; yy < h; yy++) {
      const row = 2 * yy * w;
      const down = 2 * (yy === h - 1 ? 0 : yy + 1) * w;
      for (let xx = 0; xx < w; xx++) {
        const p = row + 2 * xx;
        const pd = down + 2 * xx;
        const pr = row + 2 * (xx === w - 1 ? 0 : xx + 1);
        const x0 = x[p];
        const x1 = x[p + 1];
        const ay = r[p] + 0.125 * (x[pd] - x0);
        const by = r[p + 1] + 0.125 * (x[pd + 1] - x1);
        const ax = r[n2 + p] + 0.125 * (x[pr] - x0);
        const bx = r[n2 + p + 1] + 0.125 * (x[pr + 1] - x1);
        const s = ay * ay + by * by + ax * ax + bx * bx;
        const f = s > lam2 ? lambda / Math.sqrt(s) : 1;
        const qy0 = ay * f;
        const qy1 = by * f;
        const qx0 = ax * f;
        const qx1 = bx * f;
        r[p] = qy0 + beta * (qy0 - q[p]);
        r[p + 1] = qy1 + beta * (qy1 - q[p + 1]);
        r[n2 + p] = qx0 + beta * (qx0 - q[n2 + p]);
        r[n2 + p + 1] = qx1 + beta * (qx1 - q[n2 + p + 1]);
        q[p] = qy0;
        q[p + 1] = qy1;
        q[n2 + p] = qx0;
        q[n2 + p + 1] = qx1;
      }
    }
  }
  divergenceStep(y, q, x, h, w, false);
}

const dxnOut = [0, 0];

/** x ← y − Dᴴ g (2-D periodic); with track, returns [‖x_new − x_old‖², ‖x_new‖²]. */
function divergenceStep(y: Float32Array, g: Float32Array, x: Float32Array, h: number, w: number, track: boolean): number[] {
  const n2 = 2 * h * w;
  let d2 = 0;
  let nn = 0;
  for (let yy = 0; yy < h; yy++) {
    const row = 2 * yy * w;
    const up = 2 * (yy === 0 ? h - 1 : yy - 1) * w;
    for (let xx = 0; xx < w; xx++) {
      const p = row + 2 * xx;
      const pu = up + 2 * xx;
      const pl = row + 2 * (xx === 0 ? w - 1 : xx - 1);
      const v0 = y[p] - (g[pu] - g[p] + g[n2 + pl] - g[n2 + p]);
      const v1 = y[p + 1] - (g[pu + 1] - g[p + 1] + g[n2 + pl + 1] - g[n2 + p + 1]);
      if (track) {
        const e0 = v0 - x[p];
        const e1 = v1 - x[p + 1];
        d2 += e0 * e0 + e1 * e1;
        nn += v0 * v0 + v1 * v1;
      }
      x[p] = v0;
      x[p + 1] = v1;
    }
  }
  dxnOut[0] = d2;
  dxnOut[1] = nn;
  return dxnOut;
}

/** Isotropic 2-D periodic TV ‖D x‖_{2,1} without forming D x. */
function tvNorm2d(x: Float32Array, h: number, w: number): number {
  let total = 0;
  for (let yy = 0; yy < h; yy++) {
    const row = 2 * yy * w;
    const down = 2 * (yy === h - 1 ? 0 : yy + 1) * w;
    for (let xx = 0; xx < w; xx++) {
      const p = row + 2 * xx;
      const pd = down + 2 * xx;
      const pr = row + 2 * (xx === w - 1 ? 0 : xx + 1);
      const a = x[pd] - x[p];
      const b = x[pd + 1] - x[p + 1];
      const c = x[pr] - x[p];
      const d = x[pr + 1] - x[p + 1];
      total += Math.sqrt(a * a + b * b + c * c + d * d);
    }
  }
  return total;
}

/** Isotropic TV value ‖D x‖_{2,1} (unweighted). */
export function tvNorm(x: Float32Array, dims: readonly [number, number] | readonly [number, number, number]): number {
  if (dims.length === 2 && x.length === 2 * dims[0] * dims[1]) return tvNorm2d(x, dims[0], dims[1]);
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
