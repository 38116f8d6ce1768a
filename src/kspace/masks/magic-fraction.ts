import { MagicMaskFunc } from './magic';
import type { LinePlan } from './line-mask';
import { roundHalfEven } from './numpy-compat';

/** Magic offsets with the centre band clamped and the outer spacing rounded so the total hits W / acceleration. */
export class MagicFractionMaskFunc extends MagicMaskFunc {
  protected override plan(width: number): LinePlan {
    const target = roundHalfEven(width / this.acceleration);
    const numLow = Math.max(Math.min(roundHalfEven(width * this.centerFraction), target), 1);
    const outer = target - numLow;
    // fastMRI leaves the spacing at 0 when the band covers the target; randint(0, 0) then fails there.
    const acceleration = outer > 0 ? roundHalfEven(width / outer) : 0;
    return { numLowFrequencies: numLow, acceleration };
  }
}
