import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeMask, type MaskType } from '../../../src/kspace/masks';
import { roundHalfEven } from '../../../src/kspace/masks/numpy-compat';

const LINE_TYPES: MaskType[] = ['random', 'equispaced', 'equispaced_fraction', 'magic', 'magic_fraction'];
const H = 4;

const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);

describe('1-D (fastMRI) masks: properties', () => {
  it('centre band is fully sampled, contiguous and straddles W/2 where fastMRI puts it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LINE_TYPES),
        fc.integer({ min: 8, max: 1500 }),
        fc.double({ min: 0.01, max: 0.3, noNaN: true }),
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (type, width, centerFraction, acceleration, seed) => {
          let mask;
          try {
            mask = makeMask({ type, acceleration, centerFraction, seed }, { height: H, width });
          } catch (e) {
            // Only the combinations fastMRI itself cannot build may fail, and as RangeError.
            expect(e).toBeInstanceOf(RangeError);
            return;
          }
          const n = mask.numLowFrequencies;
          if (type !== 'magic_fraction') expect(n).toBe(roundHalfEven(width * centerFraction));
          const pad = Math.floor((width - n + 1) / 2);
          for (let i = pad; i < pad + n; i++) expect(mask.data[i]).toBe(1);
          if (n > 0) {
            const mid = Math.floor(width / 2);
            const left = mid - pad;
            const right = pad + n - 1 - mid;
            expect(left).toBeGreaterThanOrEqual(0);
            expect(right).toBeGreaterThanOrEqual(0);
            expect(Math.abs(left - right)).toBeLessThanOrEqual(1);
          }
          expect(mask.data.every((v) => v === 0 || v === 1)).toBe(true);
          if (sum(mask.data) === 0) {
            // tiny widths with no centre lines can draw nothing at all: reported, not hidden
            expect(mask.acceleration).toBe(Infinity);
            expect(mask.sampledFraction).toBe(0);
            return;
          }
          expect(mask.acceleration).toBeCloseTo(width / sum(mask.data), 12);
          expect(mask.sampledFraction * mask.acceleration).toBeCloseTo(1, 12);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random masks reach the requested acceleration within 6 binomial standard deviations on wide k-space', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2048, max: 8192 }),
        fc.double({ min: 2, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 0.08, noNaN: true }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (width, acceleration, centerFraction, seed) => {
          const mask = makeMask({ type: 'random', acceleration, centerFraction, seed }, { height: H, width });
          const n = mask.numLowFrequencies;
          const p = (width / acceleration - n) / (width - n);
          const sd = Math.sqrt((width - n) * p * (1 - p));
          expect(Math.abs(sum(mask.data) - width / acceleration)).toBeLessThanOrEqual(6 * sd + 1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('exact-fraction variants land close to W / acceleration', () => {
    for (const width of [320, 368, 372, 640, 1024]) {
      for (const [acceleration, centerFraction] of [
        [4, 0.08],
        [8, 0.04],
      ] as const) {
        for (const type of ['equispaced_fraction', 'magic_fraction'] as const) {
          const mask = makeMask({ type, acceleration, centerFraction, seed: 7 }, { height: H, width });
          // Integer spacing (magic) and overlap with the centre band make these miss by up to ~8 %.
          expect(Math.abs(sum(mask.data) - width / acceleration), `${type} W=${width} R=${acceleration}`).toBeLessThanOrEqual(
            0.1 * (width / acceleration) + 2,
          );
        }
      }
    }
  });

  it('is deterministic for the same seed and differs across seeds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LINE_TYPES),
        fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.string({ minLength: 1, maxLength: 30 })),
        (type, seed) => {
          const params = { type, acceleration: 4, centerFraction: 0.08, seed };
          const a = makeMask(params, { height: H, width: 368 });
          const b = makeMask(params, { height: H, width: 368 });
          expect(Array.from(a.data)).toEqual(Array.from(b.data));
        },
      ),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), (s1, s2) => {
        fc.pre(s1 !== s2);
        const a = makeMask({ type: 'random', acceleration: 4, centerFraction: 0.08, seed: s1 }, { height: H, width: 368 });
        const b = makeMask({ type: 'random', acceleration: 4, centerFraction: 0.08, seed: s2 }, { height: H, width: 368 });
        expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
      }),
      { numRuns: 40 },
    );
    expect(
      Array.from(
        makeMask({ type: 'random', acceleration: 4, centerFraction: 0.08, seed: 'file1.h5' }, { height: H, width: 368 }).data,
      ),
    ).not.toEqual(
      Array.from(
        makeMask({ type: 'random', acceleration: 4, centerFraction: 0.08, seed: 'file2.h5' }, { height: H, width: 368 }).data,
      ),
    );
  });

  it('equispaced offsets vary with the seed; an unseeded call draws a fresh mask', () => {
    const patterns = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      patterns.add(
        makeMask({ type: 'equispaced', acceleration: 4, centerFraction: 0.08, seed }, { height: H, width: 368 }).data.join(''),
      );
    }
    expect(patterns.size).toBe(4);
    const a = makeMask({ type: 'random', acceleration: 4, centerFraction: 0.08 }, { height: H, width: 368 });
    const b = makeMask({ type: 'random', acceleration: 4, centerFraction: 0.08 }, { height: H, width: 368 });
    expect(a.data.join('')).not.toBe(b.data.join(''));
  });

  it('equispaced keeps every R-th column from its offset and magic mirrors across the centre', () => {
    const eq = makeMask({ type: 'equispaced', acceleration: 4, centerFraction: 0.08, seed: 0 }, { height: H, width: 64 });
    const n = eq.numLowFrequencies;
    const pad = Math.floor((64 - n + 1) / 2);
    const outer = Array.from(eq.data, (v, i) => (i >= pad && i < pad + n ? -1 : v));
    const offset = outer.findIndex((v) => v === 1);
    expect(offset).toBeLessThan(4);
    outer.forEach((v, i) => {
      if (v !== -1) expect(v, `column ${i}`).toBe((i - offset) % 4 === 0 ? 1 : 0);
    });
  });
});
