/**
 * Finite-difference gradient D for isotropic total variation.
 *   2-D: image [H, W]    → [2, H, W]    (component 0: ∂y, 1: ∂x)
 *   3-D: volume [S, H, W] → [3, S, H, W] (component 0: ∂slice, 1: ∂y, 2: ∂x)
 * Forward differences with PERIODIC boundary: (∂x u)(y, x) = u(y, (x+1) mod W) − u(y, x).
 * Periodic (as in BART's TV) makes DᴴD circulant, hence diagonal in the Fourier domain, which lets the
 * single-coil ADMM solve its x-update exactly with two FFTs (see laplacianEigenvalues). The adjoint is
 * the negative backward-difference divergence: (Dᴴ g)(i) = Σ_k g_k(i − e_k) − g_k(i).
 * ‖D‖² ≤ 4·(number of axes).
 *
 * Options (GradOptions), per axis: a weight w_k (component k is w_k times the difference; 3-D TV uses a
 * through-plane weight for anisotropic voxels) and the boundary (periodic, or Neumann: no difference
 * across the last → first edge, component k is 0 on the last plane). Then (Dᴴ g)(i) =
 * Σ_k w_k (g_k(i − e_k)·[i_k > 0 or periodic] − g_k(i)·[i_k < len_k − 1 or periodic]) and
 * ‖D‖² ≤ 4·Σ_k w_k² (gradNormBound). The defaults (all 1, all periodic) are the operator above.
 */
import { type LinearOperator, assertPositiveInt, checkIn, outFor } from './linop';

export type GradDims = readonly [number, number] | readonly [number, number, number];

export interface GradOptions {
  /** per-axis weights w_k ≥ 0 (default all 1) */
  weights?: readonly number[];
  /** per-axis boundary: true periodic (default), false Neumann */
  periodic?: readonly boolean[];
}

/** The options filled in and checked against dims: [weights, periodic]. */
export function resolveGradOptions(dims: GradDims, options: GradOptions = {}): [number[], boolean[]] {
  const nd = dims.length;
  const weights = options.weights ? [...options.weights] : new Array<number>(nd).fill(1);
  const periodic = options.periodic ? [...options.periodic] : new Array<boolean>(nd).fill(true);
  if (weights.length !== nd) throw new RangeError(`gradOp: weights needs ${nd} entries, got ${weights.length}`);
  if (periodic.length !== nd) throw new RangeError(`gradOp: periodic needs ${nd} entries, got ${periodic.length}`);
  weights.forEach((v, i) => {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`gradOp: weights[${i}] must be a finite number ≥ 0, got ${v}`);
  });
  return [weights, periodic];
}

/** True for the plain operator (unit weights, periodic on every axis). */
export function isPlainGrad(options: GradOptions = {}): boolean {
  return (options.weights ?? []).every((v) => v === 1) && (options.periodic ?? []).every((p) => p);
}

/** Upper bound on ‖D‖²: 4·Σ_k w_k² (the step size of the TV dual iterations). */
export function gradNormBound(dims: GradDims, options: GradOptions = {}): number {
  const [weights] = resolveGradOptions(dims, options);
  return 4 * weights.reduce((a, v) => a + v * v, 0);
}

export function gradOp(dims: GradDims, options: GradOptions = {}): LinearOperator {
  if (dims.length !== 2 && dims.length !== 3) throw new RangeError('gradOp: dims must be [H, W] or [S, H, W]');
  dims.forEach((d, i) => assertPositiveInt(d, `dims[${i}]`));
  const [weights, periodic] = resolveGradOptions(dims, options);
  const nd = dims.length;
  const n = dims.reduce((a, b) => a * b, 1);
  const inShape = [...dims];
  const outShape = [nd, ...dims];
  // Per axis: extent and stride in complex elements.
  const strides = nd === 2 ? [dims[1], 1] : [dims[1] * dims[2], dims[2], 1];

  if (nd === 2 && isPlainGrad(options)) {
    // 2-D fast path: one pass per direction, no inner stride loops.
    const [h, w] = dims;
    const n2 = 2 * n;
    return {
      name: 'D',
      inShape,
      outShape,
      forward(x, out) {
        checkIn(x, inShape, 'grad.forward');
        const o = outFor(out, outShape, 'grad.forward');
        for (let y = 0; y < h; y++) {
          const row = 2 * y * w;
          const down = 2 * (y === h - 1 ? 0 : y + 1) * w;
          for (let c = 0; c < w; c++) {
            const p = row + 2 * c;
            const pd = down + 2 * c;
            const pr = row + 2 * (c === w - 1 ? 0 : c + 1);
            const xr = x[p];
            const xi = x[p + 1];
            o[p] = x[pd] - xr;
            o[p + 1] = x[pd + 1] - xi;
            o[n2 + p] = x[pr] - xr;
            o[n2 + p + 1] = x[pr + 1] - xi;
          }
        }
        return o;
      },
      adjoint(g, out) {
        checkIn(g, outShape, 'grad.adjoint');
        const o = outFor(out, inShape, 'grad.adjoint');
        for (let y = 0; y < h; y++) {
          const row = 2 * y * w;
          const up = 2 * (y === 0 ? h - 1 : y - 1) * w;
          for (let c = 0; c < w; c++) {
            const p = row + 2 * c;
            const pu = up + 2 * c;
            const pl = row + 2 * (c === 0 ? w - 1 : c - 1);
            o[p] = g[pu] - g[p] + g[n2 + pl] - g[n2 + p];
            o[p + 1] = g[pu + 1] - g[p + 1] + g[n2 + pl + 1] - g[n2 + p + 1];
          }
        }
        return o;
      },
    };
  }

  if (nd === 3 && periodic[1] && periodic[2]) {
    // 3-D fast path (periodic in-plane, either through-plane boundary): one pass over the volume.
    const [s, h, w] = dims;
    const [wz, wy, wx] = weights;
    const zPeriodic = periodic[0];
    const plane = 2 * h * w;
    const oy = 2 * n;
    const ox = 4 * n;
    return {
      name: 'D',
      inShape,
      outShape,
      forward(x, out) {
        checkIn(x, inShape, 'grad.forward');
        const o = outFor(out, outShape, 'grad.forward');
        for (let z = 0; z < s; z++) {
          const zRow = z * plane;
          // the next plane, or −1 on the last plane of a Neumann axis (no difference there)
          const zNext = z < s - 1 ? zRow + plane : zPeriodic ? 0 : -1;
          for (let y = 0; y < h; y++) {
            const row = zRow + 2 * y * w;
            const down = zRow + 2 * (y === h - 1 ? 0 : y + 1) * w;
            for (let c = 0; c < w; c++) {
              const p = row + 2 * c;
              const pd = down + 2 * c;
              const pr = row + 2 * (c === w - 1 ? 0 : c + 1);
              const xr = x[p];
              const xi = x[p + 1];
              if (zNext >= 0) {
                const pn = p - zRow + zNext;
                o[p] = wz * (x[pn] - xr);
                o[p + 1] = wz * (x[pn + 1] - xi);
              } else {
                o[p] = 0;
                o[p + 1] = 0;
              }
              o[oy + p] = wy * (x[pd] - xr);
              o[oy + p + 1] = wy * (x[pd + 1] - xi);
              o[ox + p] = wx * (x[pr] - xr);
              o[ox + p + 1] = wx * (x[pr + 1] - xi);
            }
          }
        }
        return o;
      },
      adjoint(g, out) {
        checkIn(g, outShape, 'grad.adjoint');
        const o = outFor(out, inShape, 'grad.adjoint');
        for (let z = 0; z < s; z++) {
          const zRow = z * plane;
          // g_z(i − e_z) exists unless on the first plane of a Neumann axis; g_z(i) unless on the last
          const zPrev = z > 0 ? zRow - plane : zPeriodic ? (s - 1) * plane : -1;
          const self = z < s - 1 || zPeriodic ? 1 : 0;
          for (let y = 0; y < h; y++) {
            const row = zRow + 2 * y * w;
            const up = zRow + 2 * (y === 0 ? h - 1 : y - 1) * w;
            for (let c = 0; c < w; c++) {
              const p = row + 2 * c;
              const pu = up + 2 * c;
              const pl = row + 2 * (c === 0 ? w - 1 : c - 1);
              let dz0 = -self * g[p];
              let dz1 = -self * g[p + 1];
              if (zPrev >= 0) {
                const pp = p - zRow + zPrev;
                dz0 += g[pp];
                dz1 += g[pp + 1];
              }
              o[p] = wz * dz0 + wy * (g[oy + pu] - g[oy + p]) + wx * (g[ox + pl] - g[ox + p]);
              o[p + 1] = wz * dz1 + wy * (g[oy + pu + 1] - g[oy + p + 1]) + wx * (g[ox + pl + 1] - g[ox + p + 1]);
            }
          }
        }
        return o;
      },
    };
  }

  // Any other boundary combination: per-axis strided loops.
  return {
    name: 'D',
    inShape,
    outShape,
    forward(x, out) {
      checkIn(x, inShape, 'grad.forward');
      const o = outFor(out, outShape, 'grad.forward');
      for (let k = 0; k < nd; k++) {
        const len = dims[k];
        const st = strides[k];
        const outer = n / (len * st);
        const base = 2 * k * n;
        const wk = weights[k];
        for (let a = 0; a < outer; a++) {
          for (let c = 0; c < len; c++) {
            const i0 = 2 * (a * len + c) * st;
            if (c === len - 1 && !periodic[k]) {
              o.fill(0, base + i0, base + i0 + 2 * st);
              continue;
            }
            const j0 = 2 * (a * len + (c === len - 1 ? 0 : c + 1)) * st;
            for (let b = 0; b < 2 * st; b++) o[base + i0 + b] = wk * (x[j0 + b] - x[i0 + b]);
          }
        }
      }
      return o;
    },
    adjoint(g, out) {
      checkIn(g, outShape, 'grad.adjoint');
      const o = outFor(out, inShape, 'grad.adjoint');
      o.fill(0);
      for (let k = 0; k < nd; k++) {
        const len = dims[k];
        const st = strides[k];
        const outer = n / (len * st);
        const base = 2 * k * n;
        const wk = weights[k];
        const wrap = periodic[k];
        for (let a = 0; a < outer; a++) {
          for (let c = 0; c < len; c++) {
            const i0 = 2 * (a * len + c) * st;
            const prev = c > 0 || wrap; // g_k(i − e_k) exists
            const self = c < len - 1 || wrap; // g_k(i) is a real difference
            const j0 = 2 * (a * len + (c === 0 ? len - 1 : c - 1)) * st;
            for (let b = 0; b < 2 * st; b++) {
              o[i0 + b] += wk * ((prev ? g[base + j0 + b] : 0) - (self ? g[base + i0 + b] : 0));
            }
          }
        }
      }
      return o;
    },
  };
}

/**
 * Eigenvalues of DᴴD (2-D, periodic) laid out on the CENTRED k-space grid of fft2c: the entry at (ky, kx)
 * is 4 sin²(π fy / H) + 4 sin²(π fx / W) with f = index − ⌊n/2⌋. Circular shifts commute with circulant
 * operators, so the fftshift/ifftshift of the centred FFT only relabels the frequencies.
 */
export function laplacianEigenvalues(h: number, w: number): Float32Array {
  const ey = new Float64Array(h);
  const ex = new Float64Array(w);
  for (let y = 0; y < h; y++) ey[y] = 4 * Math.sin((Math.PI * (y - (h >> 1))) / h) ** 2;
  for (let x = 0; x < w; x++) ex[x] = 4 * Math.sin((Math.PI * (x - (w >> 1))) / w) ** 2;
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = ey[y] + ex[x];
  return out;
}
