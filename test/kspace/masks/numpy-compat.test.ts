import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arangeFloat, roundHalfEven } from '../../../src/kspace/masks/numpy-compat';

const refs = JSON.parse(readFileSync(new URL('../../fixtures/masks/numpy_rng.json', import.meta.url), 'utf8')) as {
  arange: { start: number; stop: number; step: number; values: number[]; rounded: number[] }[];
};

describe('numpy-compatible helpers', () => {
  it('roundHalfEven rounds ties to even like Python round / np.around', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, 2.4999, 2.5001, 16.5, 29.44].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, 0, -2, 2, 3, 16, 29,
    ]);
  });

  it.each(refs.arange.map((c) => [`arange(${c.start}, ${c.stop}, ${c.step})`, c] as const))(
    '%s matches numpy value for value',
    (_n, c) => {
      const got = arangeFloat(c.start, c.stop, c.step);
      expect(Array.from(got)).toEqual(c.values);
      expect(Array.from(got, roundHalfEven)).toEqual(c.rounded);
    },
  );
});
