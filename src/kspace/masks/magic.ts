import type { RandomState } from '../rng/mt19937';
import { LineMaskFunc, requireIntegerAcceleration, setStrided, type LinePlan } from './line-mask';

/**
 * Offset sampling (Defazio 2019): equispaced on each half of k-space with the halves offset so
 * that, under conjugate symmetry, the negative half fills lines the positive half skipped.
 */
export class MagicMaskFunc extends LineMaskFunc {
  protected override accelerationMask(width: number, plan: LinePlan, rng: RandomState): Uint8Array {
    const a = plan.acceleration;
    requireIntegerAcceleration('magic', a);
    if (a <= 0) {
      throw new RangeError(
        `mask: magic acceleration for the outer columns must be ≥ 1, got ${a} (centre band already reaches the target)`,
      );
    }
    const offset = rng.randint(0, a);
    const even = offset % 2 === 0;
    const offsetPos = even ? offset + 1 : offset + 2;
    const offsetNeg = even ? offset + 2 : offset - 1;

    // Halves are built in unshifted (DC-first) order, then fftshifted like the reference.
    const posLen = Math.floor((width + 1) / 2);
    const negLen = width - posLen;
    const pos = new Uint8Array(posLen);
    const neg = new Uint8Array(negLen);
    setStrided(pos, offsetPos, a);
    setStrided(neg, offsetNeg, a);
    neg.reverse();
    const unshifted = new Uint8Array(width);
    unshifted.set(pos, 0);
    unshifted.set(neg, posLen);

    const shift = Math.floor(width / 2);
    const mask = new Uint8Array(width);
    for (let i = 0; i < width; i++) mask[(i + shift) % width] = unshifted[i];
    return mask;
  }
}
