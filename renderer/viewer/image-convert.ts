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
  let lo = STORED_MAX;
  let hi = STORED_MIN;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    let s = Number.isFinite(v) ? Math.round((v - intercept) / slope) : STORED_MIN;
    if (s < STORED_MIN) s = STORED_MIN;
    else if (s > STORED_MAX) s = STORED_MAX;
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

/** A robust default window: [p0.5, p99.5] of the image, in modality units. */
export function percentileWindow(data: Float32Array, lowP = 0.005, highP = 0.995): { center: number; width: number } {
  if (data.length === 0) return { center: 0.5, width: 1 };
  // sample at most ~16k pixels: plenty for a display window
  const step = Math.max(1, Math.floor(data.length / 16384));
  const sample: number[] = [];
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i])) sample.push(data[i]);
  if (sample.length === 0) return { center: 0.5, width: 1 };
  sample.sort((a, b) => a - b);
  const at = (p: number) => sample[Math.min(sample.length - 1, Math.max(0, Math.round(p * (sample.length - 1))))];
  const lo = at(lowP);
  let hi = at(highP);
  if (!(hi > lo)) hi = lo + (Math.abs(lo) || 1) * 1e-3;
  return { center: (lo + hi) / 2, width: hi - lo };
}
