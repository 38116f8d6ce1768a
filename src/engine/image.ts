import type { Image } from '../contract/schemas';

/** Wraps a float image with its range, which the viewer needs for window/level defaults. */
export function toImage(data: Float32Array, height: number, width: number): Image {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) min = max = 0;
  return { width, height, data, min, max };
}

/** |a − b| per pixel: the error map shown beside each reconstruction. */
export function absDiff(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.abs(a[i] - b[i]);
  return out;
}

/** log(1 + Σ_c |k_c|) over coils: the k-space picture under the mask preview. */
export function kspaceLogMagnitude(kspace: Float32Array, coils: number, height: number, width: number): Float32Array {
  const n = height * width;
  const out = new Float32Array(n);
  for (let c = 0; c < coils; c++) {
    const base = 2 * c * n;
    for (let i = 0; i < n; i++) {
      const re = kspace[base + 2 * i];
      const im = kspace[base + 2 * i + 1];
      out[i] += Math.sqrt(re * re + im * im);
    }
  }
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, out[i]);
  const scale = peak > 0 ? 1e4 / peak : 1;
  for (let i = 0; i < n; i++) out[i] = Math.log1p(out[i] * scale);
  return out;
}

/** A real image as complex (imaginary part zero), for the k-space view of magnitude results. */
export function realToComplex(x: Float32Array): Float32Array {
  const out = new Float32Array(2 * x.length);
  for (let i = 0; i < x.length; i++) out[2 * i] = x[i];
  return out;
}

/** Phase in radians of an interleaved complex image. */
export function phaseOf(c: Float32Array): Float32Array {
  const out = new Float32Array(c.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Math.atan2(c[2 * i + 1], c[2 * i]);
  return out;
}
