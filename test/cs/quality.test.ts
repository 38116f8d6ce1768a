/**
 * CS on Colin27 (128² slice × smooth phase), fastMRI random mask 4× (centre 0.08, seed 0): TV and
 * wavelet must beat zero-filled in PSNR and SSIM, single-coil and 8-coil (true maps and ESPIRiT).
 */
import { describe, expect, it } from 'vitest';
import { csReconstruct } from '../../src/cs/app';
import { espiritMaps } from '../../src/cs/maps/espirit';
import { ifft2cBatch } from '../../src/kspace/fft2c';
import { psnr, ssim } from '../../src/metrics';
import { magnitude } from '../../src/cs/vec';
import { ifft2cBatch as coilImages } from '../../src/kspace/fft2c';
import { simulateKspace, withSmoothPhase } from '../../src/cs/simulate';
import { H, W, simulate, simulateWithMargin } from './helpers/colin';

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

/** RSS of the fully sampled coil images: the multi-coil reference when maps are estimated (they are normalised). */
function fullRss(magnitude: Float32Array, maps: Float32Array): Float32Array {
  const all = { dims: 1 as const, height: H, width: W, data: new Uint8Array(W).fill(1) };
  return zeroFilledRss(simulateKspace(withSmoothPhase(magnitude, H, W), H, W, all, { data: maps, coils: 8 }), 8);
}
void coilImages;

describe('CS quality on Colin27, 4×', () => {
  const cases = [
    { name: '1-coil', coils: 1 as const, maps: 'none', tv: 0.003, wav: 0.01, wavSolver: 'auto' as const },
    { name: '8-coil, true maps', coils: 8 as const, maps: 'true', tv: 0.001, wav: 0.003, wavSolver: 'fista' as const },
    {
      name: '8-coil, ESPIRiT maps (object inside the FOV)',
      coils: 8 as const,
      maps: 'espirit',
      tv: 0.001,
      wav: 0.003,
      wavSolver: 'fista' as const,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: TV and wavelet beat zero-filled in PSNR and SSIM`, () => {
      const d = c.maps === 'espirit' ? simulateWithMargin(0) : simulate(0, c.coils);
      const ref = c.maps === 'espirit' ? fullRss(d.magnitude, d.maps!) : d.magnitude;
      const range = ref.reduce((a, b) => Math.max(a, b), 0);
      const zf = zeroFilledRss(d.kspace, c.coils);
      const zp = psnr(ref, zf, range);
      const zs = ssim(ref, zf, H, W, range);
      // ESPIRiT once for both regularisers (csReconstruct would estimate it per call).
      const maps = c.maps === 'true' ? d.maps : c.maps === 'espirit' ? espiritMaps(d.kspace, 8, H, W, d.mask) : undefined;
      const input = { kspace: d.kspace, coils: c.coils, height: H, width: W, mask: d.mask, maps };
      for (const [regularizer, lambda, solver] of [
        ['tv', c.tv, 'auto'],
        ['wavelet', c.wav, c.wavSolver],
      ] as const) {
        const r = csReconstruct(input, { regularizer, lambda, iterations: 40, mapsMethod: 'espirit', solver });
        const m = magnitude(r.image);
        const p = psnr(ref, m, range);
        const s = ssim(ref, m, H, W, range);
        expect(p, `${regularizer} psnr ${p.toFixed(2)} vs zf ${zp.toFixed(2)}`).toBeGreaterThan(zp + 5);
        expect(s, `${regularizer} ssim ${s.toFixed(3)} vs zf ${zs.toFixed(3)}`).toBeGreaterThan(zs + 0.1);
      }
    });
  }
});
