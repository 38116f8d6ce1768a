import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeMask } from '../../../src/kspace/masks';
import { poissonAccelerations } from '../../../src/kspace/masks/poisson2d';
import { boxIsSampled, centreVsEdgeDensity, countSampled } from './two-d.helpers';

describe('poisson2d mask', () => {
  it('holds its calibration box and exactly round(N / (Ry·Rz)) samples', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 80 }),
        fc.integer({ min: 8, max: 80 }),
        fc.double({ min: 1, max: 12, noNaN: true }),
        fc.double({ min: 0.02, max: 0.3, noNaN: true }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (height, width, acceleration, centerFraction, seed) => {
          const m = makeMask({ type: 'poisson2d', acceleration, centerFraction, seed }, { height, width });
          expect(boxIsSampled(m)).toBe(true);
          const [r, c] = m.calibrationShape!;
          const n = height * width;
          const want = Math.max(r * c, Math.max(1, Math.round(n / acceleration)));
          expect(Math.abs(countSampled(m) - want)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('per-axis accelerations: explicit pair sets the total, one fills the other, default sqrt each', () => {
    expect(poissonAccelerations({ type: 'poisson2d', acceleration: 9, centerFraction: 0.1 })).toEqual([3, 3]);
    expect(poissonAccelerations({ type: 'poisson2d', acceleration: 8, centerFraction: 0.1, accelerationY: 2 })).toEqual([2, 4]);
    expect(
      poissonAccelerations({ type: 'poisson2d', acceleration: 8, centerFraction: 0.1, accelerationY: 2, accelerationZ: 3 }),
    ).toEqual([2, 3]);
    const m = makeMask(
      { type: 'poisson2d', acceleration: 4, centerFraction: 0.05, accelerationY: 2, accelerationZ: 3, seed: 5 },
      { height: 96, width: 96 },
    );
    expect(m.acceleration).toBeCloseTo(6, 2);
    expect(() =>
      makeMask({ type: 'poisson2d', acceleration: 4, centerFraction: 0.05, accelerationZ: 0.5 }, { height: 32, width: 32 }),
    ).toThrow(/accelerationZ/);
  });

  it('spreads points apart (far fewer touching neighbours than independent sampling) with variable density', () => {
    const m = makeMask({ type: 'poisson2d', acceleration: 4, centerFraction: 0.04, seed: 3 }, { height: 128, width: 128 });
    const { width: w, height: h, data } = m;
    let touching = 0;
    let pts = 0;
    for (let y = 8; y < h - 8; y++) {
      for (let x = 8; x < w - 8; x++) {
        const inBox = Math.abs(y - h / 2) < 12 && Math.abs(x - w / 2) < 12;
        if (inBox || !data[y * w + x]) continue;
        pts++;
        if (data[y * w + x + 1] || data[(y + 1) * w + x]) touching++;
      }
    }
    const p = 1 / 4;
    const iid = 1 - (1 - p) ** 2;
    expect(touching / pts).toBeLessThan(0.5 * iid);
    const [inner, outer] = centreVsEdgeDensity(m);
    expect(inner).toBeGreaterThan(1.3 * outer);
  });

  it('is deterministic per seed and different across seeds', () => {
    const p = { type: 'poisson2d' as const, acceleration: 5, centerFraction: 0.06, seed: 'file1000001.h5' };
    const a = makeMask(p, { height: 64, width: 72 });
    expect(makeMask(p, { height: 64, width: 72 }).data).toEqual(a.data);
    expect(makeMask({ ...p, seed: 'file1000002.h5' }, { height: 64, width: 72 }).data).not.toEqual(a.data);
  });
});
