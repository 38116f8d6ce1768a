import { summarize } from './summary';
import type { Mask } from './types';

/** Fully sampled reference: every column kept, acceleration 1. */
export function fullMask(height: number, width: number): Mask {
  return summarize(1, height, width, new Uint8Array(width).fill(1), width);
}
