/**
 * The baseline: centred orthonormal inverse FFT of the zero-filled k-space, magnitude, and
 * root-sum-of-squares over coils (fastMRI's zero-filled reference).
 */
import { ifft2cBatch, ifft2cRss } from '../kspace/fft2c';
import { complexAbs } from '../kspace/coils';
import type { ReconMethod, SliceInput, SliceOutput } from './types';

export function zeroFilled(input: SliceInput): SliceOutput {
  const { kspace, coils, height, width } = input;
  if (coils > 1) {
    // fused: never materialises the coil image stack (28 MB for a 15-coil 640×368 slice)
    return { magnitude: ifft2cRss(kspace, coils, height, width) };
  }
  const image = ifft2cBatch(kspace, 1, height, width);
  return { magnitude: complexAbs(image, height * width), complex: image };
}

export const zeroFilledMethod: ReconMethod = {
  name: 'zf',
  reconstructSlice: (input) => zeroFilled(input),
};
