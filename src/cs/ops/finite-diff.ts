/**
 * Finite-difference gradient D for isotropic total variation.
 *   2-D: image [H, W]    → [2, H, W]    (component 0: ∂y, 1: ∂x)
 *   3-D: volume [S, H, W] → [3, S, H, W] (component 0: ∂slice, 1: ∂y, 2: ∂x)
 * Forward differences with PERIODIC boundary: (∂x u)(y, x) = u(y, (x+1) mod W) − u(y, x).
 * Periodic (as in BART's TV) makes DᴴD circulant, hence diagonal in the Fourier domain, which lets the
 * single-coil ADMM solve its x-update exactly with two FFTs (see laplacianEigenvalues). The adjoint is
 * the negative backward-difference divergence: (Dᴴ g)(i) = Σ_k g_k(i − e_k) − g_k(i).
 * ‖D‖² ≤ 4·(number of axes).
 */
import { type LinearOperator, assertPositiveInt, checkIn, outFor } from './linop';

export function gradOp(dims: readonly [number, number] | readonly [number, number, number]): LinearOperator {
  if (dims.length !== 2 && dims.length !== 3) throw new RangeError('gradOp: dims must be [H, W] or [S, H, W]');
  dims.forEach((d, i) => assertPositiveInt(d, `dims[${i}]`));
  const nd = dims.length;
  const n = dims.reduce((a, b) => a * b, 1);
  const inShape = [...dims];
  const outShape = [nd, ...dims];
  // Per axis: extent and stride in complex elements.
  const strides = nd === 2 ? [dims[1], 1] : [dims[1] * dims[2], dims[2], 1];

  if (nd === 2) {
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
        for (let a = 0; a < outer; a++) {
          for (let c = 0; c < len; c++) {
            const i0 = 2 * (a * len + c) * st;
            const j0 = 2 * (a * len + (c === len - 1 ? 0 : c + 1)) * st;
            for (let b = 0; b < 2 * st; b++) o[base + i0 + b] = x[j0 + b] - x[i0 + b];
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
        for (let a = 0; a < outer; a++) {
          for (let c = 0; c < len; c++) {
            const i0 = 2 * (a * len + c) * st;
            const j0 = 2 * (a * len + (c === 0 ? len - 1 : c - 1)) * st;
            for (let b = 0; b < 2 * st; b++) o[i0 + b] += g[base + j0 + b] - g[base + i0 + b];
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
