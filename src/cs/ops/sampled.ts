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
import { checkMaps, senseAdjointAdd } from './sense';
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
  for (let c = 0; c < coils; c++) {
    gatherRows(k.subarray(2 * c * h * w, 2 * (c + 1) * h * w), out.subarray(2 * c * h * ns, 2 * (c + 1) * h * ns), h, w, cols);
  }
  return out;
}

/** [H, W] → its columns `cols`, [H, ns]. */
export function gatherRows(src: Float32Array, dst: Float32Array, h: number, w: number, cols: Int32Array): void {
  const ns = cols.length;
  for (let y = 0; y < h; y++) {
    const s = 2 * y * w;
    const d = 2 * y * ns;
    for (let j = 0; j < ns; j++) {
      dst[d + 2 * j] = src[s + 2 * cols[j]];
      dst[d + 2 * j + 1] = src[s + 2 * cols[j] + 1];
    }
  }
}

/** [H, ns] → the columns `cols` of [H, W]; the other columns are left as they are. */
export function scatterRows(src: Float32Array, dst: Float32Array, h: number, w: number, cols: Int32Array): void {
  const ns = cols.length;
  for (let y = 0; y < h; y++) {
    const d = 2 * y * w;
    const s = 2 * y * ns;
    for (let j = 0; j < ns; j++) {
      dst[d + 2 * cols[j]] = src[s + 2 * j];
      dst[d + 2 * cols[j] + 1] = src[s + 2 * j + 1];
    }
  }
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
        gatherRows(rowT, comp, h, w, cols);
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
        scatterRows(comp, full, h, w, cols);
        ifft1c(full, h, w, 1, img);
        senseAdjointAdd(img, maps.subarray(2 * c * n, 2 * (c + 1) * n), o);
      }
      return o;
    },
  };
}
