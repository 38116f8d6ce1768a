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
import { type LinearOperator, assertPositiveInt, checkedOperator } from './linop';

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
  const fast = gradKernels(dims, options);
  if (fast) {
    return checkedOperator(
      'D',
      'grad',
      inShape,
      outShape,
      (x, o) => fast.gradient(x, o),
      (g, o) => fast.divergence(g, o, null, false),
    );
  }

  // Any other boundary combination: per-axis strided loops (per axis: extent and stride in complex elements).
  const strides = nd === 2 ? [dims[1], 1] : [dims[1] * dims[2], dims[2], 1];
  return checkedOperator(
    'D',
    'grad',
    inShape,
    outShape,
    (x, o) => {
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
    },
    (g, o) => {
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
    },
  );
}

// ---- the fast paths' fused kernels, shared with prox/tv (FGP loops, TV value) ---------------------

/** D and Dᴴ as single passes without strides or allocation, for the fast paths. */
export interface GradKernels {
  /** D x into o [axes, …dims]; with o null, ‖D x‖_{2,1} instead (the TV value without forming D x), which it returns */
  gradient(x: Float32Array, o: Float32Array | null): number;
  /**
   * x ← Dᴴ g, or with y, x ← y − Dᴴ g (the FGP primal step); with track, returns [‖x_new − x_old‖²,
   * ‖x_new‖²] (a shared array, valid until the next call)
   */
  divergence(g: Float32Array, x: Float32Array, y: Float32Array | null, track: boolean): readonly number[];
}

/**
 * The fused kernels of D (options as gradOp) where it has a fast path: 2-D with unit weights, periodic;
 * 3-D with periodic in-plane axes (any weights, either through-plane boundary). Null otherwise.
 */
export function gradKernels(dims: GradDims, options: GradOptions = {}): GradKernels | null {
  if (dims.length === 2) {
    if (!isPlainGrad(options)) return null;
    const [h, w] = dims;
    return {
      gradient: (x, o) => gradient2d(x, o, h, w),
      divergence: (g, x, y, track) => divergence2d(g, x, h, w, y, track),
    };
  }
  const [weights, periodic] = resolveGradOptions(dims, options);
  if (!periodic[1] || !periodic[2]) return null;
  return {
    gradient: (x, o) => gradient3d(x, o, dims, weights, periodic[0]),
    divergence: (g, x, y, track) => divergence3d(g, x, dims, weights, periodic[0], y, track),
  };
}

// 2-D and 3-D have kernels of their own with every axis written out (no loop over axes, no strides): they
// run once or twice per solver iteration, where gradOp's generic strided loops are several times slower.

/** [‖x_new − x_old‖², ‖x_new‖²] of the last divergence call with track (reused: no allocation per call). */
const change = [0, 0];

/** GradKernels.gradient, 2-D periodic with unit weights: components (∂y, ∂x). */
function gradient2d(x: Float32Array, o: Float32Array | null, h: number, w: number): number {
  const n2 = 2 * h * w;
  let total = 0;
  for (let y = 0; y < h; y++) {
    const row = 2 * y * w;
    const down = 2 * (y === h - 1 ? 0 : y + 1) * w;
    for (let c = 0; c < w; c++) {
      const p = row + 2 * c;
      const pd = down + 2 * c;
      const pr = row + 2 * (c === w - 1 ? 0 : c + 1);
      const ay = x[pd] - x[p];
      const by = x[pd + 1] - x[p + 1];
      const ax = x[pr] - x[p];
      const bx = x[pr + 1] - x[p + 1];
      if (o) {
        o[p] = ay;
        o[p + 1] = by;
        o[n2 + p] = ax;
        o[n2 + p + 1] = bx;
      } else {
        total += Math.sqrt(ay * ay + by * by + ax * ax + bx * bx);
      }
    }
  }
  return total;
}

/** GradKernels.divergence, 2-D periodic with unit weights: (Dᴴ g)(p) = g_y(p − row) − g_y(p) + g_x(p − 1) − g_x(p). */
function divergence2d(
  g: Float32Array,
  x: Float32Array,
  h: number,
  w: number,
  y: Float32Array | null,
  track: boolean,
): readonly number[] {
  const n2 = 2 * h * w;
  let d2 = 0;
  let nn = 0;
  for (let yy = 0; yy < h; yy++) {
    const row = 2 * yy * w;
    const up = 2 * (yy === 0 ? h - 1 : yy - 1) * w;
    for (let c = 0; c < w; c++) {
      const p = row + 2 * c;
      const pu = up + 2 * c;
      const pl = row + 2 * (c === 0 ? w - 1 : c - 1);
      const d0 = g[pu] - g[p] + g[n2 + pl] - g[n2 + p];
      const d1 = g[pu + 1] - g[p + 1] + g[n2 + pl + 1] - g[n2 + p + 1];
      const v0 = y ? y[p] - d0 : d0;
      const v1 = y ? y[p + 1] - d1 : d1;
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
  change[0] = d2;
  change[1] = nn;
  return change;
}

/**
 * GradKernels.gradient, 3-D with periodic in-plane axes: components (w_z ∂z, w_y ∂y, w_x ∂x), zPeriodic
 * the through-plane boundary.
 */
function gradient3d(
  x: Float32Array,
  o: Float32Array | null,
  dims: readonly [number, number, number],
  weights: readonly number[],
  zPeriodic: boolean,
): number {
  const [s, h, w] = dims;
  const [wz, wy, wx] = weights;
  const plane = 2 * h * w;
  const oy = s * plane;
  const ox = 2 * oy;
  let total = 0;
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
        let az = 0;
        let bz = 0;
        if (zNext >= 0) {
          const pn = p - zRow + zNext;
          az = wz * (x[pn] - x[p]);
          bz = wz * (x[pn + 1] - x[p + 1]);
        }
        const ay = wy * (x[pd] - x[p]);
        const by = wy * (x[pd + 1] - x[p + 1]);
        const ax = wx * (x[pr] - x[p]);
        const bx = wx * (x[pr + 1] - x[p + 1]);
        if (o) {
          o[p] = az;
          o[p + 1] = bz;
          o[oy + p] = ay;
          o[oy + p + 1] = by;
          o[ox + p] = ax;
          o[ox + p + 1] = bx;
        } else {
          total += Math.sqrt(ay * ay + by * by + ax * ax + bx * bx + az * az + bz * bz);
        }
      }
    }
  }
  return total;
}

/** GradKernels.divergence, 3-D with periodic in-plane axes (weights and zPeriodic as gradient3d). */
function divergence3d(
  g: Float32Array,
  x: Float32Array,
  dims: readonly [number, number, number],
  weights: readonly number[],
  zPeriodic: boolean,
  y: Float32Array | null,
  track: boolean,
): readonly number[] {
  const [s, h, w] = dims;
  const [wz, wy, wx] = weights;
  const plane = 2 * h * w;
  const oy = s * plane;
  const ox = 2 * oy;
  let d2 = 0;
  let nn = 0;
  for (let z = 0; z < s; z++) {
    const zRow = z * plane;
    // g_z(i − e_z) exists unless on the first plane of a Neumann axis; g_z(i) unless on the last
    const zPrev = z > 0 ? zRow - plane : zPeriodic ? (s - 1) * plane : -1;
    const self = z < s - 1 || zPeriodic ? 1 : 0;
    for (let yy = 0; yy < h; yy++) {
      const row = zRow + 2 * yy * w;
      const up = zRow + 2 * (yy === 0 ? h - 1 : yy - 1) * w;
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
        const d0 = wz * dz0 + wy * (g[oy + pu] - g[oy + p]) + wx * (g[ox + pl] - g[ox + p]);
        const d1 = wz * dz1 + wy * (g[oy + pu + 1] - g[oy + p + 1]) + wx * (g[ox + pl + 1] - g[ox + p + 1]);
        const v0 = y ? y[p] - d0 : d0;
        const v1 = y ? y[p + 1] - d1 : d1;
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
  }
  change[0] = d2;
  change[1] = nn;
  return change;
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
