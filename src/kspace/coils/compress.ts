import { assertFinite, assertLength, assertPositiveInt } from '../validate';
import { hermitianEigen } from './linalg';
import { checkStack } from './shape';

/**
 * SVD coil compression (Huang et al. 2008 / Buehrer et al. 2007): project coils onto the
 * dominant eigenvectors of the coils×coils covariance Σ_p x(p)·x(p)ᴴ, which are the left
 * singular vectors of the coils × pixels data matrix.
 */

export interface CoilCompression {
  /** [virtualCoils, h, w] interleaved complex k-space, virtual coil 0 the strongest. */
  kspace: Float32Array;
  /** [virtualCoils, coils] interleaved complex (float64) matrix A with y = A·x; rows orthonormal. */
  matrix: Float64Array;
  /** Fraction of the total energy carried by each kept virtual coil (descending). */
  energy: Float64Array;
  /** All `coils` covariance eigenvalues, descending (the energy of every possible virtual coil). */
  eigenvalues: Float64Array;
}

/**
 * Covariance C_ij = Σ_p x_i(p)·conj(x_j(p)) of [coils, h, w] complex data, interleaved complex
 * float64 coils×coils. Sum it over slices to compress a volume with one matrix.
 */
export function coilCovariance(data: Float32Array, coils: number, h: number, w: number): Float64Array {
  checkStack(data, 'kspace', coils, 'coils', h, w, 2);
  const n = h * w;
  const cov = new Float64Array(2 * coils * coils);
  for (let i = 0; i < coils; i++) {
    const bi = 2 * i * n;
    for (let j = i; j < coils; j++) {
      const bj = 2 * j * n;
      let re = 0;
      let im = 0;
      for (let p = 0; p < 2 * n; p += 2) {
        const ar = data[bi + p];
        const ai = data[bi + p + 1];
        const br = data[bj + p];
        const bim = data[bj + p + 1];
        re += ar * br + ai * bim;
        im += ai * br - ar * bim;
      }
      cov[2 * (i * coils + j)] = re;
      cov[2 * (i * coils + j) + 1] = im;
      cov[2 * (j * coils + i)] = re;
      cov[2 * (j * coils + i) + 1] = -im;
    }
  }
  return cov;
}

/** Compression matrix A = V[:, :virtualCoils]ᴴ from a coil covariance, with energy fractions. */
export function compressionMatrix(
  covariance: Float64Array,
  coils: number,
  virtualCoils: number,
): { matrix: Float64Array; energy: Float64Array; eigenvalues: Float64Array } {
  assertPositiveInt(coils, 'coils');
  assertLength(covariance, 2 * coils * coils, 'covariance');
  assertFinite(covariance, 'covariance');
  assertPositiveInt(virtualCoils, 'virtualCoils');
  if (virtualCoils > coils) {
    throw new RangeError(`virtualCoils ${virtualCoils} exceeds coils ${coils}`);
  }
  const { values, vectors } = hermitianEigen(covariance, coils);
  // A PSD matrix's zero eigenvalues can come out as −1e−17; they carry no energy.
  const eigenvalues = values.map((x) => Math.max(x, 0));
  const total = eigenvalues.reduce((s, x) => s + x, 0);
  if (total === 0) throw new RangeError('kspace is all zeros: coil compression undefined');
  const matrix = new Float64Array(2 * virtualCoils * coils);
  const energy = new Float64Array(virtualCoils);
  for (let k = 0; k < virtualCoils; k++) {
    energy[k] = eigenvalues[k] / total;
    for (let i = 0; i < coils; i++) {
      matrix[2 * (k * coils + i)] = vectors[2 * (i * coils + k)];
      matrix[2 * (k * coils + i) + 1] = -vectors[2 * (i * coils + k) + 1];
    }
  }
  return { matrix, energy, eigenvalues };
}

/** y_k = Σ_i A_ki·x_i for [coils, h, w] complex data → [virtualCoils, h, w]. */
export function applyCoilCompression(
  data: Float32Array,
  matrix: Float64Array,
  coils: number,
  virtualCoils: number,
  h: number,
  w: number,
): Float32Array {
  checkStack(data, 'kspace', coils, 'coils', h, w, 2);
  assertPositiveInt(virtualCoils, 'virtualCoils');
  assertLength(matrix, 2 * virtualCoils * coils, 'matrix');
  const n2 = 2 * h * w;
  const out = new Float32Array(virtualCoils * n2);
  const acc = new Float64Array(n2);
  for (let k = 0; k < virtualCoils; k++) {
    acc.fill(0);
    for (let i = 0; i < coils; i++) {
      const mr = matrix[2 * (k * coils + i)];
      const mi = matrix[2 * (k * coils + i) + 1];
      const base = i * n2;
      for (let p = 0; p < n2; p += 2) {
        const xr = data[base + p];
        const xi = data[base + p + 1];
        acc[p] += mr * xr - mi * xi;
        acc[p + 1] += mr * xi + mi * xr;
      }
    }
    out.set(acc, k * n2);
  }
  return out;
}

/**
 * Compresses one slice's [coils, h, w] k-space to `virtualCoils` virtual coils. The transform is
 * per-pixel and linear, so it commutes with the FFT: applying it to k-space or images is the same.
 */
export function compressCoils(kspace: Float32Array, coils: number, h: number, w: number, virtualCoils: number): CoilCompression {
  checkStack(kspace, 'kspace', coils, 'coils', h, w, 2);
  assertFinite(kspace, 'kspace');
  const { matrix, energy, eigenvalues } = compressionMatrix(coilCovariance(kspace, coils, h, w), coils, virtualCoils);
  return { kspace: applyCoilCompression(kspace, matrix, coils, virtualCoils, h, w), matrix, energy, eigenvalues };
}
