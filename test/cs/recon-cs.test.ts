import { describe, expect, it } from 'vitest';
import { csTvMethod, csWaveletMethod } from '../../src/recon/cs';
import { CancelledError } from '../../src/recon/types';
import { psnr } from '../../src/metrics';
import { H, W, simulate } from './helpers/colin';

describe('cs-tv / cs-wavelet recon methods', () => {
  const d = simulate(2, 1);
  const input = { kspace: d.kspace, coils: 1, height: H, width: W, mask: d.mask };
  it('return magnitude, complex image and diagnostics with defaults', async () => {
    for (const m of [csTvMethod, csWaveletMethod]) {
      const fr: number[] = [];
      const out = await m.reconstructSlice(input, {}, { isCancelled: () => false, progress: (f) => fr.push(f), log: () => {} });
      expect(out.magnitude.length).toBe(H * W);
      expect(out.complex!.length).toBe(2 * H * W);
      expect(out.info!.iterations).toBeLessThanOrEqual(100);
      expect(typeof out.info!.lambda).toBe('number');
      expect((out.info!.objective as number[]).length).toBe(out.info!.iterations);
      expect(fr.at(-1)).toBe(1);
      expect(psnr(d.magnitude, out.magnitude, d.range)).toBeGreaterThan(27);
    }
    expect(csTvMethod.name).toBe('cs-tv');
    expect(csWaveletMethod.name).toBe('cs-wavelet');
  });
  it('throws CancelledError when the context cancels', () => {
    let polls = 0;
    expect(() =>
      csTvMethod.reconstructSlice(input, {}, { isCancelled: () => ++polls > 2, progress: () => {}, log: () => {} }),
    ).toThrow(CancelledError);
  });
});
