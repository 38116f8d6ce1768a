import { assertLength, assertPositiveInt } from '../validate';
import { checkStack, outputArray } from './shape';

/** |z| for n interleaved complex values: sqrt(re² + im²) as fastMRI (Math.hypot is slower and rounds differently). */
export function complexAbs(x: Float32Array, n: number, out?: Float32Array): Float32Array {
  assertPositiveInt(n, 'n');
  assertLength(x, 2 * n, 'x');
  const res = outputArray(out, n);
  for (let i = 0; i < n; i++) {
    const re = x[2 * i];
    const im = x[2 * i + 1];
    res[i] = Math.sqrt(re * re + im * im);
  }
  return res;
}

/**
 * Root-sum-of-squares coil combination of complex coil images [coils, h, w] (interleaved):
 * sqrt(Σ_c |x_c|²) per pixel, accumulated in float64 (fastMRI's rss_complex).
 */
export function rss(coilImages: Float32Array, coils: number, h: number, w: number, out?: Float32Array): Float32Array {
  checkStack(coilImages, 'coilImages', coils, 'coils', h, w, 2);
  const n = h * w;
  const acc = new Float64Array(n);
  for (let c = 0; c < coils; c++) {
    const base = 2 * c * n;
    for (let i = 0; i < n; i++) {
      const re = coilImages[base + 2 * i];
      const im = coilImages[base + 2 * i + 1];
      acc[i] += re * re + im * im;
    }
  }
  const res = outputArray(out, n);
  for (let i = 0; i < n; i++) res[i] = Math.sqrt(acc[i]);
  return res;
}

/** Root-sum-of-squares of real (e.g. magnitude) coil images [coils, h, w] (fastMRI's rss). */
export function rssReal(images: Float32Array, coils: number, h: number, w: number, out?: Float32Array): Float32Array {
  checkStack(images, 'images', coils, 'coils', h, w, 1);
  const n = h * w;
  const acc = new Float64Array(n);
  for (let c = 0; c < coils; c++) {
    const base = c * n;
    for (let i = 0; i < n; i++) {
      const v = images[base + i];
      acc[i] += v * v;
    }
  }
  const res = outputArray(out, n);
  for (let i = 0; i < n; i++) res[i] = Math.sqrt(acc[i]);
  return res;
}
