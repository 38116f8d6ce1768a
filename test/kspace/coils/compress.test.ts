import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyCoilCompression, coilCovariance, compressCoils, rss } from '../../../src/kspace/coils';
import { fixturePath, loadNpy, randomArray, rng } from './helpers';

const {
  eigenvalues: npEigenvalues,
  covariance_re: covRe,
  covariance_im: covIm,
} = JSON.parse(readFileSync(fixturePath('coils/maps_covariance_eigh.json'), 'utf8')) as {
  eigenvalues: number[];
  covariance_re: number[];
  covariance_im: number[];
};

/** x = Aᴴ·y: the back-projection of virtual coils to the physical coil space. */
function expand(y: Float32Array, matrix: Float64Array, coils: number, vc: number, n: number): Float64Array {
  const x = new Float64Array(2 * coils * n);
  for (let i = 0; i < coils; i++) {
    for (let k = 0; k < vc; k++) {
      const mr = matrix[2 * (k * coils + i)];
      const mi = -matrix[2 * (k * coils + i) + 1];
      for (let p = 0; p < n; p++) {
        const yr = y[2 * (k * n + p)];
        const yi = y[2 * (k * n + p) + 1];
        x[2 * (i * n + p)] += mr * yr - mi * yi;
        x[2 * (i * n + p) + 1] += mr * yi + mi * yr;
      }
    }
  }
  return x;
}

describe('compressCoils', () => {
  it('to all coils is unitary: per-pixel RSS and total energy preserved', () => {
    const coils = 6;
    const h = 12;
    const w = 10;
    const k = randomArray(2 * coils * h * w, 3);
    const res = compressCoils(k, coils, h, w, coils);
    const before = rss(k, coils, h, w);
    const after = rss(res.kspace, coils, h, w);
    before.forEach((v, i) => expect(Math.abs(after[i] - v)).toBeLessThan(1e-5 * Math.max(1, v)));
    expect(res.energy.reduce((s, e) => s + e, 0)).toBeCloseTo(1, 12);
    for (let i = 1; i < coils; i++) expect(res.energy[i]).toBeLessThanOrEqual(res.energy[i - 1]);
    // rows of the matrix are orthonormal
    for (let a = 0; a < coils; a++) {
      for (let b = 0; b < coils; b++) {
        let re = 0;
        let im = 0;
        for (let i = 0; i < coils; i++) {
          const ar = res.matrix[2 * (a * coils + i)];
          const ai = res.matrix[2 * (a * coils + i) + 1];
          const br = res.matrix[2 * (b * coils + i)];
          const bi = res.matrix[2 * (b * coils + i) + 1];
          re += ar * br + ai * bi;
          im += ai * br - ar * bi;
        }
        expect(re).toBeCloseTo(a === b ? 1 : 0, 12);
        expect(im).toBeCloseTo(0, 12);
      }
    }
  });

  it('8 coils of rank 2 compress to 2 virtual coils with 100% energy and lossless back-projection', () => {
    const coils = 8;
    const h = 16;
    const w = 12;
    const n = h * w;
    const base = [randomArray(2 * n, 21), randomArray(2 * n, 22)];
    const r = rng(5);
    const k = new Float32Array(2 * coils * n);
    for (let c = 0; c < coils; c++) {
      const w0 = [r() - 0.5, r() - 0.5];
      const w1 = [r() - 0.5, r() - 0.5];
      for (let p = 0; p < n; p++) {
        const [ar, ai] = [base[0][2 * p], base[0][2 * p + 1]];
        const [br, bi] = [base[1][2 * p], base[1][2 * p + 1]];
        k[2 * (c * n + p)] = w0[0] * ar - w0[1] * ai + w1[0] * br - w1[1] * bi;
        k[2 * (c * n + p) + 1] = w0[0] * ai + w0[1] * ar + w1[0] * bi + w1[1] * br;
      }
    }
    const res = compressCoils(k, coils, h, w, 2);
    expect(res.kspace.length).toBe(2 * 2 * n);
    expect(res.energy[0] + res.energy[1]).toBeGreaterThan(1 - 1e-6);
    for (let i = 2; i < coils; i++) expect(res.eigenvalues[i] / res.eigenvalues[0]).toBeLessThan(1e-6);
    const back = expand(res.kspace, res.matrix, coils, 2, n);
    expect(Math.max(...back.map((v, i) => Math.abs(v - k[i])))).toBeLessThan(1e-5);
  });

  it('covariance and eigenvalues match numpy (eigh) on the colin coil maps', () => {
    const maps = loadNpy('data/colin_multicoil_maps.npy');
    const [coils, h, w] = maps.shape;
    const cov = coilCovariance(maps.data, coils, h, w);
    cov.forEach((v, i) => {
      const ref = i % 2 === 0 ? covRe[i >> 1] : covIm[i >> 1];
      expect(Math.abs(v - ref)).toBeLessThan(1e-9 * npEigenvalues[0]);
    });
    const res = compressCoils(maps.data, coils, h, w, 4);
    res.eigenvalues.forEach((v, i) => expect(Math.abs(v / npEigenvalues[i] - 1)).toBeLessThan(1e-9));
    const total = npEigenvalues.reduce((s, v) => s + v, 0);
    res.energy.forEach((e, i) => expect(e).toBeCloseTo(npEigenvalues[i] / total, 12));
    // applying the returned matrix reproduces the compressed data
    const again = applyCoilCompression(maps.data, res.matrix, coils, 4, h, w);
    expect(again.every((v, i) => v === res.kspace[i])).toBe(true); // toEqual is slow on 0.5M floats
  });

  it('validates inputs, naming the parameter', () => {
    const k = randomArray(2 * 3 * 4 * 4, 1);
    expect(() => compressCoils(k, 3, 4, 4, 4)).toThrow(/virtualCoils 4 exceeds coils 3/);
    expect(() => compressCoils(k, 3, 4, 4, 0)).toThrow(/virtualCoils must be a positive integer/);
    expect(() => compressCoils(k, 3, 4, 5, 2)).toThrow(/kspace has length 96, expected 120/);
    expect(() => compressCoils(k, -1, 4, 4, 2)).toThrow(/coils must be a positive integer/);
    const bad = k.slice();
    bad[17] = NaN;
    expect(() => compressCoils(bad, 3, 4, 4, 2)).toThrow('kspace contains NaN at index 17');
    expect(() => compressCoils(new Float32Array(k.length), 3, 4, 4, 2)).toThrow(/all zeros/);
  });
});
