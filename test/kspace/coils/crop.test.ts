import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  centerCrop,
  centerCropBatch,
  centerPadOrCrop,
  complexCenterCrop,
  complexCenterCropBatch,
  removeReadoutOversampling,
  unetCropSize,
} from '../../../src/kspace/coils';

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('centerCrop (fastMRI center_crop: start = (size − crop) // 2)', () => {
  it('crops a 5×6 image to 3×3 starting at (1, 1)', () => {
    const img = ramp(30);
    expect(Array.from(centerCrop(img, 5, 6, 3, 3))).toEqual([7, 8, 9, 13, 14, 15, 19, 20, 21]);
  });
  it('drops the extra odd row/column at the end', () => {
    // h 4 → 1: start (4 − 1) // 2 = 1; w 4 → 2: start 1
    expect(Array.from(centerCrop(ramp(16), 4, 4, 1, 2))).toEqual([5, 6]);
  });
  it('full-size crop is a copy', () => {
    const img = ramp(12);
    const c = centerCrop(img, 3, 4, 3, 4);
    expect(c).toEqual(img);
    expect(c).not.toBe(img);
  });
  it('throws when the crop is larger than the image or not positive', () => {
    expect(() => centerCrop(ramp(12), 3, 4, 4, 4)).toThrow(/ch 4 is larger than the image height 3/);
    expect(() => centerCrop(ramp(12), 3, 4, 3, 5)).toThrow(/cw 5 is larger than the image width 4/);
    expect(() => centerCrop(ramp(12), 3, 4, 0, 2)).toThrow(/ch must be a positive integer/);
    expect(() => centerCrop(ramp(11), 3, 4, 2, 2)).toThrow(/img has length 11, expected 12/);
  });
  it('batched form crops every image of the stack the same way', () => {
    const stack = ramp(3 * 5 * 6);
    const out = centerCropBatch(stack, 3, 5, 6, 2, 4);
    for (let b = 0; b < 3; b++) {
      expect(out.subarray(b * 8, (b + 1) * 8)).toEqual(centerCrop(stack.subarray(b * 30, (b + 1) * 30), 5, 6, 2, 4));
    }
  });
});

describe('complexCenterCrop', () => {
  it('crops interleaved pairs with the same offsets as the real crop', () => {
    const re = ramp(30);
    const z = new Float32Array(60);
    re.forEach((v, i) => {
      z[2 * i] = v;
      z[2 * i + 1] = -v;
    });
    const c = complexCenterCrop(z, 5, 6, 3, 3);
    const expected = centerCrop(re, 5, 6, 3, 3);
    expected.forEach((v, i) => {
      expect(c[2 * i]).toBe(v);
      expect(c[2 * i + 1]).toBe(-v);
    });
    const b = complexCenterCropBatch(Float32Array.of(...z, ...z), 2, 5, 6, 3, 3);
    expect(b.subarray(18)).toEqual(c);
  });
});

describe('centerPadOrCrop', () => {
  it('pads then crops back to the original exactly (pad is crop’s inverse)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (h, w, dh, dw, complex) => {
          const img = ramp(h * w * (complex ? 2 : 1)).map((v) => v + 1);
          const padded = centerPadOrCrop(img, 1, h, w, h + dh, w + dw, complex);
          const back = centerPadOrCrop(padded, 1, h + dh, w + dw, h, w, complex);
          expect(back).toEqual(img);
          // nothing lost or invented: the padded image holds the same values plus zeros
          expect(padded.reduce((s, v) => s + v, 0)).toBe(img.reduce((s, v) => s + v, 0));
        },
      ),
      { numRuns: 100 },
    );
  });
  it('crops one dimension while padding the other', () => {
    // 2×4 → 4×2: rows padded at offset 1, columns cropped from 1
    const out = centerPadOrCrop(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 1, 2, 4, 4, 2);
    expect(Array.from(out)).toEqual([0, 0, 2, 3, 6, 7, 0, 0]);
  });
  it('equals centerCrop when the target is smaller', () => {
    expect(centerPadOrCrop(ramp(30), 1, 5, 6, 3, 3)).toEqual(centerCrop(ramp(30), 5, 6, 3, 3));
  });
});

describe('unetCropSize (fastMRI UnetDataTransform)', () => {
  it('uses the target size normally', () => {
    expect(unetCropSize(640, 368, 320, 320)).toEqual([320, 320]);
  });
  it('crops to a w×w square when the image is narrower than the target (FLAIR 203)', () => {
    expect(unetCropSize(640, 260, 320, 320)).toEqual([260, 260]);
  });
});

describe('removeReadoutOversampling', () => {
  it('keeps the central h/2 rows of each coil (640 → 320 keeps rows 160..479)', () => {
    const coils = 2;
    const h = 640;
    const w = 3;
    const z = new Float32Array(coils * h * w * 2);
    for (let c = 0; c < coils; c++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = 2 * ((c * h + y) * w + x);
          z[i] = y;
          z[i + 1] = c;
        }
      }
    }
    const out = removeReadoutOversampling(z, coils, h, w);
    expect(out.length).toBe(coils * 320 * w * 2);
    expect(out[0]).toBe(160);
    expect(out[2 * (319 * w)]).toBe(479);
    expect(out[2 * (320 * w) + 1]).toBe(1); // second coil starts after 320 rows
    expect(out).toEqual(complexCenterCropBatch(z, coils, h, w, 320, w));
  });
  it('validates', () => {
    expect(() => removeReadoutOversampling(new Float32Array(2), 1, 1, 1)).toThrow(/h must be at least 2/);
    expect(() => removeReadoutOversampling(new Float32Array(8), 1, 2, 1)).toThrow(/coilImages has length 8, expected 4/);
  });
});
