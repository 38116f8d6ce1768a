import { describe, expect, it } from 'vitest';
import { maskOp } from '../../../src/cs/ops/mask';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';

describe('maskOp', () => {
  const h = 6;
  const w = 8;
  const mask1 = { dims: 1 as const, height: h, width: w, data: Uint8Array.from([1, 0, 0, 1, 1, 0, 1, 0]) };
  it('is self-adjoint and linear (1-D and 2-D masks, multi-coil)', () => {
    expectAdjoint(maskOp(mask1, 3, h, w));
    const d2 = new Uint8Array(h * w).map((_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    expectAdjoint(maskOp({ dims: 2, height: h, width: w, data: d2 }, 1, h, w));
  });
  it('zeroes unsampled columns and keeps sampled ones', () => {
    const x = randomComplex(2 * h * w, 3);
    const y = maskOp(mask1, 2, h, w).forward(x);
    for (let c = 0; c < 2; c++)
      for (let r = 0; r < h; r++)
        for (let col = 0; col < w; col++) {
          const i = 2 * (c * h * w + r * w + col);
          expect(y[i]).toBe(mask1.data[col] ? x[i] : 0);
          expect(y[i + 1]).toBe(mask1.data[col] ? x[i + 1] : 0);
        }
  });
  it('rejects a mask of the wrong size', () => {
    expect(() => maskOp({ ...mask1, data: new Uint8Array(5) }, 1, h, w)).toThrow(RangeError);
  });
});
