import type { SamplingMask } from '../ops/mask';
import { lowresMaps } from './lowres';
export function espiritMaps(kspace: Float32Array, coils: number, h: number, w: number, mask: SamplingMask): Float32Array {
  return lowresMaps(kspace, coils, h, w, mask);
}
