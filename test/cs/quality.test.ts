/**
 * CS on Colin27 (128² slice × smooth phase), fastMRI random mask 4× (centre 0.08, seed 0): TV and
 * wavelet must beat zero-filled in PSNR and SSIM, single-coil and 8-coil (true maps and ESPIRiT).
 */
import { describe, expect, it } from 'vitest';
import { csReconstruct } from '../../src/cs/app';
import { ifft2cBatch } from '../../src/kspace/fft2c';
import { psnr, ssim } from '../../src/metrics';
import { magnitude } from '../../src/cs/vec';
import { H, W, simulate } from './helpers/colin';

function zeroFilledRss(k: Float32Array, coils: number): Float32Array {
  const im = ifft2cBatch(k, coils, H, W);
  const out = new Float32Array(H * W);
  for (let p = 0; p < H * W; p++) {
    let s = 0;
    for (let c = 0; c < coils; c++) s += im[2 * (c * H * W + p)] ** 2 + im[2 * (c * H * W + p) + 1] ** 2;
    out[p] = Math.sqrt(s);
  }
  return out;
}

describe('CS quality on Colin27, 4×', () => {
  const cases = [
    { coils: 1 as const, maps: 'none', tv: 0.003, wav: 0.01 },
    { coils: 8 as const, maps: 'true', tv: 0.001, wav: 0.003 },
    { coils: 8 as const, maps: 'espirit', tv: 0.001, wav: 0.003 },
  ];
  for (const c of cases) {
    it(`${c.coils}-coil (${c.maps} maps): TV and wavelet beat zero-filled`, () => {
      const d = simulate(0, c.coils);
      const zf = zeroFilledRss(d.kspace, c.coils);
      const zp = psnr(d.magnitude, zf, d.range);
      const zs = ssim(d.magnitude, zf, H, W, d.range);
      const input = { kspace: d.kspace, coils: c.coils, height: H, width: W, mask: d.mask, maps: c.maps === 'true' ? d.maps : undefined };
      for (const [regularizer, lambda, minGain] of [
        ['tv', c.tv, 5],
        ['wavelet', c.wav, 5],
      ] as const) {
        const r = csReconstruct(input, { regularizer, lambda, iterations: 60, mapsMethod: 'espirit' });
        const m = magnitude(r.image);
        const p = psnr(d.magnitude, m, d.range);
        const s = ssim(d.magnitude, m, H, W, d.range);
        expect(p, `${regularizer} psnr ${p.toFixed(2)} vs zf ${zp.toFixed(2)}`).toBeGreaterThan(zp + minGain);
        expect(s, `${regularizer} ssim ${s.toFixed(3)} vs zf ${zs.toFixed(3)}`).toBeGreaterThan(zs + 0.05);
      }
    });
  }
});
