/**
 * Synthetic acquisitions for tests and benchmarks: a real magnitude image times a smooth phase,
 * optionally times coil maps, Fourier transformed (fft2c) and masked. Keeping this beside the solvers
 * lets tests and the bench build identical problems.
 */
import { fft2cBatch } from '../kspace/fft2c';
import { maskOp, type SamplingMask } from './ops/mask';

/** magnitude × exp(iφ), φ a gentle linear-plus-quadratic ramp (≤ ~1 rad across the image). */
export function withSmoothPhase(magnitude: Float32Array, h: number, w: number, strength = 1): Float32Array {
  const out = new Float32Array(2 * h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const u = x / w - 0.5;
      const v = y / h - 0.5;
      const phi = strength * (0.6 * u + 0.4 * v + 0.8 * (u * u - v * v));
      const m = magnitude[y * w + x];
      out[2 * (y * w + x)] = m * Math.cos(phi);
      out[2 * (y * w + x) + 1] = m * Math.sin(phi);
    }
  return out;
}

/** Masked k-space [coils, H, W] of image [H, W] through maps [coils, H, W] (coils = 1, no maps: S = I). */
export function simulateKspace(
  image: Float32Array,
  h: number,
  w: number,
  mask: SamplingMask,
  maps?: { data: Float32Array; coils: number },
): Float32Array {
  const coils = maps ? maps.coils : 1;
  const n = h * w;
  const coilImages = new Float32Array(2 * coils * n);
  if (!maps) coilImages.set(image);
  else
    for (let c = 0; c < coils; c++)
      for (let p = 0; p < n; p++) {
        const i = 2 * (c * n + p);
        const sr = maps.data[i];
        const si = maps.data[i + 1];
        coilImages[i] = sr * image[2 * p] - si * image[2 * p + 1];
        coilImages[i + 1] = sr * image[2 * p + 1] + si * image[2 * p];
      }
  const k = fft2cBatch(coilImages, coils, h, w);
  return maskOp(mask, coils, h, w).forward(k, k);
}

/** Every other pixel of [coils, H, W] maps: a half-resolution grid of the same smooth fields. */
export function decimateMaps(maps: Float32Array, coils: number, h: number, w: number): Float32Array {
  const h2 = h >> 1;
  const w2 = w >> 1;
  const out = new Float32Array(2 * coils * h2 * w2);
  for (let c = 0; c < coils; c++)
    for (let y = 0; y < h2; y++)
      for (let x = 0; x < w2; x++) {
        const src = 2 * (c * h * w + 2 * y * w + 2 * x);
        const dst = 2 * (c * h2 * w2 + y * w2 + x);
        out[dst] = maps[src];
        out[dst + 1] = maps[src + 1];
      }
  return out;
}
