import { calibrationBox, fillBox, targetCount } from './calibration';
import { randomStateFor } from './seed';
import { summarize } from './summary';
import type { Mask, MaskParams, MaskShape } from './types';

/** Gaussian width as a fraction of each axis: the corners keep ~e^-2 of the centre weight. */
const SIGMA_FRACTION = 0.25;

/**
 * Variable-density random 2-D mask. Points outside the calibration box are drawn without
 * replacement with weights from a Gaussian centred on DC (Efraimidis–Spirakis keys), so the
 * sample count is exactly round(N / acceleration) and the effective acceleration is exact up to
 * that rounding, rather than varying like independent Bernoulli draws would.
 */
export function gaussian2dMask(params: MaskParams, shape: MaskShape): Mask {
  const { height, width } = shape;
  const total = height * width;
  const box = calibrationBox(params, shape);
  const data = new Uint8Array(total);
  const boxCount = fillBox(data, width, box);
  const want = targetCount(total, params.acceleration, boxCount) - boxCount;

  if (want > 0) {
    const rng = randomStateFor(params.seed);
    const cy = Math.floor(height / 2);
    const cx = Math.floor(width / 2);
    const sy = SIGMA_FRACTION * height;
    const sx = SIGMA_FRACTION * width;
    const candidates: number[] = [];
    const keys = new Float64Array(total);
    for (let i = 0; i < total; i++) {
      if (data[i]) continue;
      const dy = (Math.floor(i / width) - cy) / sy;
      const dx = ((i % width) - cx) / sx;
      const logWeight = -0.5 * (dy * dy + dx * dx);
      // log(u)/w without underflow: log(log-key) ordering is the same as u^(1/w).
      keys[i] = Math.log(-Math.log(1 - rng.randomSample())) - logWeight;
      candidates.push(i);
    }
    // Smallest log(-log u) - log w  ⇔  largest u^(1/w): the weighted sample without replacement.
    candidates.sort((a, b) => keys[a] - keys[b] || a - b);
    for (let k = 0; k < want; k++) data[candidates[k]] = 1;
  }
  return summarize(2, height, width, data, box.cols, [box.rows, box.cols]);
}
