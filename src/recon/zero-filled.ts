/**
 * The baseline: centred orthonormal inverse FFT of the zero-filled k-space, magnitude, and
 * root-sum-of-squares over coils (fastMRI's zero-filled reference).
 */
import { ifft2cBatch } from '../kspace/fft2c';
import { rss } from '../kspace/coils';
import type { ReconMethod, SliceInput, SliceOutput } from './types';

export function zeroFilled(input: SliceInput): SliceOutput {
  const { kspace, coils, height, width } = input;
  const images = ifft2cBatch(kspace, coils, height, width);
  const magnitude = rss(images, coils, height, width);
  return { magnitude, complex: coils === 1 ? images : undefined };
}

export const zeroFilledMethod: ReconMethod = {
  name: 'zf',
  reconstructSlice: (input) => zeroFilled(input),
};
