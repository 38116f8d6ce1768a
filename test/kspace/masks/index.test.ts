import { describe, expect, it } from 'vitest';
import { MASK_TYPES, makeMask, type MaskParams } from '../../../src/kspace/masks';

const shape = { height: 16, width: 32 };
const base: MaskParams = { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 0 };

describe('makeMask', () => {
  it('none samples everything', () => {
    const m = makeMask({ type: 'none', acceleration: 1, centerFraction: 0.5 }, shape);
    expect(m).toMatchObject({ dims: 1, width: 32, height: 16, acceleration: 1, sampledFraction: 1 });
    expect(m.data.every((v) => v === 1)).toBe(true);
  });

  it('custom masks accept 1-D and 2-D data and report their acceleration', () => {
    const line = new Uint8Array(32);
    line.fill(1, 12, 20);
    const m1 = makeMask({ type: 'custom', acceleration: 1, centerFraction: 0.5, data: line }, shape);
    expect(m1).toMatchObject({ dims: 1, acceleration: 4, sampledFraction: 0.25, numLowFrequencies: 8 });
    const plane = new Uint8Array(16 * 32);
    plane.fill(1, 0, 64);
    const m2 = makeMask({ type: 'custom', acceleration: 1, centerFraction: 0.5, data: plane, dataShape: [16, 32] }, shape);
    expect(m2).toMatchObject({ dims: 2, acceleration: 8 });
    expect(m2.data).not.toBe(plane);
    const m3 = makeMask({ type: 'custom', acceleration: 1, centerFraction: 0.5, data: line, dataShape: [1, 32] }, shape);
    expect(m3.dims).toBe(1);
  });

  it('an empty custom mask reports infinite acceleration', () => {
    const m = makeMask({ type: 'custom', acceleration: 1, centerFraction: 0.5, data: new Uint8Array(32) }, shape);
    expect(m.acceleration).toBe(Infinity);
    expect(m.sampledFraction).toBe(0);
  });

  it('lists every type for the UI', () => {
    expect(MASK_TYPES.map((t) => t.type).sort()).toEqual(
      [
        'custom',
        'equispaced',
        'equispaced_fraction',
        'gaussian2d',
        'magic',
        'magic_fraction',
        'none',
        'poisson2d',
        'random',
      ].sort(),
    );
    for (const t of MASK_TYPES) expect(t.description.length).toBeGreaterThan(10);
  });

  describe('bad input → RangeError naming the parameter', () => {
    const cases: [string, MaskParams, { height: number; width: number }, RegExp][] = [
      ['width 0', base, { height: 16, width: 0 }, /width must be a positive integer, got 0/],
      ['width negative', base, { height: 16, width: -3 }, /width/],
      ['width non-integer', base, { height: 16, width: 2.5 }, /width/],
      ['height 0', base, { height: 0, width: 32 }, /height/],
      ['height NaN', base, { height: NaN, width: 32 }, /height/],
      ['acceleration 0.5', { ...base, acceleration: 0.5 }, shape, /mask: acceleration must be ≥ 1, got 0\.5/],
      ['acceleration NaN', { ...base, acceleration: NaN }, shape, /acceleration/],
      ['acceleration Infinity', { ...base, acceleration: Infinity }, shape, /acceleration/],
      ['centerFraction 0', { ...base, centerFraction: 0 }, shape, /centerFraction must be in \(0, 1\)/],
      ['centerFraction 1', { ...base, centerFraction: 1 }, shape, /centerFraction/],
      ['centerFraction NaN', { ...base, centerFraction: NaN }, shape, /centerFraction/],
      ['unknown type', { ...base, type: 'spiral' as never }, shape, /type must be one of/],
      ['seed negative', { ...base, seed: -1 }, shape, /seed/],
      ['seed non-integer', { ...base, seed: 1.5 }, shape, /seed/],
      ['seed ≥ 2^32', { ...base, seed: 2 ** 32 }, shape, /seed/],
      ['seed empty string', { ...base, seed: '' }, shape, /seed/],
      [
        'equispaced fractional acceleration',
        { ...base, type: 'equispaced', acceleration: 2.5 },
        shape,
        /acceleration must be an integer/,
      ],
      ['magic fractional acceleration', { ...base, type: 'magic', acceleration: 2.5 }, shape, /acceleration must be an integer/],
      ['random centre band covering everything', { ...base, centerFraction: 0.99 }, { height: 4, width: 33 }, /centerFraction/],
      [
        'magic_fraction with nothing left outside the band',
        { ...base, type: 'magic_fraction', acceleration: 30 },
        { height: 4, width: 33 },
        /acceleration/,
      ],
      [
        'equispaced_fraction band already at target',
        { ...base, type: 'equispaced_fraction', centerFraction: 0.5 },
        { height: 4, width: 33 },
        /acceleration/,
      ],
      ['custom without data', { type: 'custom', acceleration: 1, centerFraction: 0.5 }, shape, /data is required/],
      [
        'custom wrong width',
        { type: 'custom', acceleration: 1, centerFraction: 0.5, data: new Uint8Array(31) },
        shape,
        /data length/,
      ],
      [
        'custom wrong 1-D shape',
        { type: 'custom', acceleration: 1, centerFraction: 0.5, data: new Uint8Array(31), dataShape: [31] },
        shape,
        /dataShape width must be 32/,
      ],
      [
        'custom wrong 2-D shape',
        { type: 'custom', acceleration: 1, centerFraction: 0.5, data: new Uint8Array(512), dataShape: [32, 16] },
        shape,
        /dataShape must be \[16, 32\]/,
      ],
      [
        'custom non-binary',
        { type: 'custom', acceleration: 1, centerFraction: 0.5, data: new Uint8Array(32).fill(2) },
        shape,
        /only 0 and 1/,
      ],
      ['2-D calibration too large', { ...base, type: 'gaussian2d', calibration: 17 }, shape, /calibration/],
      ['2-D calibration non-integer', { ...base, type: 'poisson2d', calibration: 2.5 }, shape, /calibration/],
      ['accelerationY below 1', { ...base, type: 'poisson2d', accelerationY: 0 }, shape, /accelerationY/],
    ];
    it.each(cases)('%s', (_name, params, s, message) => {
      expect(() => makeMask(params, s)).toThrow(RangeError);
      expect(() => makeMask(params, s)).toThrow(message);
    });
  });
});
