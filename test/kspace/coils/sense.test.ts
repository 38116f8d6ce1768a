import { describe, expect, it } from 'vitest';
import { senseAdjoint, senseForward, sensitivityCombine } from '../../../src/kspace/coils';
import { innerProduct, loadNpy, randomArray } from './helpers';

const maps = loadNpy('data/colin_multicoil_maps.npy');
const [coils, h, w] = maps.shape;
const n = h * w;

describe('SENSE operators with the colin coil maps', () => {
  it('senseAdjoint is the adjoint of senseForward: ⟨Sx, y⟩ = ⟨x, Sᴴy⟩', () => {
    const x = randomArray(2 * n, 1);
    const y = randomArray(2 * coils * n, 2);
    const [lr, li] = innerProduct(senseForward(x, maps.data, coils, h, w), y);
    const [rr, ri] = innerProduct(x, senseAdjoint(y, maps.data, coils, h, w));
    const scale = Math.hypot(lr, li);
    expect(Math.abs(lr - rr) / scale).toBeLessThan(1e-6);
    expect(Math.abs(li - ri) / scale).toBeLessThan(1e-6);
  });

  it('sensitivityCombine inverts senseForward where the maps cover the pixel', () => {
    const x = randomArray(2 * n, 3);
    const back = sensitivityCombine(senseForward(x, maps.data, coils, h, w), maps.data, coils, h, w);
    let worst = 0;
    for (let i = 0; i < 2 * n; i++) worst = Math.max(worst, Math.abs(back[i] - x[i]));
    expect(worst).toBeLessThan(1e-5);
  });

  it('senseAdjoint weights by Σ|S|², sensitivityCombine divides it out', () => {
    const x = randomArray(2 * n, 4);
    const adj = senseAdjoint(senseForward(x, maps.data, coils, h, w), maps.data, coils, h, w);
    for (const p of [0, 1234, n - 1]) {
      let s2 = 0;
      for (let c = 0; c < coils; c++) s2 += maps.data[2 * (c * n + p)] ** 2 + maps.data[2 * (c * n + p) + 1] ** 2;
      expect(adj[2 * p]).toBeCloseTo(s2 * x[2 * p], 5);
      expect(adj[2 * p + 1]).toBeCloseTo(s2 * x[2 * p + 1], 5);
    }
  });
});

describe('SENSE operators, small cases', () => {
  const s = Float32Array.of(1, 1, 0, 0, 0, 2, 0, 0); // 2 coils, 1×2: S0 = [1+i, 0], S1 = [2i, 0]
  it('computes S_c·x and Σ conj(S_c)·y_c', () => {
    const x = Float32Array.of(1, 0, 5, 5);
    expect(Array.from(senseForward(x, s, 2, 1, 2))).toEqual([1, 1, 0, 0, 0, 2, 0, 0]);
    const y = Float32Array.of(1, 0, 3, 3, 0, 1, 3, 3);
    // conj(1+i)·1 + conj(2i)·i = (1 − i) + 2 = 3 − i; no coverage at pixel 1 → 0
    expect(Array.from(senseAdjoint(y, s, 2, 1, 2))).toEqual([3, -1, 0, 0]);
  });
  it('gives 0 where Σ|S|² = 0 and writes into out when given', () => {
    const out = new Float32Array(4);
    const res = sensitivityCombine(Float32Array.of(1, 1, 9, 9, 0, 2, 9, 9), s, 2, 1, 2, out);
    expect(res).toBe(out);
    // (conj(1+i)(1+i) + conj(2i)(2i)) / (2 + 4) = 1
    expect(Array.from(res)).toEqual([1, 0, 0, 0]);
  });
  it('validates sizes, naming the parameter', () => {
    expect(() => senseForward(new Float32Array(2), s, 2, 1, 2)).toThrow(/image has length 2, expected 4/);
    expect(() => senseAdjoint(new Float32Array(6), s, 2, 1, 2)).toThrow(/coilImages has length 6, expected 8/);
    expect(() => senseForward(new Float32Array(4), s, 3, 1, 2)).toThrow(/maps has length 8, expected 12/);
    expect(() => sensitivityCombine(new Float32Array(8), s, 2, 1, 2, undefined, 0)).toThrow(/eps must be positive/);
    expect(() => senseForward(new Float32Array(4), s, 2, 1, 2, new Float32Array(4))).toThrow(/out has length 4/);
  });
});
