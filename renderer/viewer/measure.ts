/**
 * Measurements on engine images (Float32, row-major, image units): pixel value under the cursor, a
 * line profile, rectangle ROI statistics and the window presets. Pure: unit-tested without a DOM.
 */
export interface Pt {
  x: number;
  y: number;
}
export interface Raster {
  data: Float32Array;
  width: number;
  height: number;
}

/** Value of the pixel containing the continuous point p, or null outside the image. */
export function valueAt(r: Raster, p: Pt): number | null {
  const x = Math.floor(p.x);
  const y = Math.floor(p.y);
  if (x < 0 || y < 0 || x >= r.width || y >= r.height) return null;
  return r.data[y * r.width + x];
}

/** Bilinear samples along a→b (pixel centres at +0.5); one sample per pixel of length, at least 2. */
export function sampleLine(r: Raster, a: Pt, b: Pt, n?: number): { t: number[]; v: (number | null)[]; length: number } {
  const length = Math.hypot(b.x - a.x, b.y - a.y);
  const count = n ?? Math.max(2, Math.min(2048, Math.ceil(length) + 1));
  const t: number[] = [];
  const v: (number | null)[] = [];
  for (let i = 0; i < count; i++) {
    const f = count === 1 ? 0 : i / (count - 1);
    const x = a.x + (b.x - a.x) * f - 0.5;
    const y = a.y + (b.y - a.y) * f - 0.5;
    t.push(f * length);
    v.push(bilinear(r, x, y));
  }
  return { t, v, length };
}

function bilinear(r: Raster, x: number, y: number): number | null {
  if (x < -0.5 || y < -0.5 || x > r.width - 0.5 || y > r.height - 0.5) return null;
  const cx = Math.max(0, Math.min(r.width - 1, x));
  const cy = Math.max(0, Math.min(r.height - 1, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(r.width - 1, x0 + 1);
  const y1 = Math.min(r.height - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const at = (xx: number, yy: number) => r.data[yy * r.width + xx];
  return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}

export interface RoiStats {
  mean: number;
  std: number;
  min: number;
  max: number;
  n: number;
}

/** Statistics of the pixels whose centres lie inside the rectangle spanned by a and b (clipped to the image). */
export function roiStats(r: Raster, a: Pt, b: Pt): RoiStats | null {
  const x0 = Math.max(0, Math.ceil(Math.min(a.x, b.x) - 0.5));
  const x1 = Math.min(r.width - 1, Math.floor(Math.max(a.x, b.x) - 0.5));
  const y0 = Math.max(0, Math.ceil(Math.min(a.y, b.y) - 0.5));
  const y1 = Math.min(r.height - 1, Math.floor(Math.max(a.y, b.y) - 0.5));
  if (x1 < x0 || y1 < y0) return null;
  let n = 0;
  let sum = 0;
  let sum2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const v = r.data[y * r.width + x];
      if (!Number.isFinite(v)) continue;
      n++;
      sum += v;
      sum2 += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (n === 0) return null;
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  return { mean, std, min, max, n };
}

export type WindowPreset = 'auto' | 'full' | 'tissue' | 'stretch';
export const WINDOW_PRESETS: { id: WindowPreset; label: string; help: string }[] = [
  { id: 'auto', label: 'Default (0.5–99.5 %)', help: 'robust range of the reference slice' },
  { id: 'full', label: 'Full range', help: 'minimum to maximum of the reference slice' },
  { id: 'tissue', label: 'Brain / tissue', help: 'excludes the background: 40th–99th percentile' },
  { id: 'stretch', label: 'Contrast-stretched', help: '5th–95th percentile: saturates both ends' },
];

export function percentiles(data: Float32Array, ps: number[]): number[] {
  const step = Math.max(1, Math.floor(data.length / 32768));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i])) sample.push(data[i]);
  if (sample.length === 0) return ps.map(() => 0);
  sample.sort((a, b) => a - b);
  return ps.map((p) => sample[Math.min(sample.length - 1, Math.max(0, Math.round(p * (sample.length - 1))))]);
}

export function presetWindow(data: Float32Array, preset: WindowPreset): { center: number; width: number } {
  const [lo, hi] =
    preset === 'full'
      ? percentiles(data, [0, 1])
      : preset === 'tissue'
        ? percentiles(data, [0.4, 0.99])
        : preset === 'stretch'
          ? percentiles(data, [0.05, 0.95])
          : percentiles(data, [0.005, 0.995]);
  const top = hi > lo ? hi : lo + (Math.abs(lo) || 1) * 1e-3;
  return { center: (lo + top) / 2, width: top - lo };
}
