import { describe, expect, it } from 'vitest';
import { hermitianEigen } from '../../../src/kspace/coils/linalg';
import { hermitianEigenQL } from '../../../src/cs/maps/eigen';
import { randomComplex } from '../helpers/random';

/** Random Hermitian n×n (upper triangle meaningful), optionally low rank + identity-scaled noise. */
function randomHermitian(n: number, seed: number, rank = n): Float64Array {
  const b = randomComplex(n * rank, seed);
  const m = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < rank; k++) {
        const ar = b[2 * (i * rank + k)];
        const ai = b[2 * (i * rank + k) + 1];
        const br = b[2 * (j * rank + k)];
        const bi = -b[2 * (j * rank + k) + 1];
        re += ar * br - ai * bi;
        im += ar * bi + ai * br;
      }
      m[2 * (i * n + j)] = re;
      m[2 * (i * n + j) + 1] = im;
    }
  return m;
}

describe('hermitianEigenQL', () => {
  for (const [n, rank] of [
    [1, 1],
    [2, 2],
    [7, 7],
    [40, 40],
    [36, 10],
  ] as const) {
    it(`n=${n}, rank ${rank}: A v = λ v, orthonormal, values descending and equal to Jacobi's`, () => {
      const a = randomHermitian(n, 3 + n, rank);
      const { values, vectors } = hermitianEigenQL(a, n);
      const ref = hermitianEigen(a, n);
      const scale = Math.max(Math.abs(ref.values[0]), 1e-12);
      for (let k = 0; k < n; k++) {
        expect(Math.abs(values[k] - ref.values[k]) / scale).toBeLessThan(1e-10);
        if (k > 0) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
        // residual ‖A v − λ v‖
        let res = 0;
        for (let i = 0; i < n; i++) {
          let re = 0;
          let im = 0;
          for (let j = 0; j < n; j++) {
            const ar = a[2 * (i * n + j)];
            const ai = a[2 * (i * n + j) + 1];
            const vr = vectors[2 * (j * n + k)];
            const vi = vectors[2 * (j * n + k) + 1];
            re += ar * vr - ai * vi;
            im += ar * vi + ai * vr;
          }
          res += (re - values[k] * vectors[2 * (i * n + k)]) ** 2 + (im - values[k] * vectors[2 * (i * n + k) + 1]) ** 2;
        }
        expect(Math.sqrt(res) / scale).toBeLessThan(1e-9);
        for (let l = 0; l <= k; l++) {
          let re = 0;
          let im = 0;
          for (let i = 0; i < n; i++) {
            const xr = vectors[2 * (i * n + l)];
            const xi = -vectors[2 * (i * n + l) + 1];
            const yr = vectors[2 * (i * n + k)];
            const yi = vectors[2 * (i * n + k) + 1];
            re += xr * yr - xi * yi;
            im += xr * yi + xi * yr;
          }
          expect(Math.abs(re - (l === k ? 1 : 0))).toBeLessThan(1e-9);
          expect(Math.abs(im)).toBeLessThan(1e-9);
        }
      }
    });
  }
});
