import { assertFinite, assertLength, assertNonEmpty } from '../kspace/validate';

/** Checks shared by every metric: same length, non-empty, no NaN/Infinity in either image. */
export function checkPair(gt: Float32Array, pred: Float32Array): void {
  assertNonEmpty(gt, 'gt');
  assertNonEmpty(pred, 'pred');
  assertLength(pred, gt.length, 'pred');
  assertFinite(gt, 'gt');
  assertFinite(pred, 'pred');
}

export function maxValue(x: Float32Array, from = 0, to = x.length): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) if (x[i] > m) m = x[i];
  return m;
}

/** fastMRI passes gt.max() as data range; a non-positive one would make PSNR/SSIM meaningless. */
export function checkDataRange(dataRange: number, name = 'dataRange'): void {
  if (!(dataRange > 0) || !Number.isFinite(dataRange)) {
    throw new RangeError(`${name} must be a positive finite number, got ${dataRange}`);
  }
}
