import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hermitianEigen } from '../../../src/kspace/coils/linalg';
import { fixturePath, rng } from './helpers';

interface EighFixture {
  n: number;
  covariance_re: number[];
  covariance_im: number[];
  eigenvalues: number[];
  eigenvectors_re: number[];
  eigenvectors_im: number[];
}
const fx = JSON.parse(readFileSync(fixturePath('coils/maps_covariance_eigh.json'), 'utf8')) as EighFixture;

function interleave(re: number[], im: number[]): Float64Array {
  const out = new Float64Array(2 * re.length);
  re.forEach((v, i) => {
    out[2 * i] = v;
    out[2 * i + 1] = im[i];
  });
  return out;
}

/** C = A·B for n×n interleaved complex matrices; conjA uses Aᴴ. */
function matmul(a: Float64Array, b: Float64Array, n: number, conjA = false): Float64Array {
  const c = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < n; k++) {
        const ai = conjA ? 2 * (k * n + i) : 2 * (i * n + k);
        const ar = a[ai];
        const aim = conjA ? -a[ai + 1] : a[ai + 1];
        const br = b[2 * (k * n + j)];
        const bi = b[2 * (k * n + j) + 1];
        re += ar * br - aim * bi;
        im += ar * bi + aim * br;
      }
      c[2 * (i * n + j)] = re;
      c[2 * (i * n + j) + 1] = im;
    }
  }
  return c;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function checkDecomposition(a: Float64Array, n: number, tol: number): void {
  const { values, vectors } = hermitianEigen(a, n);
  for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
  const eye = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) eye[2 * (i * n + i)] = 1;
  expect(maxAbsDiff(matmul(vectors, vectors, n, true), eye)).toBeLessThan(1e-13);
  const vl = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      vl[2 * (i * n + k)] = vectors[2 * (i * n + k)] * values[k];
      vl[2 * (i * n + k) + 1] = vectors[2 * (i * n + k) + 1] * values[k];
    }
  }
  expect(maxAbsDiff(matmul(a, vectors, n), vl)).toBeLessThan(tol);
}

describe('hermitianEigen', () => {
  it('matches numpy.linalg.eigh on the colin coil-map covariance', () => {
    const n = fx.n;
    const { values, vectors } = hermitianEigen(interleave(fx.covariance_re, fx.covariance_im), n);
    values.forEach((v, k) => expect(Math.abs(v / fx.eigenvalues[k] - 1)).toBeLessThan(1e-12));
    // eigenvectors agree up to a unit phase: |⟨v_ts, v_np⟩| = 1
    for (let k = 0; k < n; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i++) {
        const ar = vectors[2 * (i * n + k)];
        const ai = vectors[2 * (i * n + k) + 1];
        const br = fx.eigenvectors_re[i * n + k];
        const bi = fx.eigenvectors_im[i * n + k];
        re += ar * br + ai * bi;
        im += ai * br - ar * bi;
      }
      expect(Math.hypot(re, im)).toBeCloseTo(1, 9);
    }
  });

  it('decomposes random Hermitian matrices with repeated eigenvalues (A·V = V·Λ, VᴴV = I)', () => {
    const r = rng(11);
    for (const n of [1, 2, 5, 12]) {
      // A = Q·diag(λ)·Qᴴ with a random unitary Q (from the eigenvectors of a random matrix)
      const m = new Float64Array(2 * n * n).map(() => r() - 0.5);
      const q = hermitianEigen(m, n).vectors;
      const lambda = Array.from({ length: n }, (_, i) => [3, 3, -1, 0, 0, 7][i % 6] + (i >= 6 ? 0.5 : 0));
      const ql = new Float64Array(q);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < n; k++) {
          ql[2 * (i * n + k)] *= lambda[k];
          ql[2 * (i * n + k) + 1] *= lambda[k];
        }
      }
      // A = (Q·Λ)·Qᴴ, Hermitian because Λ is real
      const a = new Float64Array(2 * n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let re = 0;
          let im = 0;
          for (let k = 0; k < n; k++) {
            const ar = ql[2 * (i * n + k)];
            const ai = ql[2 * (i * n + k) + 1];
            const br = q[2 * (j * n + k)];
            const bi = -q[2 * (j * n + k) + 1];
            re += ar * br - ai * bi;
            im += ar * bi + ai * br;
          }
          a[2 * (i * n + j)] = re;
          a[2 * (i * n + j) + 1] = im;
        }
      }
      checkDecomposition(a, n, 1e-12);
      const values = Array.from(hermitianEigen(a, n).values);
      const sorted = [...lambda].sort((x, y) => y - x);
      values.forEach((v, k) => expect(v).toBeCloseTo(sorted[k], 12));
    }
  });

  it('handles diagonal and zero matrices and leaves the input untouched', () => {
    const a = Float64Array.of(1, 0, 0, 0, 0, 0, 5, 0);
    const copy = a.slice();
    const { values, vectors } = hermitianEigen(a, 2);
    expect(Array.from(values)).toEqual([5, 1]);
    expect(Array.from(vectors)).toEqual([0, 0, 1, 0, 1, 0, 0, 0]);
    expect(a).toEqual(copy);
    expect(Array.from(hermitianEigen(new Float64Array(8), 2).values)).toEqual([0, 0]);
  });

  it('validates', () => {
    expect(() => hermitianEigen(new Float64Array(6), 2)).toThrow(/matrix has length 6, expected 8/);
    expect(() => hermitianEigen(new Float64Array(0), 0)).toThrow(/n must be a positive integer/);
  });
});
