/**
 * Proximal map of isotropic total variation, prox_{λ TV}(y) = argmin_x ½‖x − y‖² + λ‖D x‖_{2,1},
 * by Chambolle's dual projection accelerated as in Beck & Teboulle's FGP (2009):
 *   x = y − Dᴴ q,  q* = argmin_{‖q‖_{2,∞} ≤ λ} ½‖y − Dᴴ q‖²,
 * solved by projected (Nesterov) gradient with step 1/‖D‖² (‖D‖² ≤ 4·Σ_k w_k², gradNormBound).
 * D is the forward-difference gradient of ops/finite-diff: 2-D, or 3-D across slices, optionally with
 * per-axis weights and Neumann boundaries (GradOptions; 3-D TV of a volume uses a through-plane weight
 * and no wrap-around between the first and last slice).
 *
 * Fused kernels (no operator calls, no allocation per iteration) cover the 2-D periodic case and the
 * 3-D case with periodic in-plane axes; anything else runs the operator-based loop (proxTVReference).
 *
 * Only the TV-FISTA path needs this (ADMM and PDHG handle TV through D directly); it is also the
 * reference the TV solvers are tested against.
 */
import {
  type GradDims,
  type GradKernels,
  type GradOptions,
  gradKernels,
  gradNormBound,
  gradOp,
  resolveGradOptions,
} from '../ops/finite-diff';
import { projectL2InfBall, l21Norm } from './linf-ball';
import type { ProxFunction } from './types';

export interface ProxTVOptions extends GradOptions {
  iterations?: number;
  /** stop when ‖x_k − x_{k−1}‖ ≤ tol·‖x_k‖ */
  tolerance?: number;
  /** warm-start dual field [axes, …dims]; updated in place with the final dual */
  dual?: Float32Array;
}

export function proxTV(
  y: Float32Array,
  lambda: number,
  dims: GradDims,
  options: ProxTVOptions = {},
  out?: Float32Array,
): Float32Array {
  return proxTVImpl(y, lambda, dims, options, out, true);
}

/** proxTV through the operator-based loop only (the fused kernels are tested against it). */
export function proxTVReference(
  y: Float32Array,
  lambda: number,
  dims: GradDims,
  options: ProxTVOptions = {},
  out?: Float32Array,
): Float32Array {
  return proxTVImpl(y, lambda, dims, options, out, false);
}

function proxTVImpl(
  y: Float32Array,
  lambda: number,
  dims: GradDims,
  options: ProxTVOptions,
  out: Float32Array | undefined,
  fused: boolean,
): Float32Array {
  if (!(lambda >= 0)) throw new RangeError(`proxTV: lambda must be ≥ 0, got ${lambda}`);
  const D = gradOp(dims, options);
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
  const L = gradNormBound(dims, options);
  if (!(L > 0)) {
    // every weight 0: TV ≡ 0
    x.set(y);
    return x;
  }
  const q = options.dual && options.dual.length === 2 * axes * n ? options.dual : new Float32Array(2 * axes * n);
  projectL2InfBall(q, lambda, axes, n, q);
  const fast = fused ? gradKernels(dims, options) : null;
  if (fast) {
    const [weights, periodic] = resolveGradOptions(dims, options);
    const dual: FgpDualStep =
      dims.length === 2
        ? (x, r, q, lambda, beta) => dualStep2d(x, r, q, dims[0], dims[1], lambda, beta)
        : (x, r, q, lambda, beta) => dualStep3d(x, r, q, dims, weights, periodic[0], lambda, beta);
    fgpFused(x === y ? Float32Array.from(y) : y, lambda, iterations, tol, q, x, fast, dual);
    return x;
  }
  const r = Float32Array.from(q);
  const qOld = new Float32Array(q.length);
  const g = new Float32Array(q.length);
  const xPrev = new Float32Array(y.length);
  const yIn = x === y ? Float32Array.from(y) : y;
  let t = 1;
  for (let it = 0; it < iterations; it++) {
    // x at the extrapolated dual point, then a projected gradient step on the dual.
    D.adjoint(r, x);
    for (let i = 0; i < x.length; i++) x[i] = yIn[i] - x[i];
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
  for (let i = 0; i < x.length; i++) x[i] = yIn[i] - x[i];
  return x;
}

/** The extrapolated dual r of the fused FGP loops, kept between calls of the same size (single-threaded: no reentrancy). */
let scratch: Float32Array | null = null;

/**
 * Pass 2 of a fused FGP iteration, per pixel: the dual step q⁺ = Π_λ(r + D x / L), the extrapolation
 * r ← q⁺ + β(q⁺ − q), and q ← q⁺.
 */
type FgpDualStep = (x: Float32Array, r: Float32Array, q: Float32Array, lambda: number, beta: number) => void;

/**
 * The FGP loop of proxTV with D, Dᴴ and the projection fused into two passes per iteration (no operator
 * calls, no allocation): pass 1, D's divergence kernel, forms x = y − Dᴴr (and ‖Δx‖ for the stopping
 * test), pass 2 the dual step. q: dual, feasible on entry, updated in place; x receives the result.
 */
function fgpFused(
  y: Float32Array,
  lambda: number,
  iterations: number,
  tol: number,
  q: Float32Array,
  x: Float32Array,
  D: GradKernels,
  dual: FgpDualStep,
): void {
  if (!scratch || scratch.length !== q.length) scratch = new Float32Array(q.length);
  const r = scratch;
  r.set(q);
  const tol2 = tol * tol;
  let t = 1;
  for (let it = 0; it < iterations; it++) {
    const dxn = D.divergence(r, x, y, it > 0);
    if (it > 0 && tol > 0 && dxn[0] <= tol2 * dxn[1]) break;
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const beta = (t - 1) / tNext;
    t = tNext;
    dual(x, r, q, lambda, beta);
  }
  D.divergence(q, x, y, false);
}

/** FgpDualStep for the 2-D periodic D, step 1/8; q, r: [2, h, w] (∂y, ∂x). */
function dualStep2d(x: Float32Array, r: Float32Array, q: Float32Array, h: number, w: number, lambda: number, beta: number): void {
  const n2 = 2 * h * w;
  const lam2 = lambda * lambda;
  // apart from dualStep3d, every component written out: the innermost loop of TV-FISTA
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

/**
 * FgpDualStep for the 3-D D with periodic in-plane axes: components (∂z, ∂y, ∂x) with weights
 * (wz, wy, wx), periodic or Neumann through-plane (zPeriodic), step 1/L with L = 4·(wz² + wy² + wx²);
 * q, r: [3, S, H, W].
 */
function dualStep3d(
  x: Float32Array,
  r: Float32Array,
  q: Float32Array,
  dims: readonly [number, number, number],
  weights: readonly number[],
  zPeriodic: boolean,
  lambda: number,
  beta: number,
): void {
  const [s, h, w] = dims;
  const [wz, wy, wx] = weights;
  const L = 4 * (wz * wz + wy * wy + wx * wx);
  const cz = wz / L;
  const cy = wy / L;
  const cx = wx / L;
  const lam2 = lambda * lambda;
  const plane = 2 * h * w;
  const oy = s * plane;
  const ox = 2 * oy;
  // apart from dualStep2d, every component written out: the innermost loop of 3-D TV-FISTA
  for (let z = 0; z < s; z++) {
    const zRow = z * plane;
    // the next plane, or −1 on the last plane of a Neumann (non-periodic) axis: no difference there
    const zNext = z < s - 1 ? zRow + plane : zPeriodic ? 0 : -1;
    for (let yy = 0; yy < h; yy++) {
      const row = zRow + 2 * yy * w;
      const down = zRow + 2 * (yy === h - 1 ? 0 : yy + 1) * w;
      for (let xx = 0; xx < w; xx++) {
        const p = row + 2 * xx;
        const pd = down + 2 * xx;
        const pr = row + 2 * (xx === w - 1 ? 0 : xx + 1);
        const x0 = x[p];
        const x1 = x[p + 1];
        let az = r[p];
        let bz = r[p + 1];
        if (zNext >= 0) {
          const pn = p - zRow + zNext;
          az += cz * (x[pn] - x0);
          bz += cz * (x[pn + 1] - x1);
        }
        const ay = r[oy + p] + cy * (x[pd] - x0);
        const by = r[oy + p + 1] + cy * (x[pd + 1] - x1);
        const ax = r[ox + p] + cx * (x[pr] - x0);
        const bx = r[ox + p + 1] + cx * (x[pr + 1] - x1);
        const ss = az * az + bz * bz + ay * ay + by * by + ax * ax + bx * bx;
        const f = ss > lam2 ? lambda / Math.sqrt(ss) : 1;
        const qz0 = az * f;
        const qz1 = bz * f;
        const qy0 = ay * f;
        const qy1 = by * f;
        const qx0 = ax * f;
        const qx1 = bx * f;
        r[p] = qz0 + beta * (qz0 - q[p]);
        r[p + 1] = qz1 + beta * (qz1 - q[p + 1]);
        r[oy + p] = qy0 + beta * (qy0 - q[oy + p]);
        r[oy + p + 1] = qy1 + beta * (qy1 - q[oy + p + 1]);
        r[ox + p] = qx0 + beta * (qx0 - q[ox + p]);
        r[ox + p + 1] = qx1 + beta * (qx1 - q[ox + p + 1]);
        q[p] = qz0;
        q[p + 1] = qz1;
        q[oy + p] = qy0;
        q[oy + p + 1] = qy1;
        q[ox + p] = qx0;
        q[ox + p + 1] = qx1;
      }
    }
  }
}

/** Isotropic TV value ‖D x‖_{2,1} (with the operator's weights and boundaries, default unweighted periodic). */
export function tvNorm(x: Float32Array, dims: GradDims, options: GradOptions = {}): number {
  const n = dims.reduce((a, b) => a * b, 1);
  if (x.length !== 2 * n) throw new RangeError(`tvNorm: x has length ${x.length}, dims need ${2 * n}`);
  const fast = gradKernels(dims, options);
  if (fast) return fast.gradient(x, null);
  return l21Norm(gradOp(dims, options).forward(x), dims.length, n);
}

/**
 * g(x) = λ TV(x) as a ProxFunction. It keeps the last dual field to warm-start the next call, which
 * FISTA's slowly moving iterates make much cheaper; the state only speeds convergence, never the answer.
 * GradOptions (weights, boundaries) choose the TV (e.g. 3-D with a through-plane weight).
 */
export function tv(
  lambda: number,
  dims: GradDims,
  options: { iterations?: number; tolerance?: number } & GradOptions = {},
): ProxFunction {
  if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
  const geometry: GradOptions = { weights: options.weights, periodic: options.periodic };
  resolveGradOptions(dims, geometry);
  const n = dims.reduce((a, b) => a * b, 1);
  const dual = new Float32Array(2 * dims.length * n);
  let lastRadius = 0;
  return {
    name: 'tv',
    value: (x) => lambda * tvNorm(x, dims, geometry),
    prox(v, t, out) {
      const radius = t * lambda;
      if (lastRadius > 0 && radius !== lastRadius) for (let i = 0; i < dual.length; i++) dual[i] *= radius / lastRadius;
      lastRadius = radius;
      return proxTV(
        v,
        radius,
        dims,
        { iterations: options.iterations ?? 20, tolerance: options.tolerance ?? 1e-4, dual, ...geometry },
        out,
      );
    },
  };
}
