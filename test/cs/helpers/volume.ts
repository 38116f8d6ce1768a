/**
 * A small 3-D phantom for the volume (3-D TV) tests: nested ellipsoids whose cross-sections change
 * slowly from slice to slice (the slab covers the middle 30% of the ellipsoids' z extent), with a smooth
 * in-plane phase; its k-space per slice under one mask per slice, with a little complex noise.
 */
import { fft2c } from '../../../src/kspace/fft2c';
import { makeMask } from '../../../src/kspace/masks';
import type { Mask } from '../../../src/kspace/masks/types';
import { maskWeights } from '../../../src/cs/ops/mask';
import { randomComplex } from './random';

// centre (x, y, z), semi-axes (x, y, z), added intensity (a Shepp–Logan-like layout)
const ELLIPSOIDS = [
  [0, 0, 0, 0.72, 0.92, 0.95, 1],
  [0, -0.02, 0, 0.66, 0.86, 0.85, -0.6],
  [0.22, 0, 0.1, 0.11, 0.31, 0.4, -0.2],
  [-0.22, 0, -0.1, 0.16, 0.41, 0.45, -0.2],
  [0, 0.35, 0.2, 0.21, 0.25, 0.3, 0.2],
  [0, 0.1, -0.3, 0.046, 0.046, 0.3, 0.25],
  [-0.08, -0.6, 0.1, 0.046, 0.023, 0.25, 0.3],
  [0.06, -0.6, -0.2, 0.023, 0.046, 0.25, 0.3],
] as const;

/** Complex volume [S, H, W]; zRange: the fraction of the ellipsoids' z extent the slab covers. */
export function ellipsoidVolume(slices: number, h: number, w: number, zRange = 0.3): Float32Array {
  const v = new Float32Array(2 * slices * h * w);
  for (let z = 0; z < slices; z++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const pz = zRange * ((2 * z + 1) / slices - 1);
        const py = (2 * y + 1) / h - 1;
        const px = (2 * x + 1) / w - 1;
        let val = 0;
        for (const [cx, cy, cz, ax, ay, az, a] of ELLIPSOIDS) {
          if (((px - cx) / ax) ** 2 + ((py - cy) / ay) ** 2 + ((pz - cz) / az) ** 2 <= 1) val += a;
        }
        const ph = 0.4 * px + 0.2 * py;
        const i = 2 * ((z * h + y) * w + x);
        v[i] = val * Math.cos(ph);
        v[i + 1] = val * Math.sin(ph);
      }
  return v;
}

/** Random (fastMRI) column masks, one seed per slice (seed0 + s), or the same for all when `same`. */
export function sliceMasks(slices: number, h: number, w: number, acceleration: number, same = false, seed0 = 0): Mask[] {
  return Array.from({ length: slices }, (_, s) =>
    makeMask({ type: 'random', acceleration, centerFraction: 0.08, seed: same ? seed0 : seed0 + s }, { height: h, width: w }),
  );
}

/** Single-coil masked k-space [S, H, W] of a volume, with complex noise of std `noise`·(per-pixel) on the samples. */
export function volumeKspace(truth: Float32Array, slices: number, h: number, w: number, masks: readonly Mask[], noise = 0.01) {
  const n = h * w;
  const k = new Float32Array(2 * slices * n);
  const nz = randomComplex(slices * n, 3);
  for (let s = 0; s < slices; s++) {
    const wt = maskWeights(masks[s], h, w);
    const ks = fft2c(truth.subarray(2 * s * n, 2 * (s + 1) * n), h, w);
    for (let p = 0; p < n; p++) {
      const i = 2 * (s * n + p);
      k[i] = wt[p] ? ks[2 * p] + noise * nz[i] : 0;
      k[i + 1] = wt[p] ? ks[2 * p + 1] + noise * nz[i + 1] : 0;
    }
  }
  return k;
}

/** PSNR of |image| against |truth| over the whole volume (peak = max |truth|). */
export function volumePsnr(truth: Float32Array, image: Float32Array): number {
  let mse = 0;
  let peak = 0;
  const n = truth.length / 2;
  for (let i = 0; i < n; i++) {
    const t = Math.hypot(truth[2 * i], truth[2 * i + 1]);
    const a = Math.hypot(image[2 * i], image[2 * i + 1]);
    mse += (a - t) ** 2;
    peak = Math.max(peak, t);
  }
  return 10 * Math.log10((peak * peak) / (mse / n));
}
