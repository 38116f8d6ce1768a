import { describe, expect, it } from 'vitest';
import { waveletOp } from '../../../src/cs/ops/wavelet';
import { detailWeights, frameL1Approx, waveletL1 } from '../../../src/cs/prox/wavelet-l1';
import { defaultShifts, waveletFrameOp } from '../../../src/cs/ops/wavelet-frame';
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

describe('frameL1Approx (cycle-spinning shrinkage)', () => {
  it('is the exact prox for an orthogonal transform and shrinks towards the frame-sparse image', () => {
    const Wh = waveletOp(16, 16, { family: 'haar', levels: 1 });
    const weights = detailWeights(Wh);
    const v = randomComplex(256, 8);
    const exact = waveletL1(Wh, 0.05).prox(v, 1);
    const approx = frameL1Approx(Wh, 0.05, weights).prox(v, 1);
    for (let i = 0; i < v.length; i++) expect(approx[i]).toBeCloseTo(exact[i], 6);
    // Frame of 4 shifts: value is λ‖Ψx‖₁ and the shrinkage lowers ½‖x − v‖² + value below its value at v.
    const F = waveletFrameOp(16, 16, { family: 'haar', levels: 1, shifts: defaultShifts(4, 1) });
    const w4 = new Float32Array(4 * 256);
    for (let s = 0; s < 4; s++) w4.set(weights, s * 256);
    const g = frameL1Approx(F, 0.05, w4);
    const p = g.prox(v, 1);
    let d = 0;
    for (let i = 0; i < v.length; i++) d += 0.5 * (p[i] - v[i]) ** 2;
    expect(d + g.value(p)).toBeLessThan(g.value(v));
  });
});
