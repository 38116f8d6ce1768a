import { assertLength, assertPositiveInt } from '../kspace/validate';
import { checkDataRange, checkPair, maxValue } from './inputs';
import { squaredErrorSums } from './nmse';
import { meanSquaredError, psnrFromMse } from './psnr';
import { ssim, type SsimOptions } from './ssim';

export interface MetricValues {
  nmse: number;
  psnr: number;
  ssim: number;
}

export interface VolumeEvaluation {
  /** fastMRI's per-volume numbers (what its leaderboard averages over volumes). */
  volume: MetricValues;
  slices: MetricValues[];
}

/**
 * fastMRI evaluate.py aggregation for one [slices, h, w] volume:
 * - NMSE over the whole volume (not a mean of slice NMSEs);
 * - PSNR over the whole volume with data_range = max of the whole gt volume;
 * - SSIM = mean over slices of per-slice SSIM, each with data_range = max of the gt volume.
 *
 * Per-slice values also use the volume's max as data range, so a slice's PSNR/SSIM is the
 * number that enters fastMRI's volume figure rather than one normalised to that slice.
 * A slice whose gt is all zeros gets NMSE NaN (undefined) while the volume NMSE stays defined;
 * an all-zero gt volume throws.
 *
 * SSIM defaults to float32 arithmetic: fastMRI hands skimage float32 volumes and skimage keeps them in
 * float32, so that is what reproduces fastMRI's (and the fixtures') numbers to 1e-6.
 */
export function evaluateVolume(
  gt: Float32Array,
  pred: Float32Array,
  slices: number,
  h: number,
  w: number,
  options: SsimOptions = { arithmetic: 'float32' },
): VolumeEvaluation {
  checkPair(gt, pred);
  assertPositiveInt(slices, 'slices');
  assertPositiveInt(h, 'h');
  assertPositiveInt(w, 'w');
  assertLength(gt, slices * h * w, 'gt');
  const range = maxValue(gt);
  checkDataRange(range, 'dataRange (max of gt volume)');

  const n = h * w;
  const perSlice: MetricValues[] = [];
  let errTotal = 0;
  let refTotal = 0;
  let ssimTotal = 0;
  for (let s = 0; s < slices; s++) {
    const from = s * n;
    const to = from + n;
    const { err, ref } = squaredErrorSums(gt, pred, from, to);
    errTotal += err;
    refTotal += ref;
    const sliceSsim = ssim(gt.subarray(from, to), pred.subarray(from, to), h, w, range, options);
    ssimTotal += sliceSsim;
    perSlice.push({
      nmse: ref === 0 ? NaN : err / ref,
      psnr: psnrFromMse(err / n, range),
      ssim: sliceSsim,
    });
  }
  if (refTotal === 0) throw new RangeError('gt is all zeros: NMSE undefined');
  return {
    volume: {
      nmse: errTotal / refTotal,
      psnr: psnrFromMse(meanSquaredError(gt, pred), range),
      ssim: ssimTotal / slices,
    },
    slices: perSlice,
  };
}
