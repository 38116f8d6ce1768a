import { describe, expect, it } from 'vitest';
import { compose } from '../../../src/cs/ops/linop';
import { fftOp } from '../../../src/cs/ops/fft';
import { maskOp } from '../../../src/cs/ops/mask';
import { gatherColumns, sampledColumns, sampledSenseOp } from '../../../src/cs/ops/sampled';
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

describe('sampledSenseOp (sampled columns only)', () => {
  it('passes the adjoint test and equals M F S on the sampled columns', () => {
    const h = 8;
    const w = 12;
    const coils = 3;
    const mask = { dims: 1 as const, height: h, width: w, data: Uint8Array.from([1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1]) };
    const cols = sampledColumns(mask)!;
    expect(Array.from(cols)).toEqual([0, 3, 4, 6, 10, 11]);
    const maps = randomComplex(coils * h * w, 21);
    const G = sampledSenseOp(maps, coils, h, w, cols);
    expectAdjoint(G);
    const full = compose(maskOp(mask, coils, h, w), fftOp(coils, h, w), senseOp(maps, coils, h, w));
    const x = randomComplex(h * w, 4);
    const a = G.forward(x);
    const b = gatherColumns(full.forward(x), coils, h, w, cols);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
    const y = full.forward(randomComplex(h * w, 9));
    const ah = G.adjoint(gatherColumns(y, coils, h, w, cols));
    const bh = full.adjoint(y);
    for (let i = 0; i < ah.length; i++) expect(ah[i]).toBeCloseTo(bh[i], 4);
  });
});
