import { describe, expect, it } from 'vitest';
import { METRICS, getMetric } from '../../src/metrics/registry';
import { nmse } from '../../src/metrics/nmse';
import { psnr } from '../../src/metrics/psnr';
import { ssim } from '../../src/metrics/ssim';

describe('METRICS registry', () => {
  const h = 8;
  const w = 9;
  const gt = Float32Array.from({ length: h * w }, (_, i) => (i * 7) % 11);
  const pred = Float32Array.from(gt, (v, i) => v + ((i % 3) - 1) * 0.5);

  it('lists nmse, psnr, ssim with their direction', () => {
    expect(METRICS.map((m) => [m.name, m.higherIsBetter])).toEqual([
      ['nmse', false],
      ['psnr', true],
      ['ssim', true],
    ]);
  });
  it('dispatches to the metric functions with fastMRI defaults', () => {
    expect(getMetric('nmse').fn(gt, pred, h, w)).toBe(nmse(gt, pred));
    expect(getMetric('psnr').fn(gt, pred, h, w)).toBe(psnr(gt, pred));
    expect(getMetric('ssim').fn(gt, pred, h, w)).toBe(ssim(gt, pred, h, w, 10));
    expect(getMetric('ssim').fn(gt, pred, h, w, 20)).toBe(ssim(gt, pred, h, w, 20));
  });
  it('rejects unknown names', () => {
    expect(() => getMetric('mae')).toThrow(/name must be one of nmse, psnr, ssim/);
  });
});
