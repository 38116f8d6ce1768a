import { roundHalfEven } from './numpy-compat';
import type { MaskParams, MaskShape } from './types';

export interface CalibrationBox {
  rows: number;
  cols: number;
  y0: number;
  x0: number;
}

/**
 * Fully sampled centre box of a 2-D mask: `calibration` × `calibration`, or round(dim ·
 * centerFraction) per axis (at least 1). Placed like fastMRI's band, start (n - c + 1) // 2, so
 * it covers the DC sample at n // 2 of fftshifted k-space.
 */
export function calibrationBox(params: MaskParams, shape: MaskShape): CalibrationBox {
  const { height, width } = shape;
  let rows: number;
  let cols: number;
  if (params.calibration !== undefined) {
    const c = params.calibration;
    if (!Number.isInteger(c) || c < 0 || c > Math.min(height, width)) {
      throw new RangeError(`mask: calibration must be an integer in [0, ${Math.min(height, width)}], got ${c}`);
    }
    rows = c;
    cols = c;
  } else {
    rows = Math.max(1, roundHalfEven(height * params.centerFraction));
    cols = Math.max(1, roundHalfEven(width * params.centerFraction));
  }
  return { rows, cols, y0: Math.floor((height - rows + 1) / 2), x0: Math.floor((width - cols + 1) / 2) };
}

export function fillBox(data: Uint8Array, width: number, box: CalibrationBox): number {
  for (let y = box.y0; y < box.y0 + box.rows; y++) data.fill(1, y * width + box.x0, y * width + box.x0 + box.cols);
  return box.rows * box.cols;
}

/** Samples a 2-D mask should hold in total: N / acceleration rounded, never fewer than the box. */
export function targetCount(total: number, acceleration: number, boxCount: number): number {
  return Math.max(boxCount, Math.min(total, Math.max(1, roundHalfEven(total / acceleration))));
}
