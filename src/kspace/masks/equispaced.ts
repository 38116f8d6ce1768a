import type { RandomState } from '../rng/mt19937';
import { LineMaskFunc, requireIntegerAcceleration, setStrided, type LinePlan } from './line-mask';
import { roundHalfEven } from './numpy-compat';

/** Every acceleration-th column from a random offset; the centre band makes the true rate lower than asked. */
export class EquispacedMaskFunc extends LineMaskFunc {
  protected override accelerationMask(width: number, plan: LinePlan, rng: RandomState): Uint8Array {
    requireIntegerAcceleration('equispaced', plan.acceleration);
    const offset = rng.randint(0, roundHalfEven(plan.acceleration));
    const mask = new Uint8Array(width);
    setStrided(mask, offset, plan.acceleration);
    return mask;
  }
}
