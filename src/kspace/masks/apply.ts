import { checkDimension } from './validate';
import type { Mask } from './types';

function checkMaskFits(mask: Mask, height: number, width: number): void {
  checkDimension('height', height);
  checkDimension('width', width);
  if (mask.width !== width) throw new RangeError(`mask: width must match k-space width ${width}, got ${mask.width}`);
  if (mask.dims === 2 && mask.height !== height) {
    throw new RangeError(`mask: height must match k-space height ${height}, got ${mask.height}`);
  }
}

/**
 * Zeroes the unsampled entries of `batch` stacked H×W interleaved-complex images (e.g. coils).
 * A 1-D mask selects whole columns (the phase-encode axis). `out` may alias `kspace`.
 */
export function applyMaskBatch(
  kspace: Float32Array,
  batch: number,
  height: number,
  width: number,
  mask: Mask,
  out?: Float32Array,
): Float32Array {
  checkDimension('batch', batch);
  checkMaskFits(mask, height, width);
  const plane = height * width;
  const need = 2 * batch * plane;
  if (kspace.length !== need)
    throw new RangeError(`mask: kspace length must be ${need} (2·${batch}·${height}·${width}), got ${kspace.length}`);
  const dst = out ?? new Float32Array(need);
  if (dst.length !== need) throw new RangeError(`mask: out length must be ${need}, got ${dst.length}`);
  const m = mask.data;
  const cols = mask.dims === 1;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < height; y++) {
      const row = b * plane + y * width;
      const mrow = cols ? 0 : y * width;
      for (let x = 0; x < width; x++) {
        const k = 2 * (row + x);
        if (m[mrow + x]) {
          dst[k] = kspace[k];
          dst[k + 1] = kspace[k + 1];
        } else {
          dst[k] = 0;
          dst[k + 1] = 0;
        }
      }
    }
  }
  return dst;
}

/** Zeroes the unsampled entries of one H×W interleaved-complex k-space. */
export function applyMask(kspace: Float32Array, height: number, width: number, mask: Mask, out?: Float32Array): Float32Array {
  return applyMaskBatch(kspace, 1, height, width, mask, out);
}

/** H×W 0/1 image of the mask for previews; 1-D masks are repeated down every row. */
export function maskToImage(mask: Mask, height: number = mask.height): Uint8Array {
  checkDimension('height', height);
  if (mask.dims === 2) {
    if (height !== mask.height) throw new RangeError(`mask: height must match the 2-D mask height ${mask.height}, got ${height}`);
    return mask.data.slice();
  }
  const img = new Uint8Array(height * mask.width);
  for (let y = 0; y < height; y++) img.set(mask.data, y * mask.width);
  return img;
}
