import { describe, expect, it } from 'vitest';
import { waveletOp } from '../../../src/cs/ops/wavelet';
import { detailWeights, waveletL1 } from '../../../src/cs/prox/wavelet-l1';
import { randomComplex } from '../helpers/adjoint';

describe('waveletL1', () => {
  const W = waveletOp(16, 16, { family: 'db4', levels: 2 });
  it('spares the approximation block', () => {
    const wts = detailWeights(W);
    expect(wts[0]).toBe(0);
    expect(wts[3 * 16 + 3]).toBe(0);
    expect(wts[4]).toBe(1);
    expect(wts.reduce((a, b) => a + b, 0)).toBe(256 - 16);
  });
  it('prox is optimal for ½‖x − v‖² + tλ‖W x‖₁ (orthogonal W)', () => {
    const g = waveletL1(W, 0.05);
    const v = randomComplex(256, 4);
    const p = g.prox(v, 1);
    const obj = (x: Float32Array) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += 0.5 * (x[i] - v[i]) ** 2;
      return s + g.value(x);
    };
    const base = obj(p);
    expect(base).toBeLessThan(obj(v));
    for (let k = 0; k < 30; k++) {
      const q = Float32Array.from(p, (val, i) => val + 1e-3 * Math.cos(11 * k + 5 * i));
      expect(obj(q)).toBeGreaterThanOrEqual(base - 1e-6);
    }
  });
});
