import { describe, expect, it } from 'vitest';
import { fftOp } from '../../../src/cs/ops/fft';
import { gradNormBound, gradOp, laplacianEigenvalues } from '../../../src/cs/ops/finite-diff';
import { maxEigenvalue } from '../../../src/cs/ops/linop';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';

describe('gradOp', () => {
  it('adjoint and linearity, 2-D and 3-D', () => {
    expectAdjoint(gradOp([5, 7]));
    expectAdjoint(gradOp([3, 4, 5]));
  });
  it('adjoint with per-axis weights and Neumann boundaries (3-D TV across slices)', () => {
    expectAdjoint(gradOp([3, 4, 5], { weights: [0.5, 1, 1], periodic: [false, true, true] }));
    expectAdjoint(gradOp([4, 3, 2], { weights: [2, 0.7, 1.3], periodic: [false, false, true] }), 11);
    expectAdjoint(gradOp([5, 7], { weights: [1, 3], periodic: [true, false] }), 13);
    expectAdjoint(gradOp([1, 4, 5], { weights: [1, 1, 1], periodic: [false, true, true] }), 17);
  });
  it('weighted Neumann z-differences: w·(next − this), zero on the last slice; ‖D‖² within gradNormBound', () => {
    const [s, h, w] = [3, 2, 2];
    const n = s * h * w;
    const x = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) x[2 * i + 1] = i * i; // im only
    const opts = { weights: [0.5, 1, 1], periodic: [false, true, true] };
    const g = gradOp([s, h, w], opts).forward(x);
    for (let z = 0; z < s; z++)
      for (let p = 0; p < h * w; p++) {
        const i = z * h * w + p;
        const want = z === s - 1 ? 0 : 0.5 * ((i + h * w) ** 2 - i ** 2);
        expect(g[2 * i + 1]).toBeCloseTo(want, 5);
        expect(g[2 * i]).toBe(0);
      }
    for (const o of [opts, { weights: [2, 1, 1], periodic: [true, true, true] }]) {
      const D = gradOp([4, 6, 6], o);
      expect(maxEigenvalue(D, 200)).toBeLessThanOrEqual(gradNormBound([4, 6, 6], o) * (1 + 1e-4));
    }
    expect(gradNormBound([4, 6, 6], opts)).toBeCloseTo(4 * 2.25, 9);
  });
  it('3-D fast path equals the definition (weights, periodic or Neumann through-plane)', () => {
    const [s, h, w] = [3, 4, 5];
    const x = randomComplex(s * h * w, 23);
    const idx = (z: number, y: number, c: number) => 2 * ((z * h + y) * w + c);
    for (const zPeriodic of [true, false]) {
      const wt = [0.5, 2, 1.5];
      const g = gradOp([s, h, w], { weights: wt, periodic: [zPeriodic, true, true] }).forward(x);
      const n2 = 2 * s * h * w;
      for (let z = 0; z < s; z++)
        for (let y = 0; y < h; y++)
          for (let c = 0; c < w; c++)
            for (const part of [0, 1]) {
              const i = idx(z, y, c) + part;
              const dz = z === s - 1 && !zPeriodic ? 0 : wt[0] * (x[idx((z + 1) % s, y, c) + part] - x[i]);
              expect(g[i]).toBeCloseTo(dz, 6);
              expect(g[n2 + i]).toBeCloseTo(wt[1] * (x[idx(z, (y + 1) % h, c) + part] - x[i]), 6);
              expect(g[2 * n2 + i]).toBeCloseTo(wt[2] * (x[idx(z, y, (c + 1) % w) + part] - x[i]), 6);
            }
    }
  });
  it('rejects weights and boundaries of the wrong length or value', () => {
    expect(() => gradOp([3, 4, 5], { weights: [1, 1] })).toThrow(/weights/);
    expect(() => gradOp([3, 4, 5], { weights: [-1, 1, 1] })).toThrow(/weights/);
    expect(() => gradOp([3, 4], { periodic: [true] })).toThrow(/periodic/);
  });
  it('periodic forward differences', () => {
    const h = 3;
    const w = 4;
    const x = new Float32Array(2 * h * w);
    for (let i = 0; i < h * w; i++) x[2 * i] = i * i; // re only
    const g = gradOp([h, w]).forward(x);
    const at = (y: number, xx: number) => (((y + h) % h) * w + ((xx + w) % w)) ** 2;
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        expect(g[2 * (y * w + xx)]).toBe(at(y + 1, xx) - at(y, xx));
        expect(g[2 * (h * w + y * w + xx)]).toBe(at(y, xx + 1) - at(y, xx));
      }
  });
  it('DᴴD is diagonalised by the centred FFT with laplacianEigenvalues', () => {
    const h = 6;
    const w = 5;
    const D = gradOp([h, w]);
    const F = fftOp(1, h, w);
    const x = randomComplex(h * w, 4);
    const lhs = F.forward(D.adjoint(D.forward(x)));
    const k = F.forward(x);
    const ev = laplacianEigenvalues(h, w);
    for (let p = 0; p < h * w; p++) {
      expect(lhs[2 * p]).toBeCloseTo(ev[p] * k[2 * p], 4);
      expect(lhs[2 * p + 1]).toBeCloseTo(ev[p] * k[2 * p + 1], 4);
    }
  });
});
