/**
 * Float32 engine images → the Int16 + slope/intercept form cornerstone-core renders (it draws Float32
 * pixel data black). Stored values span −32500..32500; modality value = stored·slope + intercept, so
 * window/level stays in the engine's own intensity units. Pure: unit-tested without a DOM.
 */
import type { Image } from '../../src/contract/schemas';

export const STORED_MIN = -32500;
export const STORED_MAX = 32500;

export interface Int16Image {
  pixels: Int16Array;
  slope: number;
  intercept: number;
  /** stored units */
  minPixelValue: number;
  maxPixelValue: number;
  /** modality units (the engine's) */
  min: number;
  max: number;
  width: number;
  height: number;
}

export function toInt16(img: Image): Int16Image {
  const { width, height, data } = img;
  if (data.length !== width * height) throw new Error(`image has ${data.length} pixels, expected ${width}×${height}`);
  const min = Number.isFinite(img.min) ? img.min : 0;
  let max = Number.isFinite(img.max) ? img.max : 0;
  if (!(max > min)) max = min + 1; // flat image: any non-zero slope keeps the maths finite
  const slope = (max - min) / (STORED_MAX - STORED_MIN);
  const intercept = min + -STORED_MIN * slope; // min ↦ −32500
  const pixels = new Int16Array(data.length);
  // hot path (every slice of every pane): multiply by 1/slope, round with floor(x + ½) (= Math.round),
  // and catch NaN/±Infinity with x − x ≠ 0, all without calls
  const inv = 1 / slope;
  const off = 0.5 - intercept * inv;
  let lo = STORED_MAX;
  let hi = STORED_MIN;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    let s = STORED_MIN;
    if (v - v === 0) {
      s = Math.floor(v * inv + off);
      if (s < STORED_MIN) s = STORED_MIN;
      else if (s > STORED_MAX) s = STORED_MAX;
    }
    pixels[i] = s;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  if (data.length === 0) lo = hi = 0;
  return { pixels, slope, intercept, minPixelValue: lo, maxPixelValue: hi, min: img.min, max: img.max, width, height };
}

/** Modality value of a stored value (what cornerstone computes with slope/intercept). */
export function modalityValue(stored: number, slope: number, intercept: number): number {
  return stored * slope + intercept;
}

/**
 * A robust default window: [p0.5, p99.5] of the image, in modality units, from a sample of at most ~16k
 * pixels (plenty for a display window). The two order statistics come from quickselect on a typed copy:
 * O(n), no comparator sort of boxed numbers (that took ~10 ms per 256² image on the main thread).
 */
export function percentileWindow(data: Float32Array, lowP = 0.005, highP = 0.995): { center: number; width: number } {
  if (data.length === 0) return { center: 0.5, width: 1 };
  const step = Math.max(1, Math.floor(data.length / 16384));
  const sample = new Float32Array(Math.ceil(data.length / step));
  let n = 0;
  for (let i = 0; i < data.length; i += step) {
    const v = data[i];
    if (v - v === 0) sample[n++] = v;
  }
  if (n === 0) return { center: 0.5, width: 1 };
  const rank = (p: number) => Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))));
  const lr = rank(lowP);
  const hr = rank(highP);
  const s = sample.subarray(0, n);
  const lo = select(s, lr, 0, n - 1);
  // everything right of lr is ≥ lo after the first selection: the second only searches there
  let hi = hr > lr ? select(s, hr, lr + 1, n - 1) : lo;
  if (!(hi > lo)) hi = lo + (Math.abs(lo) || 1) * 1e-3;
  return { center: (lo + hi) / 2, width: hi - lo };
}

/** The k-th smallest of a[left..right] (Hoare quickselect, median-of-three); reorders a in place. */
function select(a: Float32Array, k: number, left: number, right: number): number {
  while (right > left) {
    const mid = (left + right) >> 1;
    // median of three as the pivot: sorted/constant inputs stay linear
    let x = a[left];
    let y = a[mid];
    let z = a[right];
    if (x > y) [x, y] = [y, x];
    if (y > z) [y, z] = [z, y];
    if (x > y) [x, y] = [y, x];
    const pivot = y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k];
  }
  return a[k];
}
