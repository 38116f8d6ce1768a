import { checkDataRange, checkPair, maxValue } from './inputs';

/** Mean squared error over [from, to) accumulated in float64. */
export function meanSquaredError(gt: Float32Array, pred: Float32Array, from = 0, to = gt.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) {
    const d = gt[i] - pred[i];
    sum += d * d;
  }
  return sum / (to - from);
}

export function psnrFromMse(mse: number, dataRange: number): number {
  // Same expression as skimage; mse = 0 gives Infinity (identical images), as skimage does.
  return 10 * Math.log10((dataRange * dataRange) / mse);
}

/**
 * PSNR in dB. dataRange defaults to max(gt), not max − min: fastMRI's evaluate passes
 * data_range=gt.max() to skimage's peak_signal_noise_ratio.
 */
export function psnr(gt: Float32Array, pred: Float32Array, dataRange?: number): number {
  checkPair(gt, pred);
  const range = dataRange ?? maxValue(gt);
  checkDataRange(range, dataRange === undefined ? 'dataRange (defaulted to max of gt)' : 'dataRange');
  return psnrFromMse(meanSquaredError(gt, pred), range);
}
