import { describe, expect, it } from 'vitest';
import { effectiveLevels, waveletOp } from '../../../src/cs/ops/wavelet';
import { norm2 } from '../../../src/cs/vec';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';

describe('waveletOp', () => {
  it('adjoint and linearity for db4 and haar, multi-level', () => {
    expectAdjoint(waveletOp(16, 32, { family: 'db4', levels: 3 }));
    expectAdjoint(waveletOp(8, 8, { family: 'haar', levels: 3 }));
    // levels deep enough that db4's 8 taps wrap around a length-2 band
    expectAdjoint(waveletOp(8, 16, { family: 'db4', levels: 3 }));
  });
  it('is orthogonal: the adjoint is the inverse and norms are preserved', () => {
    for (const family of ['db4', 'haar'] as const) {
      const W = waveletOp(32, 16, { family, levels: 4 });
      const x = randomComplex(32 * 16, 12);
      const c = W.forward(x);
      expect(Math.abs(norm2(c) - norm2(x)) / norm2(x)).toBeLessThan(1e-6);
      const back = W.adjoint(c);
      let err = 0;
      for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(back[i] - x[i]));
      expect(err).toBeLessThan(1e-5);
    }
  });
  it('sparsifies: a constant image puts all energy in the approximation band', () => {
    const W = waveletOp(16, 16, { family: 'db4', levels: 2 });
    const x = new Float32Array(2 * 256).fill(1);
    const c = W.forward(x);
    const { height: ah, width: aw } = W.approx;
    expect([ah, aw]).toEqual([4, 4]);
    for (let y = 0; y < 16; y++)
      for (let xx = 0; xx < 16; xx++) {
        if (y < ah && xx < aw) continue;
        expect(Math.abs(c[2 * (y * 16 + xx)])).toBeLessThan(1e-5);
      }
  });
  it('haar level-1 matches the closed form', () => {
    const W = waveletOp(2, 2, { family: 'haar', levels: 1 });
    const c = W.forward(Float32Array.from([1, 0, 2, 0, 3, 0, 4, 0]));
    // LL = (1+2+3+4)/2, HL(x-detail) = (1-2+3-4)/2, LH(y-detail) = (1+2-3-4)/2, HH = (1-2-3+4)/2
    expect(Array.from(c).filter((_, i) => i % 2 === 0)).toEqual([5, -1, -2, 0].map((v) => expect.closeTo(v, 6)));
  });
  it('caps levels by divisibility', () => {
    expect(effectiveLevels(640, 368, 6)).toBe(4);
    expect(effectiveLevels(15, 16, 3)).toBe(0);
    expect(effectiveLevels(256, 256, 4)).toBe(4);
  });
});
