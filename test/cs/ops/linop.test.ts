import { describe, expect, it } from 'vitest';
import { compose, identity, maxEigenvalue, normal } from '../../../src/cs/ops/linop';
import { fftOp } from '../../../src/cs/ops/fft';
import { maskOp } from '../../../src/cs/ops/mask';
import { senseOp } from '../../../src/cs/ops/sense';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';

describe('compose / normal', () => {
  const h = 6;
  const w = 8;
  const mask = { dims: 1 as const, height: h, width: w, data: Uint8Array.from([1, 1, 0, 1, 1, 0, 0, 1]) };
  const A = compose(maskOp(mask, 2, h, w), fftOp(2, h, w), senseOp(randomComplex(2 * h * w, 3), 2, h, w));
  it('the composed encoding operator M F S passes the adjoint test', () => {
    expect(A.inShape).toEqual([h, w]);
    expect(A.outShape).toEqual([2, h, w]);
    expectAdjoint(A);
  });
  it('normal(A) = AᴴA is self-adjoint', () => {
    expectAdjoint(normal(A));
    expectAdjoint(identity([3, 2]));
  });
  it('rejects mismatched shapes', () => {
    expect(() => compose(fftOp(1, h, w), fftOp(2, h, w))).toThrow(RangeError);
  });
  it('maxEigenvalue of M F is 1', () => {
    expect(maxEigenvalue(compose(maskOp(mask, 1, h, w), fftOp(1, h, w)), 20)).toBeCloseTo(1, 3);
  });
});
