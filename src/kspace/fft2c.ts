/**
 * Centred orthonormal FFTs with fastMRI's conventions: fft2c(x) = fftshift(fft2(ifftshift(x), norm='ortho')).
 * Complex data is interleaved (re, im, …), row-major; pixel (y, x) of an h×w image is complex index y*w + x.
 */
import { colPass, rowPass } from './fft/passes';

function checkDims(fn: string, x: Float32Array, batch: number, h: number, w: number, out?: Float32Array): void {
  if (!Number.isInteger(batch) || batch <= 0) throw new RangeError(`${fn}: batch must be a positive integer, got ${batch}`);
  if (!Number.isInteger(h) || h <= 0) throw new RangeError(`${fn}: h must be a positive integer, got ${h}`);
  if (!Number.isInteger(w) || w <= 0) throw new RangeError(`${fn}: w must be a positive integer, got ${w}`);
  const need = 2 * batch * h * w;
  if (x.length !== need)
    throw new RangeError(`${fn}: x must hold ${need} floats (2·${batch > 1 ? 'batch·' : ''}h·w), got ${x.length}`);
  if (out && out.length !== need) throw new RangeError(`${fn}: out must hold ${need} floats, got ${out.length}`);
}

function run(
  x: Float32Array,
  batch: number,
  h: number,
  w: number,
  out: Float32Array | undefined,
  inverse: boolean,
  centred: boolean,
  axes: readonly (0 | 1)[],
): Float32Array {
  const o = out ?? new Float32Array(x.length);
  const n2 = 2 * h * w;
  for (let b = 0; b < batch; b++) {
    const off = b * n2;
    let src = x;
    for (const a of axes) {
      if (a === 1) rowPass(src, off, o, off, h, w, inverse, centred);
      else colPass(src, off, o, off, h, w, inverse, centred);
      src = o;
    }
  }
  return o;
}

const BOTH = [1, 0] as const;

export function fft2c(x: Float32Array, h: number, w: number, out?: Float32Array): Float32Array {
  checkDims('fft2c', x, 1, h, w, out);
  return run(x, 1, h, w, out, false, true, BOTH);
}
export function ifft2c(x: Float32Array, h: number, w: number, out?: Float32Array): Float32Array {
  checkDims('ifft2c', x, 1, h, w, out);
  return run(x, 1, h, w, out, true, true, BOTH);
}
export function fft2cBatch(x: Float32Array, batch: number, h: number, w: number, out?: Float32Array): Float32Array {
  checkDims('fft2cBatch', x, batch, h, w, out);
  return run(x, batch, h, w, out, false, true, BOTH);
}
export function ifft2cBatch(x: Float32Array, batch: number, h: number, w: number, out?: Float32Array): Float32Array {
  checkDims('ifft2cBatch', x, batch, h, w, out);
  return run(x, batch, h, w, out, true, true, BOTH);
}
export function fft1c(x: Float32Array, h: number, w: number, axis: 0 | 1, out?: Float32Array): Float32Array {
  checkDims('fft1c', x, 1, h, w, out);
  if (axis !== 0 && axis !== 1) throw new RangeError(`fft1c: axis must be 0 or 1, got ${axis}`);
  return run(x, 1, h, w, out, false, true, [axis]);
}
export function ifft1c(x: Float32Array, h: number, w: number, axis: 0 | 1, out?: Float32Array): Float32Array {
  checkDims('ifft1c', x, 1, h, w, out);
  if (axis !== 0 && axis !== 1) throw new RangeError(`ifft1c: axis must be 0 or 1, got ${axis}`);
  return run(x, 1, h, w, out, true, true, [axis]);
}
export function fft2(x: Float32Array, h: number, w: number, out?: Float32Array): Float32Array {
  checkDims('fft2', x, 1, h, w, out);
  return run(x, 1, h, w, out, false, false, BOTH);
}
export function ifft2(x: Float32Array, h: number, w: number, out?: Float32Array): Float32Array {
  checkDims('ifft2', x, 1, h, w, out);
  return run(x, 1, h, w, out, true, false, BOTH);
}
