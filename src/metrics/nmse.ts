import { checkPair } from './inputs';

/** Σ(gt − pred)² and Σgt² over [from, to), in float64 so large volumes do not lose digits. */
export function squaredErrorSums(gt: Float32Array, pred: Float32Array, from = 0, to = gt.length): { err: number; ref: number } {
  let err = 0;
  let ref = 0;
  for (let i = from; i < to; i++) {
    const g = gt[i];
    const d = g - pred[i];
    err += d * d;
    ref += g * g;
  }
  return { err, ref };
}

/**
 * Normalised MSE as fastMRI defines it: ‖gt − pred‖² / ‖gt‖². An all-zero gt throws rather than
 * returning Infinity/NaN, because a silent non-number would poison averages over a dataset.
 */
export function nmse(gt: Float32Array, pred: Float32Array): number {
  checkPair(gt, pred);
  const { err, ref } = squaredErrorSums(gt, pred);
  if (ref === 0) throw new RangeError('gt is all zeros: NMSE undefined');
  return err / ref;
}
