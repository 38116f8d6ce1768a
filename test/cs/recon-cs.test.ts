import { describe, expect, it } from 'vitest';
import { csTvMethod, csWaveletMethod } from '../../src/recon/cs';
import { wantsVolume } from '../../src/recon/methods';
import { ifft2c } from '../../src/kspace/fft2c';
import { magnitude } from '../../src/cs/vec';
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
  it("cs-tv with tv '3d' reconstructs the volume in one call, per-iteration progress, cancellable", async () => {
    expect(wantsVolume({ method: 'cs-tv', tv: '3d' })).toBe(true);
    expect(wantsVolume({ method: 'cs-tv', tv: '2d' })).toBe(false);
    expect(wantsVolume({ method: 'cs-tv' })).toBe(false);
    expect(wantsVolume({ method: 'zf' })).toBe(false);
    const d1 = simulate(1, 1);
    const n2 = 2 * H * W;
    const kspace = new Float32Array(2 * n2);
    kspace.set(d1.kspace, 0);
    kspace.set(d.kspace, n2);
    const vol = { kspace, slices: 2, coils: 1, height: H, width: W, mask: d.mask };
    const fr: [number, string | undefined][] = [];
    const out = await csTvMethod.reconstructVolume!(
      vol,
      { tv: '3d', iterations: 20 },
      { isCancelled: () => false, progress: (f, m) => fr.push([f, m]), log: () => {} },
    );
    expect(out.slices).toHaveLength(2);
    expect(out.slices[1].magnitude.length).toBe(H * W);
    expect(out.slices[1].info).toMatchObject({
      tv: '3d',
      zWeight: 1,
      solver: 'admm',
      xUpdate: 'fourier-dct-exact',
      lambda: 0.003,
    });
    expect(fr.filter(([, m]) => m?.startsWith('3-D TV iter')).length).toBe(out.slices[0].info!.iterations);
    expect(fr.at(-1)![0]).toBe(1);
    // well above zero-filled (≈ 20 → 28.5 dB; these two Colin27 slices differ a lot, 2-D TV does ≈ 30)
    const zf = psnr(d.magnitude, magnitude(ifft2c(d.kspace, H, W)), d.range);
    expect(psnr(d.magnitude, out.slices[1].magnitude, d.range)).toBeGreaterThan(zf + 3);
    let polls = 0;
    expect(() =>
      csTvMethod.reconstructVolume!(vol, { tv: '3d' }, { isCancelled: () => ++polls > 2, progress: () => {}, log: () => {} }),
    ).toThrow(CancelledError);
  });
});
