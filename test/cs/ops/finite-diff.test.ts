import { describe, expect, it } from 'vitest';
import { fftOp } from '../../../src/cs/ops/fft';
import { gradOp, laplacianEigenvalues } from '../../../src/cs/ops/finite-diff';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';

describe('gradOp', () => {
  it('adjoint and linearity, 2-D and 3-D', () => {
    expectAdjoint(gradOp([5, 7]));
    expectAdjoint(gradOp([3, 4, 5]));
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
