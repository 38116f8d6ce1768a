/**
 * Low-resolution coil sensitivities (the simple fallback to ESPIRiT): keep the calibration region of
 * each coil's k-space under a separable Hann window, inverse FFT, and divide every coil image by their
 * root-sum-of-squares. Pixels whose RSS is below `threshold` × max RSS (background) get zero maps, so
 * SENSE does not amplify noise there. Maps come out normalised (Σ_c|s_c|² = 1 on the support).
 */
import { ifft2cBatch } from '../../kspace/fft2c';
import type { SamplingMask } from '../ops/mask';
import { calibrationRegion } from './calibration';
import { alignPhase } from './normalize';

export interface LowresOptions {
  /** calibration size cap per axis (default 24, like BART's ecalib -r) */
  calibrationSize?: number;
  /** relative RSS below which a pixel is background (default 0.05) */
  threshold?: number;
}

/** Hann-windowed calibration region of each coil, inverse transformed: smooth coil images [C, H, W]. */
export function lowresCoilImages(
  kspace: Float32Array,
  coils: number,
  h: number,
  w: number,
  mask: SamplingMask,
  calibrationSize = 24,
): Float32Array {
  const reg = calibrationRegion(mask, h, w, calibrationSize);
  if (reg.rows < 2 || reg.cols < 2) throw new RangeError('maps: the mask has no fully sampled centre to calibrate on');
  const n = h * w;
  const windowed = new Float32Array(2 * coils * n);
  const hann = (i: number, len: number) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / len);
  for (let c = 0; c < coils; c++)
    for (let y = 0; y < reg.rows; y++) {
      const wy = hann(y, reg.rows);
      for (let x = 0; x < reg.cols; x++) {
        const wgt = wy * hann(x, reg.cols);
        const i = 2 * (c * n + (reg.y0 + y) * w + reg.x0 + x);
        windowed[i] = wgt * kspace[i];
        windowed[i + 1] = wgt * kspace[i + 1];
      }
    }
  return ifft2cBatch(windowed, coils, h, w);
}

export function lowresMaps(
  kspace: Float32Array,
  coils: number,
  h: number,
  w: number,
  mask: SamplingMask,
  options: LowresOptions = {},
): Float32Array {
  const img = lowresCoilImages(kspace, coils, h, w, mask, options.calibrationSize ?? 24);
  const n = h * w;
  const rss = new Float32Array(n);
  let max = 0;
  for (let p = 0; p < n; p++) {
    let s = 0;
    for (let c = 0; c < coils; c++) s += img[2 * (c * n + p)] ** 2 + img[2 * (c * n + p) + 1] ** 2;
    rss[p] = Math.sqrt(s);
    if (rss[p] > max) max = rss[p];
  }
  const cut = (options.threshold ?? 0.05) * max;
  const maps = new Float32Array(img.length);
  for (let p = 0; p < n; p++) {
    if (!(rss[p] > cut)) continue;
    for (let c = 0; c < coils; c++) {
      const i = 2 * (c * n + p);
      maps[i] = img[i] / rss[p];
      maps[i + 1] = img[i + 1] / rss[p];
    }
  }
  alignPhase(maps, img, coils, n);
  return maps;
}
