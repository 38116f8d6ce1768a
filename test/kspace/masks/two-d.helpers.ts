import type { Mask } from '../../../src/kspace/masks';

export function boxIsSampled(mask: Mask): boolean {
  const [rows, cols] = mask.calibrationShape ?? [0, 0];
  const y0 = Math.floor((mask.height - rows + 1) / 2);
  const x0 = Math.floor((mask.width - cols + 1) / 2);
  for (let y = y0; y < y0 + rows; y++) for (let x = x0; x < x0 + cols; x++) if (!mask.data[y * mask.width + x]) return false;
  return true;
}

export const countSampled = (m: Mask) => m.data.reduce((s, v) => s + v, 0);

/** Sampled fraction inside the central half (per axis) vs outside it, calibration box excluded. */
export function centreVsEdgeDensity(mask: Mask): [number, number] {
  const { height: h, width: w } = mask;
  const [rows, cols] = mask.calibrationShape ?? [0, 0];
  const y0 = Math.floor((h - rows + 1) / 2);
  const x0 = Math.floor((w - cols + 1) / 2);
  let cIn = 0,
    nIn = 0,
    cOut = 0,
    nOut = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (y >= y0 && y < y0 + rows && x >= x0 && x < x0 + cols) continue;
      const central = Math.abs(y - h / 2) < h / 4 && Math.abs(x - w / 2) < w / 4;
      const v = mask.data[y * w + x];
      if (central) {
        cIn += v;
        nIn++;
      } else {
        cOut += v;
        nOut++;
      }
    }
  }
  return [cIn / nIn, cOut / nOut];
}
