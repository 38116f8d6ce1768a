import { describe, expect, it } from 'vitest';
import { evaluateVolume } from '../../src/metrics/volume';
import { nmse } from '../../src/metrics/nmse';
import { psnr } from '../../src/metrics/psnr';
import { ssim } from '../../src/metrics/ssim';
import { CASES, loadImage, loadJson, type CaseValues } from './fixtures';

const gt = loadImage('gt.npy');
const [slices, h, w] = gt.shape;
const expected = loadJson<{ cases: Record<string, CaseValues> }>('expected.json').cases;
const extra = loadJson<{ float64: Record<string, CaseValues> }>('reference_extra.json').float64;

const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('evaluateVolume vs fastMRI/skimage fixtures', () => {
  for (const name of CASES) {
    const pred = loadImage(`pred_${name}.npy`).data;

    it(`${name}: float32 arithmetic reproduces expected.json (skimage on float32) to 1e-6`, () => {
      const r = evaluateVolume(gt.data, pred, slices, h, w, { arithmetic: 'float32' });
      const e = expected[name];
      expect(rel(r.volume.nmse, e.nmse)).toBeLessThan(1e-6);
      expect(rel(r.volume.psnr, e.psnr)).toBeLessThan(1e-6);
      expect(Math.abs(r.volume.ssim - e.ssim)).toBeLessThan(1e-6);
      r.slices.forEach((s, i) => expect(Math.abs(s.ssim - e.ssim_slices[i])).toBeLessThan(1e-6));
    });

    it(`${name}: float32 is the default, as fastMRI runs it`, () => {
      expect(evaluateVolume(gt.data, pred, slices, h, w)).toEqual(
        evaluateVolume(gt.data, pred, slices, h, w, { arithmetic: 'float32' }),
      );
    });

    it(`${name}: float64 arithmetic matches skimage on float64 inputs to 1e-9`, () => {
      const r = evaluateVolume(gt.data, pred, slices, h, w, { arithmetic: 'float64' });
      const e = extra[name];
      expect(rel(r.volume.nmse, e.nmse)).toBeLessThan(1e-9);
      expect(rel(r.volume.psnr, e.psnr)).toBeLessThan(1e-9);
      expect(Math.abs(r.volume.ssim - e.ssim)).toBeLessThan(1e-9);
      r.slices.forEach((s, i) => expect(Math.abs(s.ssim - e.ssim_slices[i])).toBeLessThan(1e-9));
      // float32-vs-float64 gap in skimage itself is below 1e-5 on these cases
      expect(Math.abs(r.volume.ssim - expected[name].ssim)).toBeLessThan(1e-5);
    });

    it(`${name}: per-slice values use the volume max as data range`, () => {
      const r = evaluateVolume(gt.data, pred, slices, h, w, { arithmetic: 'float64' });
      const n = h * w;
      let max = -Infinity;
      for (const v of gt.data) max = Math.max(max, v);
      r.slices.forEach((s, i) => {
        const g = gt.data.subarray(i * n, (i + 1) * n);
        const p = pred.subarray(i * n, (i + 1) * n);
        expect(s.nmse).toBeCloseTo(nmse(g, p), 12);
        expect(s.psnr).toBeCloseTo(psnr(g, p, max), 10);
        expect(s.ssim).toBe(ssim(g, p, h, w, max));
      });
      expect(r.volume.ssim).toBeCloseTo(r.slices.reduce((a, s) => a + s.ssim, 0) / slices, 14);
    });
  }

  it('whole-volume nmse/psnr equal the flat-array functions', () => {
    const pred = loadImage('pred_noise.npy').data;
    const r = evaluateVolume(gt.data, pred, slices, h, w);
    expect(r.volume.nmse).toBeCloseTo(nmse(gt.data, pred), 14);
    expect(r.volume.psnr).toBe(psnr(gt.data, pred));
  });

  it('an all-zero gt slice gives slice NMSE NaN but a defined volume NMSE', () => {
    const g = new Float32Array(2 * 8 * 8);
    const p = new Float32Array(2 * 8 * 8);
    for (let i = 64; i < 128; i++) {
      g[i] = 1 + (i % 5);
      p[i] = g[i] + 0.1;
    }
    const r = evaluateVolume(g, p, 2, 8, 8);
    expect(r.slices[0].nmse).toBeNaN();
    expect(r.slices[0].psnr).toBe(Infinity);
    expect(Number.isFinite(r.volume.nmse)).toBe(true);
  });

  it('rejects bad shapes and data', () => {
    const a = new Float32Array(2 * 8 * 8).fill(1);
    expect(() => evaluateVolume(a, a, 3, 8, 8)).toThrow(/gt has length/);
    expect(() => evaluateVolume(a, a.subarray(1), 2, 8, 8)).toThrow(/pred has length/);
    expect(() => evaluateVolume(a, a, 0, 8, 8)).toThrow(/slices must be a positive integer/);
    expect(() => evaluateVolume(a, a, 2, 8.5, 8)).toThrow(RangeError);
    expect(() => evaluateVolume(new Float32Array(128), a, 2, 8, 8)).toThrow(RangeError);
  });
});
