/**
 * Centred orthonormal 2-D Fourier transform F on [batch, H, W] (fastMRI convention,
 * fftshift ∘ fft2 ∘ ifftshift, norm='ortho'). F is unitary, so Fᴴ = F⁻¹ = ifft2c.
 */
import { fft2cBatch, ifft2cBatch } from '../../kspace/fft2c';
import { type LinearOperator, assertPositiveInt, checkIn, outFor } from './linop';

export function fftOp(batch: number, h: number, w: number): LinearOperator {
  assertPositiveInt(batch, 'batch');
  assertPositiveInt(h, 'height');
  assertPositiveInt(w, 'width');
  const shape = [batch, h, w] as const;
  return {
    name: 'F',
    inShape: shape,
    outShape: shape,
    forward(x, out) {
      checkIn(x, shape, 'fft.forward');
      return fft2cBatch(x, batch, h, w, outFor(out, shape, 'fft.forward'));
    },
    adjoint(y, out) {
      checkIn(y, shape, 'fft.adjoint');
      return ifft2cBatch(y, batch, h, w, outFor(out, shape, 'fft.adjoint'));
    },
  };
}
