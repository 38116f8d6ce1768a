/**
 * The fully sampled centre of k-space that coil-map estimation calibrates on: the largest rectangle
 * around the DC sample (⌊H/2⌋, ⌊W/2⌋) in which every sample was acquired, capped at `max` per axis.
 * A 1-D mask samples whole columns, so its region spans the centre run of columns and (capped) rows.
 */
import { maskWeights, type SamplingMask } from '../ops/mask';

export interface CalibrationRegion {
  y0: number;
  x0: number;
  rows: number;
  cols: number;
}

export function calibrationRegion(mask: SamplingMask, h: number, w: number, max = 24): CalibrationRegion {
  const m = maskWeights(mask, h, w);
  const cy = h >> 1;
  const cx = w >> 1;
  if (!m[cy * w + cx]) return { y0: cy, x0: cx, rows: 0, cols: 0 };
  // Grow a centred box one step at a time on each side while the new row/column is fully sampled.
  let top = cy;
  let bottom = cy;
  let left = cx;
  let right = cx;
  const rowFull = (y: number, a: number, b: number) => {
    for (let x = a; x <= b; x++) if (!m[y * w + x]) return false;
    return true;
  };
  const colFull = (x: number, a: number, b: number) => {
    for (let y = a; y <= b; y++) if (!m[y * w + x]) return false;
    return true;
  };
  let grown = true;
  while (grown) {
    grown = false;
    if (right - left + 1 < max) {
      if (left > 0 && colFull(left - 1, top, bottom)) {
        left--;
        grown = true;
      }
      if (right - left + 1 < max && right < w - 1 && colFull(right + 1, top, bottom)) {
        right++;
        grown = true;
      }
    }
    if (bottom - top + 1 < max) {
      if (top > 0 && rowFull(top - 1, left, right)) {
        top--;
        grown = true;
      }
      if (bottom - top + 1 < max && bottom < h - 1 && rowFull(bottom + 1, left, right)) {
        bottom++;
        grown = true;
      }
    }
  }
  return { y0: top, x0: left, rows: bottom - top + 1, cols: right - left + 1 };
}
