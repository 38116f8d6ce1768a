import { describe, expect, it } from 'vitest';
import { applyMask, applyMaskBatch, makeMask, maskToImage } from '../../../src/kspace/masks';

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i + 1);

describe('applyMask', () => {
  it('1-D masks zero whole columns and keep sampled ones untouched', () => {
    const h = 3;
    const w = 5;
    const mask = makeMask(
      { type: 'custom', acceleration: 1, centerFraction: 0.5, data: Uint8Array.from([1, 0, 1, 0, 0]) },
      { height: h, width: w },
    );
    const k = ramp(2 * h * w);
    const out = applyMask(k, h, w, mask);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = 2 * (y * w + x);
        const keep = x === 0 || x === 2;
        expect([out[i], out[i + 1]]).toEqual(keep ? [k[i], k[i + 1]] : [0, 0]);
      }
    }
    expect(k[2]).toBe(3); // input untouched
  });

  it('2-D masks select single entries; batch applies to every coil; out may alias the input', () => {
    const h = 2;
    const w = 2;
    const mask = makeMask(
      { type: 'custom', acceleration: 1, centerFraction: 0.5, data: Uint8Array.from([0, 1, 1, 0]), dataShape: [2, 2] },
      { height: h, width: w },
    );
    const k = ramp(2 * 2 * h * w);
    const out = applyMaskBatch(k, 2, h, w, mask, k);
    expect(out).toBe(k);
    expect(Array.from(out)).toEqual([0, 0, 3, 4, 5, 6, 0, 0, 0, 0, 11, 12, 13, 14, 0, 0]);
  });

  it('rejects mismatched sizes', () => {
    const mask = makeMask({ type: 'none', acceleration: 1, centerFraction: 0.5 }, { height: 4, width: 8 });
    expect(() => applyMask(new Float32Array(2 * 4 * 9), 4, 9, mask)).toThrow(/width/);
    expect(() => applyMask(new Float32Array(10), 4, 8, mask)).toThrow(/kspace length/);
    expect(() => applyMask(new Float32Array(64), 4, 8, mask, new Float32Array(3))).toThrow(/out length/);
    expect(() => applyMaskBatch(new Float32Array(64), 0, 4, 8, mask)).toThrow(/batch/);
  });

  it('maskToImage repeats a 1-D mask down the rows and copies a 2-D one', () => {
    const m1 = makeMask(
      { type: 'custom', acceleration: 1, centerFraction: 0.5, data: Uint8Array.from([0, 1, 1]) },
      { height: 2, width: 3 },
    );
    expect(Array.from(maskToImage(m1, 2))).toEqual([0, 1, 1, 0, 1, 1]);
    const m2 = makeMask({ type: 'gaussian2d', acceleration: 3, centerFraction: 0.2, seed: 0 }, { height: 10, width: 12 });
    const img = maskToImage(m2, 10);
    expect(img).toEqual(m2.data);
    expect(img).not.toBe(m2.data);
    expect(() => maskToImage(m2, 11)).toThrow(RangeError);
  });
});
