/**
 * 2-D separable orthogonal discrete wavelet transform W: image [H, W] → coefficients [H, W].
 *
 * Families: Daubechies 'db4' (8 taps, PyWavelets naming) and 'haar'. Boundary: PERIODIC. Periodisation
 * keeps the transform exactly orthogonal (Wᴴ W = W Wᴴ = I), so the adjoint IS the inverse and the
 * proximal map of λ‖W x‖₁ is Wᴴ soft(W x, λ) — no frame bounds or inner iterations needed.
 *
 * Layout: Mallat pyramid in place. After level 1 the top-left (H/2 × W/2) block is the approximation
 * and the other three quadrants the details; level 2 transforms the top-left block again, and so on.
 * The effective number of levels is capped so that every level halves an even extent:
 * levels ≤ min(trailing zero bits of H and of W), and a level stops once a side would drop below 2.
 * An odd H or W gives zero levels (W = I), which the app reports.
 *
 * Complex input is transformed channel-wise (real filters act on re and im alike).
 */
import { type LinearOperator, assertPositiveInt, checkIn, outFor } from './linop';
import { haarAnalyzeCoarse, haarAnalyzeShifted, haarColumnIndex, haarSynthesizeCoarse, haarSynthesizeShifted } from './haar';

export type WaveletFamily = 'db4' | 'haar';

const SQRT1_2 = Math.SQRT1_2;

// Scaling (low-pass reconstruction) filters h[k]; analysis computes a[n] = Σ h[k] x[2n + k].
const SCALING: Record<WaveletFamily, readonly number[]> = {
  haar: [SQRT1_2, SQRT1_2],
  db4: [
    0.23037781330885523, 0.7148465705525415, 0.6308807679295904, -0.02798376941698385, -0.18703481171888114, 0.030841381835986965,
    0.032883011666982945, -0.010597401784997278,
  ],
};

export interface WaveletOperator extends LinearOperator {
  readonly family: WaveletFamily;
  readonly levels: number;
  /** size of the coarsest approximation block (top-left), which CS leaves unpenalised */
  readonly approx: { height: number; width: number };
}

function trailingZeros(n: number): number {
  let z = 0;
  while (n > 0 && n % 2 === 0) {
    n /= 2;
    z++;
  }
  return z;
}

export function effectiveLevels(h: number, w: number, requested: number): number {
  let levels = 0;
  let hh = h;
  let ww = w;
  while (levels < requested && hh % 2 === 0 && ww % 2 === 0 && hh >= 2 && ww >= 2) {
    hh /= 2;
    ww /= 2;
    levels++;
  }
  return Math.min(levels, trailingZeros(h), trailingZeros(w));
}

function filters(family: WaveletFamily): { lo: Float64Array; hi: Float64Array } {
  const h = SCALING[family];
  if (!h) throw new RangeError(`wavelet family must be 'db4' or 'haar', got '${String(family)}'`);
  const L = h.length;
  const lo = Float64Array.from(h);
  // Quadrature mirror: g[k] = (−1)^k h[L−1−k].
  const hi = new Float64Array(L);
  for (let k = 0; k < L; k++) hi[k] = (k % 2 === 0 ? 1 : -1) * h[L - 1 - k];
  return { lo, hi };
}

/** One analysis step on a complex line of even length n: [approx (n/2) | detail (n/2)]. */
function analyze(line: Float64Array, n: number, lo: Float64Array, hi: Float64Array, out: Float64Array): void {
  const half = n >> 1;
  const L = lo.length;
  for (let k = 0; k < half; k++) {
    let ar = 0;
    let ai = 0;
    let dr = 0;
    let di = 0;
    let idx = (2 * k) % n;
    for (let t = 0; t < L; t++) {
      const xr = line[2 * idx];
      const xi = line[2 * idx + 1];
      ar += lo[t] * xr;
      ai += lo[t] * xi;
      dr += hi[t] * xr;
      di += hi[t] * xi;
      idx++;
      if (idx === n) idx = 0;
    }
    out[2 * k] = ar;
    out[2 * k + 1] = ai;
    out[2 * (half + k)] = dr;
    out[2 * (half + k) + 1] = di;
  }
}

/** Exact transpose of analyze. */
function synthesize(coef: Float64Array, n: number, lo: Float64Array, hi: Float64Array, out: Float64Array): void {
  const half = n >> 1;
  const L = lo.length;
  out.fill(0, 0, 2 * n);
  for (let k = 0; k < half; k++) {
    const ar = coef[2 * k];
    const ai = coef[2 * k + 1];
    const dr = coef[2 * (half + k)];
    const di = coef[2 * (half + k) + 1];
    let idx = (2 * k) % n;
    for (let t = 0; t < L; t++) {
      out[2 * idx] += lo[t] * ar + hi[t] * dr;
      out[2 * idx + 1] += lo[t] * ai + hi[t] * di;
      idx++;
      if (idx === n) idx = 0;
    }
  }
}

export function waveletOp(
  h: number,
  w: number,
  /** generic: force the filter-bank code for Haar too (tests compare it with the fast path) */
  options: { family?: WaveletFamily; levels?: number; generic?: boolean } = {},
): WaveletOperator {
  assertPositiveInt(h, 'height');
  assertPositiveInt(w, 'width');
  const family = options.family ?? 'db4';
  const requested = options.levels ?? 4;
  if (!Number.isInteger(requested) || requested < 0 || requested > 30) {
    throw new RangeError(`levels must be an integer in [0, 30], got ${requested}`);
  }
  const { lo, hi } = filters(family);
  const levels = effectiveLevels(h, w, requested);
  const shape = [h, w] as const;
  const line = new Float64Array(2 * Math.max(h, w));
  const res = new Float64Array(2 * Math.max(h, w));

  // Transforms the top-left hh × ww block of o in place along rows, then columns (or reverse for synthesis).
  const rows = (o: Float32Array, hh: number, ww: number, f: typeof analyze) => {
    for (let y = 0; y < hh; y++) {
      const off = 2 * y * w;
      for (let i = 0; i < 2 * ww; i++) line[i] = o[off + i];
      f(line, ww, lo, hi, res);
      for (let i = 0; i < 2 * ww; i++) o[off + i] = res[i];
    }
  };
  const cols = (o: Float32Array, hh: number, ww: number, f: typeof analyze) => {
    for (let x = 0; x < ww; x++) {
      for (let y = 0; y < hh; y++) {
        line[2 * y] = o[2 * (y * w + x)];
        line[2 * y + 1] = o[2 * (y * w + x) + 1];
      }
      f(line, hh, lo, hi, res);
      for (let y = 0; y < hh; y++) {
        o[2 * (y * w + x)] = res[2 * y];
        o[2 * (y * w + x) + 1] = res[2 * y + 1];
      }
    }
  };

  if (family === 'haar' && levels >= 1 && !options.generic) {
    // Fast path (ops/haar): 2×2-block kernels, no per-call allocation.
    const cols = haarColumnIndex(w, 0);
    const full = new Float32Array(2 * h * w);
    const quarter = new Float32Array(2 * (h >> 1) * (w >> 1));
    return {
      name: `W(${family},${levels})`,
      family,
      levels,
      approx: { height: h >> levels, width: w >> levels },
      inShape: shape,
      outShape: shape,
      forward(x, out) {
        checkIn(x, shape, 'wavelet.forward');
        const o = outFor(out, shape, 'wavelet.forward');
        let src = x;
        if (o === x) {
          full.set(x);
          src = full;
        }
        haarAnalyzeShifted(src, o, 0, h, w, 0, cols, 1);
        haarAnalyzeCoarse(o, 0, h, w, levels, quarter);
        return o;
      },
      adjoint(c, out) {
        checkIn(c, shape, 'wavelet.adjoint');
        const o = outFor(out, shape, 'wavelet.adjoint');
        let src = c;
        if (levels > 1 || o === c) {
          full.set(c);
          haarSynthesizeCoarse(full, 0, h, w, levels, quarter);
          src = full;
        }
        haarSynthesizeShifted(src, 0, o, h, w, 0, cols, 1, false);
        return o;
      },
    };
  }

  return {
    name: `W(${family},${levels})`,
    family,
    levels,
    approx: { height: h >> levels, width: w >> levels },
    inShape: shape,
    outShape: shape,
    forward(x, out) {
      checkIn(x, shape, 'wavelet.forward');
      const o = outFor(out, shape, 'wavelet.forward');
      if (o !== x) o.set(x);
      let hh = h;
      let ww = w;
      for (let l = 0; l < levels; l++) {
        rows(o, hh, ww, analyze);
        cols(o, hh, ww, analyze);
        hh >>= 1;
        ww >>= 1;
      }
      return o;
    },
    adjoint(c, out) {
      checkIn(c, shape, 'wavelet.adjoint');
      const o = outFor(out, shape, 'wavelet.adjoint');
      if (o !== c) o.set(c);
      for (let l = levels - 1; l >= 0; l--) {
        const hh = h >> l;
        const ww = w >> l;
        cols(o, hh, ww, synthesize);
        rows(o, hh, ww, synthesize);
      }
      return o;
    },
  };
}
