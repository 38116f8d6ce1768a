import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeMask, type MaskType } from '../../../src/kspace/masks';

interface FixtureCase {
  type: MaskType;
  width: number;
  center_fraction: number;
  acceleration: number;
  seed: number | string;
  num_low_frequencies?: number;
  mask?: number[];
  error?: string;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/masks/fastmri_masks.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};

describe('fastMRI masks are bit-identical to fastmri.data.subsample', () => {
  it('has the 160 reference cases', () => {
    expect(fixture.cases).toHaveLength(160);
  });

  it.each(
    fixture.cases.map(
      (c, i) => [`${i} ${c.type} W=${c.width} cf=${c.center_fraction} R=${c.acceleration} seed=${c.seed}`, c] as const,
    ),
  )('%s', (_name, c) => {
    const params = { type: c.type, acceleration: c.acceleration, centerFraction: c.center_fraction, seed: c.seed };
    const shape = { height: 640, width: c.width };
    if (c.mask === undefined) {
      expect(() => makeMask(params, shape)).toThrow();
      return;
    }
    const mask = makeMask(params, shape);
    expect(mask.dims).toBe(1);
    expect(mask.numLowFrequencies).toBe(c.num_low_frequencies);
    expect(Array.from(mask.data)).toEqual(c.mask);
    const sampled = c.mask.reduce((a, b) => a + b, 0);
    expect(mask.acceleration).toBeCloseTo(c.width / sampled, 12);
    expect(mask.sampledFraction).toBeCloseTo(sampled / c.width, 12);
  });
});
