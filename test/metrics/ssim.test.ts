import { describe, expect, it } from 'vitest';
import { ssim, ssimWithMap } from '../../src/metrics/ssim';
import { reflectIndex, uniformFilter2d } from '../../src/metrics/uniformFilter';
import { loadJson } from './fixtures';

interface Extra {
  small: { h: number; w: number; gt: number[]; pred: number[]; dataRange: number; ssim: number; map: number[] }[];
  uniform: { h: number; w: number; x: number[]; y: number[] }[];
}
const extra = loadJson<Extra>('reference_extra.json');

describe('uniformFilter2d (scipy uniform_filter, reflect)', () => {
  it('reflects as d c b a | a b c d | d c b a, also past one period', () => {
    const n = 4;
    expect([-4, -3, -2, -1, 0, 3, 4, 5, 6, 7, 8].map((i) => reflectIndex(i, n))).toEqual([3, 2, 1, 0, 0, 3, 3, 2, 1, 0, 0]);
    expect([-3, -2, -1, 0, 1, 2, 3].map((i) => reflectIndex(i, 1))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
  for (const c of extra.uniform) {
    it(`matches scipy on a ${c.h}×${c.w} image smaller than the window`, () => {
      const out = uniformFilter2d(Float64Array.from(c.x), c.h, c.w, 7, new Float64Array(c.h * c.w));
      out.forEach((v, i) => expect(v).toBeCloseTo(c.y[i], 14));
    });
  }
});

describe('ssimWithMap vs skimage full=True', () => {
  for (const c of extra.small) {
    it(`${c.h}×${c.w}: scalar and full map (border included) match`, () => {
      const gt = Float32Array.from(c.gt);
      const pred = Float32Array.from(c.pred);
      const r = ssimWithMap(gt, pred, c.h, c.w, c.dataRange);
      expect(Math.abs(r.ssim - c.ssim)).toBeLessThan(1e-12);
      expect(r.map.length).toBe(c.h * c.w);
      r.map.forEach((v, i) => expect(Math.abs(v - c.map[i])).toBeLessThan(1e-6)); // map is float32
      expect(ssim(gt, pred, c.h, c.w, c.dataRange)).toBe(r.ssim);
    });
  }
});
