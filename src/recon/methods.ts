/** The reconstruction methods the engine offers, by contract name. */
import type { ReconMethodName } from '../contract/schemas';
import type { ReconMethod } from './types';
import { csTvMethod, csWaveletMethod } from './cs';
import { unetMethod } from './unet';
import { zeroFilledMethod } from './zero-filled';

const METHODS: Partial<Record<ReconMethodName, ReconMethod>> = {
  zf: zeroFilledMethod,
  'cs-tv': csTvMethod as ReconMethod,
  'cs-wavelet': csWaveletMethod as ReconMethod,
  unet: unetMethod,
};

export function availableMethods(): ReconMethodName[] {
  return Object.keys(METHODS) as ReconMethodName[];
}

export function getMethod(name: ReconMethodName): ReconMethod {
  const m = METHODS[name];
  if (!m) throw new RangeError(`method ${name} is not available in this build`);
  return m;
}
