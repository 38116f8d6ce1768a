import type { RandomState } from '../rng/mt19937';
import { LineMaskFunc, type LinePlan } from './line-mask';

/** Outer columns kept independently with the probability that makes the expected total W / acceleration. */
export class RandomMaskFunc extends LineMaskFunc {
  protected override accelerationMask(width: number, plan: LinePlan, rng: RandomState): Uint8Array {
    const n = plan.numLowFrequencies;
    if (n === width) {
      // fastMRI divides by (W - n) here and fails with ZeroDivisionError.
      throw new RangeError(
        `mask: centerFraction ${this.centerFraction} leaves no columns outside the centre band (width ${width})`,
      );
    }
    const prob = (width / plan.acceleration - n) / (width - n);
    const u = rng.uniform(0, 1, width);
    const mask = new Uint8Array(width);
    for (let i = 0; i < width; i++) mask[i] = u[i] < prob ? 1 : 0;
    return mask;
  }
}
