/**
 * 2-D box (mean) filter reproducing scipy.ndimage.uniform_filter(x, size, mode='reflect') bit for
 * bit: same running-sum order as scipy's NI_UniformFilter1D (sum the first window, then
 * `tmp += entering − leaving`, output tmp / size), axis 0 (rows, y) first then axis 1 (x).
 * The output array's type decides the precision of the intermediate and final results, which
 * is how scipy behaves for float32 input (line buffers are double, stores round to float32).
 */

export type RealArray = Float32Array | Float64Array;

/** scipy 'reflect' (half-sample symmetric, 'd c b a | a b c d | d c b a'), periodic in 2n. */
export function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  const m = (((i % period) + period) % period) | 0; // | 0 also turns −0 into 0
  return m < n ? m : period - 1 - m;
}

export function uniformFilter2d<T extends RealArray>(src: RealArray, h: number, w: number, size: number, out: T): T {
  const before = Math.floor(size / 2);
  // Same array type as out so the axis-0 result is rounded exactly as scipy's in-place pass.
  const mid = new (out.constructor as new (n: number) => T)(h * w);

  // Axis 0: one running sum per column, advanced row by row (cache friendly, same arithmetic).
  const acc = new Float64Array(w);
  const rowAt = (k: number) => reflectIndex(k - before, h) * w;
  for (let k = 0; k < size; k++) {
    const base = rowAt(k);
    for (let x = 0; x < w; x++) acc[x] += src[base + x];
  }
  for (let x = 0; x < w; x++) mid[x] = acc[x] / size;
  for (let y = 1; y < h; y++) {
    const enter = rowAt(y - 1 + size);
    const leave = rowAt(y - 1);
    const o = y * w;
    for (let x = 0; x < w; x++) {
      acc[x] += src[enter + x] - src[leave + x];
      mid[o + x] = acc[x] / size;
    }
  }

  // Axis 1: along each row.
  const colAt = new Int32Array(w + size - 1);
  for (let k = 0; k < colAt.length; k++) colAt[k] = reflectIndex(k - before, w);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let tmp = 0;
    for (let k = 0; k < size; k++) tmp += mid[o + colAt[k]];
    out[o] = tmp / size;
    for (let x = 1; x < w; x++) {
      tmp += mid[o + colAt[x - 1 + size]] - mid[o + colAt[x - 1]];
      out[o + x] = tmp / size;
    }
  }
  return out;
}
