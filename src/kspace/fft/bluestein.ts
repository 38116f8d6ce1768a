/**
 * Bluestein's chirp-z algorithm for lengths with a large prime factor: an n-point DFT as a circular
 * convolution of length m ≥ 2n-1 (m with factors 2, 3, 5 only), done with Stockham FFTs over lanes.
 */
import { factorize, makeStockhamPlan, runStockham, type StockhamPlan } from './stockham';

export interface BluesteinPlan {
  n: number;
  m: number;
  inner: StockhamPlan;
  /** chirp e^{-iπ j²/n}, j < n */
  wr: Float64Array;
  wi: Float64Array;
  /** FFT of the conjugate chirp filter, divided by m (the inverse FFT's normalisation) */
  hr: Float64Array;
  hi: Float64Array;
}

function isSmooth235(m: number): boolean {
  for (const p of [2, 3, 5]) while (m % p === 0) m /= p;
  return m === 1;
}

export function makeBluesteinPlan(n: number): BluesteinPlan {
  let m = 2 * n - 1;
  while (!isSmooth235(m)) m++;
  const inner = makeStockhamPlan(m, factorize(m)!);
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  const twoN = 2 * n;
  for (let j = 0; j < n; j++) {
    // j² mod 2n keeps the angle small, so the chirp stays accurate for large j
    const a = (-Math.PI * ((j * j) % twoN)) / n;
    wr[j] = Math.cos(a);
    wi[j] = Math.sin(a);
  }
  const hr = new Float64Array(m);
  const hi = new Float64Array(m);
  hr[0] = wr[0];
  hi[0] = -wi[0];
  for (let j = 1; j < n; j++) {
    hr[j] = hr[m - j] = wr[j];
    hi[j] = hi[m - j] = -wi[j];
  }
  const sr = new Float64Array(m);
  const si = new Float64Array(m);
  const inS = runStockham(inner, hr, hi, sr, si, 1);
  const fr = inS ? sr : hr;
  const fi = inS ? si : hi;
  const outR = new Float64Array(m);
  const outI = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    outR[k] = fr[k] / m;
    outI[k] = fi[k] / m;
  }
  return { n, m, inner, wr, wi, hr: outR, hi: outI };
}

let s0r = new Float64Array(0);
let s0i = new Float64Array(0);
let s1r = new Float64Array(0);
let s1i = new Float64Array(0);

/** Forward FFT of L lanes in (ar, ai) as [n][L], in place. */
export function runBluestein(plan: BluesteinPlan, ar: Float64Array, ai: Float64Array, L: number): void {
  const { n, m, wr, wi, hr, hi } = plan;
  const size = m * L;
  if (s0r.length < size) {
    s0r = new Float64Array(size);
    s0i = new Float64Array(size);
    s1r = new Float64Array(size);
    s1i = new Float64Array(size);
  }
  for (let j = 0; j < n; j++) {
    const c = wr[j],
      s = wi[j];
    const o = j * L;
    for (let l = 0; l < L; l++) {
      const xr = ar[o + l],
        xi = ai[o + l];
      s0r[o + l] = xr * c - xi * s;
      s0i[o + l] = xr * s + xi * c;
    }
  }
  s0r.fill(0, n * L, size);
  s0i.fill(0, n * L, size);
  let inB = runStockham(plan.inner, s0r, s0i, s1r, s1i, L);
  let pr = inB ? s1r : s0r;
  let pi = inB ? s1i : s0i;
  // pointwise product with the filter, conjugated so that a forward FFT performs the inverse
  for (let k = 0; k < m; k++) {
    const c = hr[k],
      s = hi[k];
    const o = k * L;
    for (let l = 0; l < L; l++) {
      const xr = pr[o + l],
        xi = pi[o + l];
      pr[o + l] = xr * c - xi * s;
      pi[o + l] = -(xr * s + xi * c);
    }
  }
  inB = inB ? !runStockham(plan.inner, s1r, s1i, s0r, s0i, L) : runStockham(plan.inner, s0r, s0i, s1r, s1i, L);
  pr = inB ? s1r : s0r;
  pi = inB ? s1i : s0i;
  for (let k = 0; k < n; k++) {
    const c = wr[k],
      s = wi[k];
    const o = k * L;
    for (let l = 0; l < L; l++) {
      const xr = pr[o + l],
        xi = -pi[o + l];
      ar[o + l] = xr * c - xi * s;
      ai[o + l] = xr * s + xi * c;
    }
  }
}
