import { describe, expect, it } from 'vitest';
import { executeLanes, getPlan } from '../../../src/kspace/fft/plan';
import { factorize, MAX_DIRECT_PRIME } from '../../../src/kspace/fft/stockham';

/** Naive forward DFT of each lane of an [n][L] split array. */
function naive(re: Float64Array, im: Float64Array, n: number, L: number): [Float64Array, Float64Array] {
  const or = new Float64Array(n * L);
  const oi = new Float64Array(n * L);
  for (let l = 0; l < L; l++) {
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * ((j * k) % n)) / n;
        sr += re[j * L + l] * Math.cos(a) - im[j * L + l] * Math.sin(a);
        si += re[j * L + l] * Math.sin(a) + im[j * L + l] * Math.cos(a);
      }
      or[k * L + l] = sr;
      oi[k * L + l] = si;
    }
  }
  return [or, oi];
}

describe('1-D plans over lanes', () => {
  it('factorizes into 8/4/2 then odd radices, or defers to Bluestein', () => {
    expect(factorize(1)).toEqual([]);
    expect(factorize(256)).toEqual([8, 8, 4]);
    expect(factorize(640)).toEqual([8, 4, 4, 5]);
    expect(factorize(368)).toEqual([4, 4, 23]);
    expect(factorize(2 * 3 * 3 * 7)).toEqual([2, 3, 3, 7]);
    expect(factorize(53)).toBeNull();
    expect(getPlan(53).kind).toBe('bluestein');
    expect(getPlan(MAX_DIRECT_PRIME).kind).toBe('stockham');
    expect(getPlan(640)).toBe(getPlan(640)); // cached
  });

  for (const n of [1, 2, 3, 4, 5, 7, 8, 12, 16, 23, 30, 47, 53, 64, 97, 100, 106, 128, 150, 211]) {
    it(`n = ${n}`, () => {
      const L = 3;
      const re = new Float64Array(n * L).map((_, i) => Math.sin(i * 1.7 + 0.3));
      const im = new Float64Array(n * L).map((_, i) => Math.cos(i * 0.9));
      const [er, ei] = naive(re, im, n, L);
      const br = new Float64Array(n * L);
      const bi = new Float64Array(n * L);
      const inB = executeLanes(getPlan(n), re, im, br, bi, L);
      const [rr, ri] = inB ? [br, bi] : [re, im];
      let err = 0;
      let norm = 0;
      for (let i = 0; i < n * L; i++) {
        err += (rr[i] - er[i]) ** 2 + (ri[i] - ei[i]) ** 2;
        norm += er[i] ** 2 + ei[i] ** 2;
      }
      expect(Math.sqrt(err / norm)).toBeLessThan(1e-12);
    });
  }
});
