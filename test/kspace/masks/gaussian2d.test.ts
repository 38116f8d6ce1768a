import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeMask } from '../../../src/kspace/masks';
import { boxIsSampled, centreVsEdgeDensity, countSampled } from './two-d.helpers';

describe('gaussian2d mask', () => {
  it('holds its calibration box and exactly round(N / R) samples (acceleration exact up to that rounding)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 96 }),
        fc.integer({ min: 8, max: 96 }),
        fc.double({ min: 1, max: 12, noNaN: true }),
        fc.double({ min: 0.02, max: 0.3, noNaN: true }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (height, width, acceleration, centerFraction, seed) => {
          const m = makeMask({ type: 'gaussian2d', acceleration, centerFraction, seed }, { height, width });
          expect(m.dims).toBe(2);
          expect(m.data).toHaveLength(height * width);
          expect(boxIsSampled(m)).toBe(true);
          const [r, c] = m.calibrationShape!;
          const n = height * width;
          const want = Math.max(r * c, Math.max(1, Math.round(n / acceleration)));
          expect(Math.abs(countSampled(m) - want)).toBeLessThanOrEqual(1); // ±1 only where n / R is a tie
          if (r * c < want) expect(Math.abs(n / m.acceleration - n / acceleration)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is denser near the centre, deterministic per seed, and different across seeds', () => {
    const p = { type: 'gaussian2d' as const, acceleration: 6, centerFraction: 0.05, seed: 11 };
    const a = makeMask(p, { height: 128, width: 128 });
    const [inner, outer] = centreVsEdgeDensity(a);
    expect(inner).toBeGreaterThan(1.5 * outer);
    expect(makeMask(p, { height: 128, width: 128 }).data).toEqual(a.data);
    expect(makeMask({ ...p, seed: 12 }, { height: 128, width: 128 }).data).not.toEqual(a.data);
  });

  it('uses an explicit calibration size', () => {
    const m = makeMask(
      { type: 'gaussian2d', acceleration: 4, centerFraction: 0.08, calibration: 12, seed: 1 },
      { height: 64, width: 48 },
    );
    expect(m.calibrationShape).toEqual([12, 12]);
    expect(m.numLowFrequencies).toBe(12);
    expect(boxIsSampled(m)).toBe(true);
  });
});
