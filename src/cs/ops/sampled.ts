/**
 * Multi-coil encoding on the SAMPLED k-space columns only, for 1-D (phase-encode column) masks:
 *   A: image [H, W] → k-space [C, H, ns],  A x = G F S x,
 * with G the gather of the ns sampled columns. It equals M F S of ops/mask, ops/fft and ops/sense up to
 * dropping the rows of zeros the mask would write, so ½‖A x − G y‖² = ½‖M F S x − M y‖² and Aᴴ G y =
 * (M F S)ᴴ y: the same problem, with data vectors 1/R the size (R the acceleration) — every residual,
 * momentum and step loop of the solvers touches ns/W of the floats.
 *
 * Forward per coil: s_c ⊙ x, the row (x-axis) FFTs of all H rows, the gather, then the column FFTs of
 * only the ns sampled columns. Adjoint: inverse column FFTs on ns columns, scatter, inverse row FFTs —
 * H + ns one-dimensional FFTs per coil instead of 2H. Centred orthonormal transforms (fft1c) throughout.
 */
import { senseForward } from '../../kspace/coils';
import { fft1c, ifft1c } from '../../kspace/fft2c';
import { type LinearOperator, assertPositiveInt, checkIn, outFor } from './linop';
import { checkMaps } from './sense';
import type { SamplingMask } from './mask';

/** Indices of the sampled columns of a 1-D mask (null for a 2-D mask). */
export function sampledColumns(mask: SamplingMask): Int32Array | null {
  if (mask.dims !== 1) return null;
  const cols: number[] = [];
  mask.data.forEach((v, i) => {
    if (v) cols.push(i);
  });
  return Int32Array.from(cols);
}

/** Full k-space [C, H, W] → its sampled columns [C, H, ns]. */
export function gatherColumns(k: Float32Array, coils: number, h: number, w: number, cols: Int32Array): Float32Array {
  const ns = cols.length;
  if (k.length !== 2 * coils * h * w) throw new RangeError(`gatherColumns: length ${k.length}, need ${2 * coils * h * w}`);
  const out = new Float32Array(2 * coils * h * ns);
  for (let c = 0; c < coils; c++)
    for (let y = 0; y < h; y++) {
      const src = 2 * (c * h + y) * w;
      const dst = 2 * (c * h + y) * ns;
      for (let j = 0; j < ns; j++) {
        out[dst + 2 * j] = k[src + 2 * cols[j]];
        out[dst + 2 * j + 1] = k[src + 2 * cols[j] + 1];
      }
    }
  return out;
}

export function sampledSenseOp(maps: Float32Array, coils: number, h: number, w: number, cols: Int32Array): LinearOperator {
  assertPositiveInt(coils, 'coils');
  assertPositiveInt(h, 'height');
  assertPositiveInt(w, 'width');
  checkMaps(maps, coils, h, w);
  const ns = cols.length;
  if (ns < 1) throw new RangeError('sampledSenseOp: no sampled columns');
  for (let j = 0; j < ns; j++)
    if (!(cols[j] >= 0 && cols[j] < w) || (j > 0 && cols[j] <= cols[j - 1]))
      throw new RangeError('sampledSenseOp: columns must be increasing indices in [0, W)');
  const n = h * w;
  const m = h * ns;
  const inShape = [h, w] as const;
  const outShape = [coils, h, ns] as const;
  const img = new Float32Array(2 * n);
  const rowT = new Float32Array(2 * n);
  const comp = new Float32Array(2 * m);
  // Unsampled columns of `full` stay zero forever: the scatter only writes sampled ones.
  const full = new Float32Array(2 * n);
  return {
    name: 'GFS',
    inShape,
    outShape,
    forward(x, out) {
      checkIn(x, inShape, 'sampledSense.forward');
      const o = outFor(out, outShape, 'sampledSense.forward');
      for (let c = 0; c < coils; c++) {
        senseForward(x, maps.subarray(2 * c * n, 2 * (c + 1) * n), 1, h, w, img);
        fft1c(img, h, w, 1, rowT);
        for (let y = 0; y < h; y++) {
          const src = 2 * y * w;
          const dst = 2 * y * ns;
          for (let j = 0; j < ns; j++) {
            comp[dst + 2 * j] = rowT[src + 2 * cols[j]];
            comp[dst + 2 * j + 1] = rowT[src + 2 * cols[j] + 1];
          }
        }
        fft1c(comp, h, ns, 0, o.subarray(2 * c * m, 2 * (c + 1) * m));
      }
      return o;
    },
    adjoint(yv, out) {
      checkIn(yv, outShape, 'sampledSense.adjoint');
      const o = outFor(out, inShape, 'sampledSense.adjoint');
      o.fill(0);
      for (let c = 0; c < coils; c++) {
        ifft1c(yv.subarray(2 * c * m, 2 * (c + 1) * m), h, ns, 0, comp);
        for (let y = 0; y < h; y++) {
          const dst = 2 * y * w;
          const src = 2 * y * ns;
          for (let j = 0; j < ns; j++) {
            full[dst + 2 * cols[j]] = comp[src + 2 * j];
            full[dst + 2 * cols[j] + 1] = comp[src + 2 * j + 1];
          }
        }
        ifft1c(full, h, w, 1, img);
        const off = 2 * c * n;
        for (let p = 0; p < 2 * n; p += 2) {
          const sr = maps[off + p];
          const si = maps[off + p + 1];
          const yr = img[p];
          const yi = img[p + 1];
          o[p] += sr * yr + si * yi;
          o[p + 1] += sr * yi - si * yr;
        }
      }
      return o;
    },
  };
}
