import { describe, expect, it } from 'vitest';
import { complexAbs, rss, rssReal } from '../../../src/kspace/coils';
import { randomArray } from './helpers';

describe('complexAbs', () => {
  it('computes |re + i·im| per element, into out when given', () => {
    const out = new Float32Array(3);
    const res = complexAbs(Float32Array.of(3, 4, 0, -2, -1, 0), 3, out);
    expect(res).toBe(out);
    expect(Array.from(res)).toEqual([5, 2, 1]);
  });
  it('validates n and lengths', () => {
    expect(() => complexAbs(new Float32Array(4), 3)).toThrow(/x has length 4, expected 6/);
    expect(() => complexAbs(new Float32Array(4), 0)).toThrow(/n must be a positive integer/);
    expect(() => complexAbs(new Float32Array(4), 2, new Float32Array(3))).toThrow(/out has length 3/);
  });
});

describe('rss', () => {
  const coils = 4;
  const h = 5;
  const w = 3;
  const x = randomArray(2 * coils * h * w, 7);

  it('is sqrt(Σ_c |x_c|²) per pixel', () => {
    const r = rss(x, coils, h, w);
    for (let i = 0; i < h * w; i++) {
      let s = 0;
      for (let c = 0; c < coils; c++) {
        const o = 2 * (c * h * w + i);
        s += x[o] ** 2 + x[o + 1] ** 2;
      }
      expect(r[i]).toBeCloseTo(Math.sqrt(s), 6);
    }
  });
  it('for one coil equals complexAbs, and equals rssReal of the coil magnitudes', () => {
    expect(rss(x.subarray(0, 2 * h * w), 1, h, w)).toEqual(complexAbs(x.subarray(0, 2 * h * w), h * w));
    const mags = complexAbs(x, coils * h * w);
    const a = rss(x, coils, h, w);
    const b = rssReal(mags, coils, h, w);
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6));
  });
  it('rssReal takes signed real values too', () => {
    expect(Array.from(rssReal(Float32Array.of(3, -1, -4, 0), 2, 1, 2))).toEqual([5, 1]);
  });
  it('validates shapes, naming the parameter', () => {
    expect(() => rss(x, 3, h, w)).toThrow(/coilImages has length 120, expected 90/);
    expect(() => rss(x, coils, 0, w)).toThrow(/h must be a positive integer/);
    expect(() => rssReal(x, coils, h, w)).toThrow(/images has length/);
  });
});
