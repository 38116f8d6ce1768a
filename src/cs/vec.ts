/**
 * Vector kernels over complex interleaved Float32Array (re, im, re, im, …) used by the CS operators,
 * proximal maps and solvers. Reductions accumulate in double precision: the solvers compare objectives
 * and inner products whose float32 rounding would otherwise swamp the relative changes they test.
 */

export type CVec = Float32Array;

export function alloc(complexCount: number): CVec {
  return new Float32Array(2 * complexCount);
}

/** Complex inner product ⟨a, b⟩ = Σ conj(a)·b, returned as [re, im]. */
export function cdot(a: CVec, b: CVec): [number, number] {
  let re = 0;
  let im = 0;
  for (let i = 0; i < a.length; i += 2) {
    const ar = a[i];
    const ai = a[i + 1];
    const br = b[i];
    const bi = b[i + 1];
    re += ar * br + ai * bi;
    im += ar * bi - ai * br;
  }
  return [re, im];
}

/** Re⟨a, b⟩, the real inner product of the underlying R^{2n} vectors. */
export function rdot(a: CVec, b: CVec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm2sq(a: CVec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

export function norm2(a: CVec): number {
  return Math.sqrt(norm2sq(a));
}

/** ‖a − b‖² */
export function dist2sq(a: CVec, b: CVec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s;
}

/** y ← y + α x (α real) */
export function axpy(alpha: number, x: CVec, y: CVec): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/** out ← α x + β y (real coefficients); out may alias x or y */
export function lincomb(alpha: number, x: CVec, beta: number, y: CVec, out: CVec): CVec {
  for (let i = 0; i < out.length; i++) out[i] = alpha * x[i] + beta * y[i];
  return out;
}

export function scaleInPlace(x: CVec, s: number): CVec {
  for (let i = 0; i < x.length; i++) x[i] *= s;
  return x;
}

/** Sum of complex magnitudes, ‖x‖₁ for a complex vector. */
export function l1norm(x: CVec): number {
  let s = 0;
  for (let i = 0; i < x.length; i += 2) s += Math.sqrt(x[i] * x[i] + x[i + 1] * x[i + 1]);
  return s;
}

export function isAllZero(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) return false;
  return true;
}

export function allFinite(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}

/** Magnitude image of a complex vector. */
export function magnitude(x: CVec, out?: Float32Array): Float32Array {
  const n = x.length >> 1;
  const m = out ?? new Float32Array(n);
  for (let i = 0; i < n; i++) m[i] = Math.sqrt(x[2 * i] * x[2 * i] + x[2 * i + 1] * x[2 * i + 1]);
  return m;
}
