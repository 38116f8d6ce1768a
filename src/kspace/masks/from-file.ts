import { PNG } from 'pngjs';
import { encodeNpy, parseNpy } from '../../io/npy';
import { customMask } from './custom';
import type { Mask, MaskShape } from './types';

/**
 * Reads a 0/1 mask from .npy: a length-W (or 1×W) array is a 1-D column mask, an H×W array a 2-D
 * one. Any non-zero value counts as sampled, so float, bool and int masks all load.
 */
export function maskFromNpy(bytes: Uint8Array, shape: MaskShape): Mask {
  const arr = parseNpy(bytes);
  if (arr.complex) throw new RangeError('mask: .npy mask must be real-valued, got a complex array');
  // Singleton axes are squeezed so fastMRI-shaped masks such as (1, 1, W, 1) load as 1-D.
  const squeezed = arr.shape.filter((d) => d !== 1);
  if (squeezed.length > 2) {
    throw new RangeError(`mask: .npy mask must be 1-D or 2-D, got shape (${arr.shape.join(', ')})`);
  }
  const dataShape: [number] | [number, number] | undefined = squeezed.length === 2 ? [squeezed[0], squeezed[1]] : undefined;
  const data = new Uint8Array(arr.data.length);
  for (let i = 0; i < data.length; i++) data[i] = arr.data[i] !== 0 ? 1 : 0;
  return customMask(data, dataShape, shape);
}

/**
 * Reads a mask from PNG: any pixel that is not black (and not fully transparent) is sampled, so
 * drawings in any colour load. A 1-pixel-high image is a 1-D column mask.
 */
export function maskFromPng(bytes: Uint8Array, shape: MaskShape): Mask {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new RangeError(`mask: not a readable PNG (${(e as Error).message})`);
  }
  const { width, height } = png;
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const r = png.data[4 * i];
    const g = png.data[4 * i + 1];
    const b = png.data[4 * i + 2];
    const a = png.data[4 * i + 3];
    data[i] = a > 0 && (r | g | b) > 0 ? 1 : 0;
  }
  const dataShape: [number] | [number, number] = height === 1 ? [width] : [height, width];
  return customMask(data, dataShape, shape);
}

/** Float32 .npy, shape (W,) for 1-D and (H, W) for 2-D, matching fastMRI's float masks. */
export function maskToNpy(mask: Mask): Uint8Array {
  const values = Float32Array.from(mask.data);
  return encodeNpy(values, mask.dims === 1 ? [mask.width] : [mask.height, mask.width]);
}

/** Black/white 8-bit PNG, 1 × W for 1-D masks and H × W for 2-D, readable back by maskFromPng. */
export function maskToPng(mask: Mask): Uint8Array {
  const height = mask.dims === 1 ? 1 : mask.height;
  const png = new PNG({ width: mask.width, height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  // pngjs keeps an RGBA buffer in memory whatever the output colour type.
  for (let i = 0; i < mask.data.length; i++) {
    const v = mask.data[i] ? 255 : 0;
    png.data[4 * i] = v;
    png.data[4 * i + 1] = v;
    png.data[4 * i + 2] = v;
    png.data[4 * i + 3] = 255;
  }
  const buf = PNG.sync.write(png, { colorType: 0, inputColorType: 6, bitDepth: 8 });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
