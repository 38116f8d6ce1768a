import type { RandomState } from '../rng/mt19937';
import { LineMaskFunc, type LinePlan } from './line-mask';
import { arangeFloat, roundHalfEven } from './numpy-compat';

/**
 * Equispaced with a fractional spacing chosen so centre + outer columns total W / acceleration.
 * Rounded float positions make the spacing uneven (fastMRI issue #54); kept to match the public data.
 */
export class EquispacedFractionMaskFunc extends LineMaskFunc {
  protected override accelerationMask(width: number, plan: LinePlan, rng: RandomState): Uint8Array {
    const n = plan.numLowFrequencies;
    const a = plan.acceleration;
    const denom = n * a - width;
    if (denom === 0) {
      throw new RangeError(
        `mask: centre band of ${n} columns × acceleration ${a} equals width ${width}; no spacing exists (ZeroDivisionError in fastMRI)`,
      );
    }
    const adjusted = (a * (n - width)) / denom;
    const high = roundHalfEven(adjusted);
    if (high <= 0) {
      throw new RangeError(
        `mask: centre band of ${n} columns already reaches acceleration ${a} at width ${width} (adjusted spacing ${adjusted})`,
      );
    }
    const offset = rng.randint(0, high);
    const mask = new Uint8Array(width);
    for (const pos of arangeFloat(offset, width - 1, adjusted)) {
      const idx = roundHalfEven(pos);
      if (idx >= width) throw new RangeError(`mask: equispaced_fraction index ${idx} out of bounds for width ${width}`);
      mask[idx] = 1;
    }
    return mask;
  }
}
