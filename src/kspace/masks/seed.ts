import { RandomState, seedFromString } from '../rng/mt19937';
import type { Seed } from './types';

/** A fresh RandomState per call, so masks never share or disturb a global random state. */
export function randomStateFor(seed: Seed): RandomState {
  if (seed === undefined) {
    const words = new Uint32Array(4);
    globalThis.crypto.getRandomValues(words);
    return new RandomState(Array.from(words));
  }
  if (typeof seed === 'string') {
    // numpy rejects an empty tuple seed; so do we.
    if (seed.length === 0) throw new RangeError('mask: seed string must be non-empty');
    return new RandomState(seedFromString(seed));
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`mask: seed must be an integer between 0 and 2**32 - 1, got ${seed}`);
  }
  return new RandomState(seed);
}
