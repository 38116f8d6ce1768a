/**
 * Sampling operator M: k-space [batch, H, W] → k-space [batch, H, W], zeroing unsampled entries.
 *
 * A 1-D mask (fastMRI) has W entries and selects phase-encode columns (last axis); a 2-D mask has H·W
 * entries. M is a real diagonal 0/1 projection, so Mᴴ = M (and M² = M). We keep the full grid rather
 * than gathering samples so the output stays on the Cartesian grid the FFT and the app expect.
 */
import { type LinearOperator, assertPositiveInt, checkIn, outFor } from './linop';

/** The fields of kspace/masks Mask that sampling needs (structurally compatible with it). */
export interface SamplingMask {
  dims: 1 | 2;
  height: number;
  width: number;
  data: Uint8Array;
}

export function checkMask(mask: SamplingMask, h: number, w: number): void {
  if (mask === null || typeof mask !== 'object' || !(mask.data instanceof Uint8Array)) {
    throw new RangeError('mask: expected { dims, height, width, data: Uint8Array }');
  }
  const need = mask.dims === 1 ? w : h * w;
  if (mask.dims !== 1 && mask.dims !== 2) throw new RangeError(`mask.dims must be 1 or 2, got ${String(mask.dims)}`);
  if (mask.data.length !== need) {
    throw new RangeError(`mask: ${mask.dims}-D mask has ${mask.data.length} entries, k-space ${h}×${w} needs ${need}`);
  }
}

/** The mask expanded to one 0/1 weight per k-space pixel (H·W). */
export function maskWeights(mask: SamplingMask, h: number, w: number): Uint8Array {
  checkMask(mask, h, w);
  if (mask.dims === 2) return mask.data.map((v) => (v ? 1 : 0));
  const m = new Uint8Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = mask.data[x] ? 1 : 0;
  return m;
}

/** dst ← src with every entry of the `batch` consecutive [H, W] images zeroed where weights[p] = 0 (dst may be src). */
export function applyMaskWeights(src: Float32Array, dst: Float32Array, weights: Uint8Array, batch: number): void {
  const hw = weights.length;
  for (let b = 0; b < batch; b++) {
    const off = 2 * b * hw;
    for (let p = 0; p < hw; p++) {
      const i = off + 2 * p;
      if (weights[p]) {
        dst[i] = src[i];
        dst[i + 1] = src[i + 1];
      } else {
        dst[i] = 0;
        dst[i + 1] = 0;
      }
    }
  }
}

/** M on [batch, H, W]. Forward and adjoint are the same projection; out may alias x. */
export function maskOp(mask: SamplingMask, batch: number, h: number, w: number): LinearOperator {
  assertPositiveInt(batch, 'batch');
  assertPositiveInt(h, 'height');
  assertPositiveInt(w, 'width');
  const weights = maskWeights(mask, h, w);
  const shape = [batch, h, w] as const;
  const apply = (x: Float32Array, out?: Float32Array) => {
    checkIn(x, shape, 'mask');
    const o = outFor(out, shape, 'mask');
    applyMaskWeights(x, o, weights, batch);
    return o;
  };
  return { name: 'M', inShape: shape, outShape: shape, forward: apply, adjoint: apply };
}
