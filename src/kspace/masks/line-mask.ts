import type { RandomState } from '../rng/mt19937';
import { randomStateFor } from './seed';
import { summarize } from './summary';
import { roundHalfEven } from './numpy-compat';
import type { Mask, Seed } from './types';

/** How many centre columns to keep and which acceleration the outer columns should use. */
export interface LinePlan {
  numLowFrequencies: number;
  acceleration: number;
}

/**
 * fastMRI-style 1-D (column) mask: a fully sampled centre band plus an outer pattern drawn by the
 * subclass. The draw order (choose_acceleration, then the outer pattern) mirrors fastMRI's
 * MaskFunc so that seeded masks are bit-identical to the published ones.
 */
export abstract class LineMaskFunc {
  constructor(
    protected readonly centerFraction: number,
    protected readonly acceleration: number,
  ) {}

  make(width: number, height: number, seed: Seed): Mask {
    const rng = randomStateFor(seed);
    // fastMRI picks one (fraction, acceleration) pair with randint(len(pairs)); with a single pair
    // this draws nothing, but keeping the call keeps the stream aligned if that ever changes.
    rng.randint(1);
    const plan = this.plan(width);
    const data = this.centerMask(width, plan.numLowFrequencies);
    const outer = this.accelerationMask(width, plan, rng);
    for (let i = 0; i < width; i++) if (outer[i]) data[i] = 1;
    return summarize(1, height, width, data, plan.numLowFrequencies);
  }

  protected plan(width: number): LinePlan {
    return { numLowFrequencies: roundHalfEven(width * this.centerFraction), acceleration: this.acceleration };
  }

  /** Band starts at (W - n + 1) // 2, fastMRI's placement, so it straddles W/2 after fftshift. */
  protected centerMask(width: number, numLow: number): Uint8Array {
    const mask = new Uint8Array(width);
    const pad = Math.floor((width - numLow + 1) / 2);
    mask.fill(1, pad, pad + numLow);
    return mask;
  }

  protected abstract accelerationMask(width: number, plan: LinePlan, rng: RandomState): Uint8Array;
}

/** Python slice assignment `mask[start::step] = 1`. */
export function setStrided(mask: Uint8Array, start: number, step: number): void {
  for (let i = start; i < mask.length; i += step) mask[i] = 1;
}

/** fastMRI slices with the acceleration as a step, which numpy only allows for integers. */
export function requireIntegerAcceleration(kind: string, acceleration: number): void {
  if (!Number.isInteger(acceleration)) {
    throw new RangeError(`mask: acceleration must be an integer for ${kind} masks, got ${acceleration}`);
  }
}
