import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend';
import { openScan } from '../../src/io/scan';
import { rss } from '../../src/kspace/coils';
import { ifft2cBatch } from '../../src/kspace/fft2c';
import { applyMaskBatch, makeMask } from '../../src/kspace/masks';
import { evaluateVolume } from '../../src/metrics';
import { bundledModelPath, getUnetModel, unetMethod } from '../../src/recon/unet';
import { DEMO, UNSEEN_INIA19 } from '../helpers/paths';

const ctx = { isCancelled: () => false, progress: () => undefined, log: () => undefined };

describe('bundled U-Net', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('ships small (< 2 MB) and loads', async () => {
    expect(statSync(bundledModelPath()).size).toBeLessThan(2_000_000);
    const m = await getUnetModel();
    expect(m.spec.config.inChans).toBe(1);
  });

  // the demo's slices are held out of the Colin27 training volumes; INIA19 (a macaque template) is a
  // brain the model never saw in training or tuning (scripts/make_unseen_test_data.py)
  it.each([
    ['the held-out Colin27 demo slices', DEMO],
    ['an unseen brain (INIA19)', UNSEEN_INIA19],
  ])('beats zero-filled in PSNR and SSIM on %s at 4×', async (_label, file) => {
    const src = await openScan(file);
    const { coils, height: h, width: w, slices } = src;
    const mask = makeMask(
      { type: 'random', acceleration: 4, centerFraction: 0.08, seed: basename(file) },
      { height: h, width: w },
    );
    const n = h * w;
    const gt = new Float32Array(slices * n);
    const zf = new Float32Array(slices * n);
    const un = new Float32Array(slices * n);
    for (let s = 0; s < slices; s++) {
      const masked = applyMaskBatch(src.readKspace(s), coils, h, w, mask);
      gt.set(src.readTarget(s)!, s * n);
      zf.set(rss(ifft2cBatch(masked, coils, h, w), coils, h, w), s * n);
      const out = await unetMethod.reconstructSlice({ kspace: masked, coils, height: h, width: w, mask }, {}, ctx);
      expect(out.magnitude.length).toBe(n);
      un.set(out.magnitude, s * n);
    }
    src.close();
    const z = evaluateVolume(gt, zf, slices, h, w).volume;
    const u = evaluateVolume(gt, un, slices, h, w).volume;
    console.log(
      `${basename(file)} 4×: zero-filled PSNR ${z.psnr.toFixed(2)} SSIM ${z.ssim.toFixed(4)}; U-Net PSNR ${u.psnr.toFixed(2)} SSIM ${u.ssim.toFixed(4)}`,
    );
    expect(u.psnr).toBeGreaterThan(z.psnr);
    expect(u.ssim).toBeGreaterThan(z.ssim);
  });
});
