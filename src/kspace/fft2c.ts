/**
 * Centred orthonormal FFTs with fastMRI's conventions: fft2c(x) = fftshift(fft2(ifftshift(x), norm='ortho')).
 * Complex data is interleaved (re, im, …), row-major; pixel (y, x) of an h×w image is complex index y*w + x.
 *
 * Two implementations: the WebAssembly SIMD kernel (fft/wasm.ts, float32) wherever it loads and its
 * radices cover the lengths (prime factors ≤ 127), else the TypeScript passes (fft/passes.ts, float64
 * inside). setFftBackend('ts' | 'wasm' | 'auto') or MRI_FFT_BACKEND overrides the choice.
 */
import { colPass, rowPass } from './fft/passes';
import { wasmKernel } from './fft/wasm';

export { getFftBackend, setFftBackend, type FftBackend } from './fft/wasm';

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
  const rows = axes.includes(1);
  const cols = axes.includes(0);
  const k = wasmKernel();
  if (k && (!rows || k.supports(w)) && (!cols || k.supports(h))) {
    k.transform(x, o, batch, h, w, inverse, centred, rows, cols);
    return o;
  }
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

function sumSquares(
  kspace: Float32Array,
  coils: number,
  h: number,
  w: number,
  o: Float32Array,
  root: boolean,
  accumulate: boolean,
): Float32Array {
  const k = wasmKernel();
  if (k && k.supports(h) && k.supports(w)) {
    k.ifft2cSumSquares(kspace, coils, h, w, o, accumulate, root);
    return o;
  }
  const n = h * w;
  const acc = new Float64Array(n);
  if (accumulate) acc.set(o);
  const img = new Float32Array(2 * n);
  for (let c = 0; c < coils; c++) {
    run(kspace.subarray(2 * c * n, 2 * (c + 1) * n), 1, h, w, img, true, true, BOTH);
    for (let i = 0; i < n; i++) acc[i] += img[2 * i] ** 2 + img[2 * i + 1] ** 2;
  }
  for (let i = 0; i < n; i++) o[i] = root ? Math.sqrt(acc[i]) : acc[i];
  return o;
}

function checkRss(fn: string, kspace: Float32Array, coils: number, h: number, w: number, out?: Float32Array): Float32Array {
  checkDims(fn, kspace, coils, h, w);
  if (out && out.length !== h * w) throw new RangeError(`${fn}: out must hold ${h * w} floats (h·w), got ${out.length}`);
  return out ?? new Float32Array(h * w);
}

/**
 * Zero-filled reconstruction of a coil stack [coils, h, w]: the root-sum-of-squares over coils of
 * ifft2c(kspace[c]), h·w floats — fastMRI's rss(ifft2c(kspace)). With the wasm kernel only the running
 * Σ|·|² is kept, never the coil images.
 */
export function ifft2cRss(kspace: Float32Array, coils: number, h: number, w: number, out?: Float32Array): Float32Array {
  return sumSquares(kspace, coils, h, w, checkRss('ifft2cRss', kspace, coils, h, w, out), true, false);
}

/**
 * Σ over coils of |ifft2c(kspace[c])|² (ifft2cRss before the square root), for combining partial sums;
 * with accumulate, added to what out (then required) holds.
 */
export function ifft2cSumSquares(
  kspace: Float32Array,
  coils: number,
  h: number,
  w: number,
  out?: Float32Array,
  accumulate = false,
): Float32Array {
  if (accumulate && !out) throw new RangeError('ifft2cSumSquares: accumulate needs out');
  return sumSquares(kspace, coils, h, w, checkRss('ifft2cSumSquares', kspace, coils, h, w, out), false, accumulate);
}
