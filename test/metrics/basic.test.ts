import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nmse } from '../../src/metrics/nmse';
import { psnr } from '../../src/metrics/psnr';
import { ssim } from '../../src/metrics/ssim';

const image = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
    .chain(([h, w]) =>
      fc
        .float32Array({ minLength: h * w, maxLength: h * w, min: 0, max: 100, noNaN: true, noDefaultInfinity: true })
        .map((data) => ({ h, w, data })),
    );

/** Two images of the same shape, gt with some positive pixel. */
const pair = image(7, 14).chain(({ h, w, data }) =>
  fc.float32Array({ minLength: h * w, maxLength: h * w, min: 0, max: 100, noNaN: true, noDefaultInfinity: true }).map((other) => {
    data[0] = Math.max(data[0], 1);
    return { h, w, gt: data, pred: other };
  }),
);

const opts = { numRuns: 60 };

describe('nmse', () => {
  it('follows ‖gt − pred‖² / ‖gt‖² in float64', () => {
    const gt = Float32Array.of(3, 4);
    const pred = Float32Array.of(0, 4);
    expect(nmse(gt, pred)).toBe(9 / 25);
  });
  it('is 0 for identical images', () => {
    fc.assert(
      fc.property(pair, ({ gt }) => nmse(gt, gt) === 0),
      opts,
    );
  });
  it('is invariant to a common positive scale and equals (1 − c)² for pred = c·gt', () => {
    fc.assert(
      fc.property(pair, fc.double({ min: 0.25, max: 4, noNaN: true }), ({ gt, pred }, a) => {
        const sg = gt.map((v) => v * 2);
        const sp = pred.map((v) => v * 2);
        expect(nmse(sg, sp)).toBeCloseTo(nmse(gt, pred), 12); // ×2 is exact in float32
        const c = Math.fround(a);
        const scaled = Float64Array.from(gt, (v) => v * c);
        // compare against float64 arithmetic on exactly the scaled values fed in
        const p32 = Float32Array.from(scaled);
        let num = 0;
        let den = 0;
        gt.forEach((g, i) => {
          num += (g - p32[i]) ** 2;
          den += g * g;
        });
        expect(nmse(gt, p32)).toBeCloseTo(num / den, 12);
        expect(nmse(gt, p32)).toBeCloseTo((1 - c) ** 2, 5);
      }),
      opts,
    );
  });
  it('throws on an all-zero gt', () => {
    expect(() => nmse(new Float32Array(4), Float32Array.of(1, 0, 0, 0))).toThrow('gt is all zeros: NMSE undefined');
  });
  it('validates inputs, naming the parameter', () => {
    expect(() => nmse(new Float32Array(0), new Float32Array(0))).toThrow(/gt is empty/);
    expect(() => nmse(Float32Array.of(1, 2), Float32Array.of(1))).toThrow(/pred has length 1, expected 2/);
    expect(() => nmse(Float32Array.of(1, NaN), Float32Array.of(1, 2))).toThrow(/gt contains NaN at index 1/);
    expect(() => nmse(Float32Array.of(1, 2), Float32Array.of(Infinity, 2))).toThrow(/pred contains Infinity at index 0/);
    expect(() => nmse(Float32Array.of(1, 2), Float32Array.of(1))).toThrow(RangeError);
  });
});

describe('psnr', () => {
  it('is Infinity for identical images', () => {
    fc.assert(
      fc.property(pair, ({ gt }) => psnr(gt, gt) === Infinity),
      opts,
    );
  });
  it('defaults dataRange to max(gt), not max − min', () => {
    const gt = Float32Array.of(10, 20, 30, 40);
    const pred = Float32Array.of(11, 20, 30, 40);
    expect(psnr(gt, pred)).toBeCloseTo(10 * Math.log10((40 * 40) / 0.25), 12);
    expect(psnr(gt, pred, 30)).toBeCloseTo(10 * Math.log10((30 * 30) / 0.25), 12);
  });
  it('is symmetric for an explicit dataRange and scale invariant with the default one', () => {
    fc.assert(
      fc.property(pair, ({ gt, pred }) => {
        fc.pre(gt.some((v, i) => v !== pred[i]));
        expect(psnr(gt, pred, 100)).toBe(psnr(pred, gt, 100));
        const sg = gt.map((v) => v * 4);
        const sp = pred.map((v) => v * 4);
        expect(psnr(sg, sp)).toBeCloseTo(psnr(gt, pred), 9);
      }),
      opts,
    );
  });
  it('rejects a non-positive data range', () => {
    expect(() => psnr(new Float32Array(3), Float32Array.of(1, 0, 0))).toThrow(/dataRange \(defaulted to max of gt\)/);
    expect(() => psnr(Float32Array.of(1), Float32Array.of(0), 0)).toThrow(/dataRange must be a positive/);
    expect(() => psnr(Float32Array.of(1), Float32Array.of(0), NaN)).toThrow(RangeError);
  });
});

describe('ssim properties', () => {
  it('ssim(x, x) = 1 exactly', () => {
    fc.assert(
      fc.property(pair, ({ h, w, gt }) => ssim(gt, gt, h, w, 100) === 1),
      opts,
    );
  });
  it('is symmetric', () => {
    fc.assert(
      fc.property(pair, ({ h, w, gt, pred }) => {
        expect(ssim(gt, pred, h, w, 100)).toBeCloseTo(ssim(pred, gt, h, w, 100), 12);
      }),
      opts,
    );
  });
  it('is invariant to scaling both images and the data range', () => {
    fc.assert(
      fc.property(pair, ({ h, w, gt, pred }) => {
        const sg = gt.map((v) => v * 8);
        const sp = pred.map((v) => v * 8);
        expect(ssim(sg, sp, h, w, 800)).toBeCloseTo(ssim(gt, pred, h, w, 100), 10);
      }),
      opts,
    );
  });
  it('stays in [-1, 1]', () => {
    fc.assert(
      fc.property(pair, ({ h, w, gt, pred }) => {
        const s = ssim(gt, pred, h, w, 100);
        return s >= -1 - 1e-12 && s <= 1 + 1e-12;
      }),
      opts,
    );
  });
  it('validates shape, window and range', () => {
    const a = new Float32Array(64).fill(1);
    expect(() => ssim(a, a, 8, 7, 1)).toThrow(/gt has length 64, expected 56/);
    expect(() => ssim(a, a, 16, 4, 1)).toThrow(/at least 7/);
    expect(() => ssim(a, a, 0, 8, 1)).toThrow(/h must be a positive integer/);
    expect(() => ssim(a, a, 8, 8, 0)).toThrow(/dataRange must be a positive/);
    const b = a.slice();
    b[5] = NaN;
    expect(() => ssim(a, b, 8, 8, 1)).toThrow(/pred contains NaN at index 5/);
  });
});
