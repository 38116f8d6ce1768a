import { describe, expect, it } from 'vitest';
import { senseOp } from '../../../src/cs/ops/sense';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';

describe('senseOp', () => {
  it('adjoint and linearity', () => {
    expectAdjoint(senseOp(randomComplex(3 * 5 * 7, 11), 3, 5, 7));
  });
  it('with maps normalised to Σ|s|² = 1, SᴴS = I', () => {
    const c = 4;
    const n = 12;
    const maps = randomComplex(c * n, 2);
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let k = 0; k < c; k++) s += maps[2 * (k * n + p)] ** 2 + maps[2 * (k * n + p) + 1] ** 2;
      for (let k = 0; k < c; k++) {
        maps[2 * (k * n + p)] /= Math.sqrt(s);
        maps[2 * (k * n + p) + 1] /= Math.sqrt(s);
      }
    }
    const S = senseOp(maps, c, 3, 4);
    const x = randomComplex(n, 9);
    const y = S.adjoint(S.forward(x));
    for (let i = 0; i < x.length; i++) expect(y[i]).toBeCloseTo(x[i], 5);
  });
  it('rejects maps of the wrong shape', () => {
    expect(() => senseOp(new Float32Array(10), 2, 3, 4)).toThrow(/maps/);
  });
});
