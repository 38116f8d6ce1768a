/**
 * Exact ADMM x-update for single-coil Cartesian data, A = M F (mask after centred unitary FFT), when KᴴK
 * is diagonal in the same Fourier basis: periodic finite differences (KᴴK = Fᴴ Λ F, Λ from
 * laplacianEigenvalues) or an orthogonal wavelet (KᴴK = I). Then
 *   (FᴴMF + ρKᴴK) x = FᴴMb + ρKᴴv   ⇔   x = Fᴴ[(M b + ρ F Kᴴ v) / (M + ρΛ)],
 * two FFTs per iteration instead of a CG loop, and A x = M·(the bracket) comes for free.
 *
 * fourierDctXSolver: the same for a volume [S, H, W] with one mask for every slice and the 3-D gradient
 * with a Neumann (non-periodic) through-plane axis: KᴴK = w_z² L_z ⊗ I + I ⊗ L_2, and L_z (the 1-D Neumann
 * Laplacian) is diagonalised by the orthonormal DCT-II along z, which commutes with the in-plane FFT
 * and with I ⊗ FᴴMF. So x = (I ⊗ Fᴴ) Cᵀ [(C M b + ρ C F Kᴴ v) / (M + ρ(w_z² μ_j + Λ))], with
 * μ_j = 4 sin²(πj / 2S) and C the DCT along z.
 */
import { fft1c, fft2c, fft2cBatch, ifft1c, ifft2c, ifft2cBatch } from '../../kspace/fft2c';
import type { LinearOperator } from '../ops/linop';
import type { XSolver } from './admm';

export function fourierXSolver(
  maskWeights: Uint8Array,
  b: Float32Array,
  h: number,
  w: number,
  K: LinearOperator,
  /** eigenvalues of KᴴK on the centred grid, or null when KᴴK = I */
  eigen: Float32Array | null,
): XSolver {
  const n = h * w;
  if (maskWeights.length !== n) throw new RangeError(`fourierXSolver: mask has ${maskWeights.length} entries, need ${n}`);
  if (b.length !== 2 * n) throw new RangeError(`fourierXSolver: b has length ${b.length}, need ${2 * n}`);
  if (eigen && eigen.length !== n) throw new RangeError('fourierXSolver: eigenvalue grid size mismatch');
  const kv = new Float32Array(2 * n);
  const spec = new Float32Array(2 * n);
  return {
    solve(v, rho, x, Ax) {
      K.adjoint(v, kv);
      fft2c(kv, h, w, spec);
      for (let p = 0; p < n; p++) {
        const m = maskWeights[p];
        const den = m + rho * (eigen ? eigen[p] : 1);
        const i = 2 * p;
        if (den === 0) {
          spec[i] = 0;
          spec[i + 1] = 0;
        } else {
          spec[i] = (m * b[i] + rho * spec[i]) / den;
          spec[i + 1] = (m * b[i + 1] + rho * spec[i + 1]) / den;
        }
        Ax[i] = m ? spec[i] : 0;
        Ax[i + 1] = m ? spec[i + 1] : 0;
      }
      ifft2c(spec, h, w, x);
    },
  };
}

/** Orthonormal DCT-II matrix, row j = α_j cos(π j (2z + 1) / 2S), α_0 = √(1/S), α_j = √(2/S). */
export function dctMatrix(size: number): Float64Array {
  const c = new Float64Array(size * size);
  for (let j = 0; j < size; j++) {
    const a = Math.sqrt((j === 0 ? 1 : 2) / size);
    for (let z = 0; z < size; z++) c[j * size + z] = a * Math.cos((Math.PI * j * (2 * z + 1)) / (2 * size));
  }
  return c;
}

/** Eigenvalues of the Neumann 1-D Laplacian DᵀD (forward differences, none past the end): 4 sin²(πj / 2S). */
export function neumannEigenvalues(size: number): Float64Array {
  return Float64Array.from({ length: size }, (_, j) => 4 * Math.sin((Math.PI * j) / (2 * size)) ** 2);
}

/**
 * Orthonormal DCT-II along the slices of a complex volume x [S, n] (n complex values per slice),
 * X_j = Σ_z C[j, z] x_z, or its inverse (transpose) x_z = Σ_j C[j, z] X_j, through one FFT of length 2S
 * per in-plane position (Makhoul's even extension):
 *   forward: y = (x_0 … x_{S−1}, x_{S−1} … x_0), X_j = (α_j / 2) e^{−iπj/2S} DFT(y)_j
 *   inverse: W_j = α_j X_j e^{iπj/2S} (0 < j < S), W_0 = 2α_0 X_0, W_S = 0, W_{2S−j} = α_j X_j e^{−iπj/2S},
 *            x_z = ½ Σ_m W_m e^{iπmz/S}
 * The plain DFT comes from the centred fft1c: DFT(v)_k = √N (−1)^{k+S} fft1c((−1)^m v)_k, N = 2S (the
 * inverse likewise with ifft1c). `work` holds [2S, n]; out may not alias x.
 */
export function dctSlices(
  x: Float32Array,
  slices: number,
  n: number,
  out: Float32Array,
  inverse: boolean,
  work: Float32Array,
): void {
  const S = slices;
  const N = 2 * S;
  const plane = 2 * n;
  if (x.length !== S * plane || out.length !== S * plane || work.length !== N * plane) {
    throw new RangeError('dctSlices: array sizes do not match [slices, n]');
  }
  const sqrtN = Math.sqrt(N);
  const a0 = Math.sqrt(1 / S);
  const a1 = Math.sqrt(2 / S);
  if (!inverse) {
    for (let m = 0; m < S; m++) {
      const sgnA = m % 2 === 0 ? 1 : -1; // (−1)^m at m
      const m2 = N - 1 - m;
      const sgnB = m2 % 2 === 0 ? 1 : -1;
      const src = m * plane;
      const dA = m * plane;
      const dB = m2 * plane;
      for (let i = 0; i < plane; i++) {
        const v = x[src + i];
        work[dA + i] = sgnA * v;
        work[dB + i] = sgnB * v;
      }
    }
    fft1c(work, N, n, 0, work);
    for (let j = 0; j < S; j++) {
      // X_j = (α_j/2) e^{−iπj/2S} · √N (−1)^{j+S} fft1c(…)_j
      const f = ((j === 0 ? a0 : a1) / 2) * sqrtN * ((j + S) % 2 === 0 ? 1 : -1);
      const cr = f * Math.cos((Math.PI * j) / N);
      const ci = -f * Math.sin((Math.PI * j) / N);
      const src = j * plane;
      for (let i = 0; i < plane; i += 2) {
        const re = work[src + i];
        const im = work[src + i + 1];
        out[src + i] = cr * re - ci * im;
        out[src + i + 1] = cr * im + ci * re;
      }
    }
    return;
  }
  // W with the (−1)^m modulation for ifft1c folded in
  work.fill(0, S * plane, (S + 1) * plane);
  for (let j = 0; j < S; j++) {
    // j = 0: e^{±iθ₀(2z+1)} are one term (W_0 = W_{2S}), so it carries both halves
    const aj = j === 0 ? 2 * a0 : a1;
    const c = Math.cos((Math.PI * j) / N);
    const sn = Math.sin((Math.PI * j) / N);
    const src = j * plane;
    const sgnA = j % 2 === 0 ? 1 : -1;
    for (let i = 0; i < plane; i += 2) {
      const re = aj * x[src + i];
      const im = aj * x[src + i + 1];
      work[src + i] = sgnA * (c * re - sn * im);
      work[src + i + 1] = sgnA * (c * im + sn * re);
    }
    if (j === 0) continue;
    const m2 = N - j; // same parity as j
    const dB = m2 * plane;
    for (let i = 0; i < plane; i += 2) {
      const re = aj * x[src + i];
      const im = aj * x[src + i + 1];
      work[dB + i] = sgnA * (c * re + sn * im);
      work[dB + i + 1] = sgnA * (c * im - sn * re);
    }
  }
  ifft1c(work, N, n, 0, work);
  for (let z = 0; z < S; z++) {
    // x_z = ½ · √N (−1)^{z+S} ifft1c(…)_z
    const f = 0.5 * sqrtN * ((z + S) % 2 === 0 ? 1 : -1);
    const src = z * plane;
    for (let i = 0; i < plane; i++) out[src + i] = f * work[src + i];
  }
}

export function fourierDctXSolver(
  maskWeights: Uint8Array,
  b: Float32Array,
  slices: number,
  h: number,
  w: number,
  K: LinearOperator,
  /** eigenvalues of the in-plane L_2 on the centred grid (laplacianEigenvalues) */
  eigen: Float32Array,
  /** the through-plane weight w_z */
  zWeight: number,
): XSolver {
  const n = h * w;
  const plane = 2 * n;
  if (maskWeights.length !== n) throw new RangeError(`fourierDctXSolver: mask has ${maskWeights.length} entries, need ${n}`);
  if (b.length !== slices * plane) throw new RangeError(`fourierDctXSolver: b has length ${b.length}, need ${slices * plane}`);
  if (eigen.length !== n) throw new RangeError('fourierDctXSolver: eigenvalue grid size mismatch');
  const mu = neumannEigenvalues(slices).map((v) => zWeight * zWeight * v);
  const work = new Float32Array(2 * b.length);
  // C M b: b is masked k-space already
  const cb = new Float32Array(b.length);
  dctSlices(b, slices, n, cb, false, work);
  const kv = new Float32Array(b.length);
  const tmp = new Float32Array(b.length);
  const spec = new Float32Array(b.length);
  return {
    solve(v, rho, x, Ax) {
      K.adjoint(v, kv);
      fft2cBatch(kv, slices, h, w, tmp);
      dctSlices(tmp, slices, n, spec, false, work);
      for (let j = 0; j < slices; j++) {
        const off = j * plane;
        const zj = mu[j];
        for (let p = 0; p < n; p++) {
          const m = maskWeights[p];
          const den = m + rho * (eigen[p] + zj);
          const i = off + 2 * p;
          if (den === 0) {
            spec[i] = 0;
            spec[i + 1] = 0;
          } else {
            spec[i] = (m * cb[i] + rho * spec[i]) / den;
            spec[i + 1] = (m * cb[i + 1] + rho * spec[i + 1]) / den;
          }
        }
      }
      dctSlices(spec, slices, n, tmp, true, work);
      for (let s = 0; s < slices; s++) {
        const off = s * plane;
        for (let p = 0; p < n; p++) {
          const i = off + 2 * p;
          const m = maskWeights[p];
          Ax[i] = m ? tmp[i] : 0;
          Ax[i + 1] = m ? tmp[i + 1] : 0;
        }
      }
      ifft2cBatch(tmp, slices, h, w, x);
    },
  };
}
