/** The reconstruction methods the engine offers, by contract name. */
import type { MethodSpec, ReconMethodName } from '../contract/schemas';
import type { ReconMethod } from './types';
import { csTvMethod, csWaveletMethod } from './cs';
import { zeroFilledMethod } from './zero-filled';

const METHODS: Partial<Record<ReconMethodName, ReconMethod>> = {
  zf: zeroFilledMethod,
  'cs-tv': csTvMethod as ReconMethod,
  'cs-wavelet': csWaveletMethod as ReconMethod,
  // loaded on first use: the U-Net brings tfjs, which nothing else needs
  unet: {
    name: 'unet',
    reconstructSlice: async (input, params, ctx) => (await import('./unet')).unetMethod.reconstructSlice(input, params, ctx),
  },
  varnet: {
    name: 'varnet',
    reconstructSlice: async (input, params, ctx) => (await import('./varnet')).varnetMethod.reconstructSlice(input, params, ctx),
  },
};

export function availableMethods(): ReconMethodName[] {
  return Object.keys(METHODS) as ReconMethodName[];
}

export function getMethod(name: ReconMethodName): ReconMethod {
  const m = METHODS[name];
  if (!m) throw new RangeError(`method ${name} is not available in this build`);
  return m;
}

/** True when the spec asks for the whole volume in one task (cs-tv with tv '3d'), not slice by slice. */
export function wantsVolume(spec: MethodSpec): boolean {
  const m = METHODS[spec.method];
  if (!m?.wantsVolume) return false;
  const { method, ...params } = spec;
  void method;
  return m.wantsVolume(params);
}
