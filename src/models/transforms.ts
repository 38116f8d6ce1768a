/**
 * fastMRI's UnetDataTransform, shared by inference (src/recon/unet.ts) and training (src/train):
 * masked k-space → ifft2c → complex centre crop → magnitude → RSS over coils → instance
 * normalisation (mean and unbiased std of the input image, eps 1e-11) → clamp to ±6.
 * The target is normalised with the input's mean / std and clamped the same way.
 */
import { ifft2cBatch } from '../kspace/fft2c';
import { complexCenterCropBatch, rss, unetCropSize } from '../kspace/coils';

export const NORM_EPS = 1e-11;
export const CLAMP = 6;

export interface UnetInput {
  /** normalised, clamped magnitude image, h × w */
  image: Float32Array;
  h: number;
  w: number;
  mean: number;
  std: number;
}

/** mean and unbiased standard deviation (torch.std) in float64 */
export function meanStd(x: Float32Array): { mean: number; std: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / Math.max(1, n - 1)) };
}

export function normalize(
  x: Float32Array,
  mean: number,
  std: number,
  clamp = CLAMP,
  out = new Float32Array(x.length),
): Float32Array {
  const d = std + NORM_EPS;
  for (let i = 0; i < x.length; i++) {
    const v = (x[i] - mean) / d;
    out[i] = v > clamp ? clamp : v < -clamp ? -clamp : v;
  }
  return out;
}

export function denormalize(x: Float32Array, mean: number, std: number, out = new Float32Array(x.length)): Float32Array {
  for (let i = 0; i < x.length; i++) out[i] = x[i] * std + mean;
  return out;
}

/** The crop the U-Net runs on for an h × w image and a target (reconstruction) size: fastMRI's rule, bounded by the image. */
export function unetCrop(h: number, w: number, target: [number, number] = [h, w]): [number, number] {
  const [ch, cw] = unetCropSize(h, w, target[0], target[1]);
  return [Math.min(ch, h), Math.min(cw, w)];
}

/** Zero-filled RSS magnitude of (masked) multi-coil k-space, centre-cropped to `crop`. */
export function zeroFilledMagnitude(
  kspace: Float32Array,
  coils: number,
  h: number,
  w: number,
  crop: [number, number],
): Float32Array {
  const images = ifft2cBatch(kspace, coils, h, w);
  const [ch, cw] = crop;
  const cropped = ch === h && cw === w ? images : complexCenterCropBatch(images, coils, h, w, ch, cw);
  return rss(cropped, coils, ch, cw);
}

export function unetInput(kspace: Float32Array, coils: number, h: number, w: number, target?: [number, number]): UnetInput {
  const [ch, cw] = unetCrop(h, w, target);
  const mag = zeroFilledMagnitude(kspace, coils, h, w, [ch, cw]);
  const { mean, std } = meanStd(mag);
  return { image: normalize(mag, mean, std), h: ch, w: cw, mean, std };
}
