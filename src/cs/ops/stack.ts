/**
 * The encoding operator of a stack of slices (a volume), block-diagonal over slices:
 *   A: volume [S, H, W] → the data of every slice, A x = (A_0 x_0, …, A_{S−1} x_{S−1}),
 * with A_s the 2-D encoding of slice s as the per-slice app builds it (same conventions, same values):
 *   no maps (one coil)   A_s = M_s F                    data [S, H, W]
 *   maps, column masks   A_s = G_s F S_s (ops/sampled)  data [S][C, H, ns_s], concatenated
 *   maps, other masks    A_s = M_s F S_s                data [S, C, H, W]
 * Slices may have their own masks and maps (maps [S, C, H, W]). The scratch is shared by all slices
 * (a few slice-sized arrays), so the operator costs no more memory than its input and output.
 */
import { senseForward } from '../../kspace/coils';
import { fft1c, fft2cBatch, ifft1c, ifft2cBatch } from '../../kspace/fft2c';
import { type LinearOperator, assertPositiveInt, checkIn, outFor } from './linop';
import { checkMask, maskWeights, type SamplingMask } from './mask';
import { sampledColumns } from './sampled';

export interface StackEncoding {
  A: LinearOperator;
  /** true when the data live on the sampled columns only (maps with 1-D masks) */
  compact: boolean;
  /** measured k-space [S, C, H, W] → data in A's output layout (masked, or gathered on the sampled columns) */
  data(kspace: Float32Array): Float32Array;
}

/** One mask per slice from one mask or a list of S. */
export function masksPerSlice(mask: SamplingMask | readonly SamplingMask[], slices: number): SamplingMask[] {
  if (Array.isArray(mask)) {
    if (mask.length !== slices) throw new RangeError(`masks: got ${mask.length} for ${slices} slices`);
    return [...(mask as readonly SamplingMask[])];
  }
  return new Array<SamplingMask>(slices).fill(mask as SamplingMask);
}

export function stackEncodingOp(
  slices: number,
  coils: number,
  h: number,
  w: number,
  masks: readonly SamplingMask[],
  maps?: Float32Array,
): StackEncoding {
  assertPositiveInt(slices, 'slices');
  assertPositiveInt(coils, 'coils');
  assertPositiveInt(h, 'height');
  assertPositiveInt(w, 'width');
  if (masks.length !== slices) throw new RangeError(`stackEncodingOp: ${masks.length} masks for ${slices} slices`);
  if (!maps && coils !== 1) throw new RangeError('stackEncodingOp: multi-coil data need maps');
  if (maps && maps.length !== 2 * slices * coils * h * w) {
    throw new RangeError(`stackEncodingOp: maps length ${maps.length}, need 2·slices·coils·H·W = ${2 * slices * coils * h * w}`);
  }
  const n = h * w;
  // per distinct mask: its weights and sampled columns, computed once
  const byMask = new Map<SamplingMask, { weights: Uint8Array; cols: Int32Array | null }>();
  for (const m of masks) {
    if (byMask.has(m)) continue;
    checkMask(m, h, w);
    byMask.set(m, { weights: maskWeights(m, h, w), cols: sampledColumns(m) });
  }
  const weights = masks.map((m) => byMask.get(m)!.weights);
  const inShape = [slices, h, w] as const;

  if (!maps) {
    const tmp = new Float32Array(2 * slices * n);
    const applyMask = (src: Float32Array, dst: Float32Array) => {
      for (let s = 0; s < slices; s++) {
        const wt = weights[s];
        const off = 2 * s * n;
        for (let p = 0; p < n; p++) {
          const i = off + 2 * p;
          const keep = wt[p] !== 0;
          dst[i] = keep ? src[i] : 0;
          dst[i + 1] = keep ? src[i + 1] : 0;
        }
      }
      return dst;
    };
    const A: LinearOperator = {
      name: 'MF[stack]',
      inShape,
      outShape: inShape,
      forward(x, out) {
        checkIn(x, inShape, 'stack.forward');
        const o = outFor(out, inShape, 'stack.forward');
        fft2cBatch(x, slices, h, w, tmp);
        return applyMask(tmp, o);
      },
      adjoint(y, out) {
        checkIn(y, inShape, 'stack.adjoint');
        const o = outFor(out, inShape, 'stack.adjoint');
        return ifft2cBatch(applyMask(y, tmp), slices, h, w, o);
      },
    };
    return { A, compact: false, data: (k) => applyMask(checkKspace(k, slices, 1, h, w), new Float32Array(k.length)) };
  }

  const cols = masks.map((m) => byMask.get(m)!.cols);
  const compact = cols.every((c) => c !== null && c.length > 0 && c.length < w);
  const cn = coils * n;
  // sense adjoint, accumulated into one slice of the output
  const senseAdjointAdd = (img: Float32Array, mapsC: Float32Array, o: Float32Array) => {
    for (let p = 0; p < 2 * n; p += 2) {
      const sr = mapsC[p];
      const si = mapsC[p + 1];
      const yr = img[p];
      const yi = img[p + 1];
      o[p] += sr * yr + si * yi;
      o[p + 1] += sr * yi - si * yr;
    }
  };

  if (!compact) {
    const tmpA = new Float32Array(2 * cn);
    const tmpB = new Float32Array(2 * cn);
    const maskCoils = (src: Float32Array, dst: Float32Array, wt: Uint8Array) => {
      for (let c = 0; c < coils; c++) {
        const off = 2 * c * n;
        for (let p = 0; p < n; p++) {
          const i = off + 2 * p;
          const keep = wt[p] !== 0;
          dst[i] = keep ? src[i] : 0;
          dst[i + 1] = keep ? src[i + 1] : 0;
        }
      }
    };
    const outShape = [slices, coils, h, w] as const;
    const A: LinearOperator = {
      name: 'MFS[stack]',
      inShape,
      outShape,
      forward(x, out) {
        checkIn(x, inShape, 'stack.forward');
        const o = outFor(out, outShape, 'stack.forward');
        for (let s = 0; s < slices; s++) {
          senseForward(x.subarray(2 * s * n, 2 * (s + 1) * n), maps.subarray(2 * s * cn, 2 * (s + 1) * cn), coils, h, w, tmpA);
          fft2cBatch(tmpA, coils, h, w, tmpB);
          maskCoils(tmpB, o.subarray(2 * s * cn, 2 * (s + 1) * cn), weights[s]);
        }
        return o;
      },
      adjoint(y, out) {
        checkIn(y, outShape, 'stack.adjoint');
        const o = outFor(out, inShape, 'stack.adjoint');
        o.fill(0);
        for (let s = 0; s < slices; s++) {
          maskCoils(y.subarray(2 * s * cn, 2 * (s + 1) * cn), tmpA, weights[s]);
          ifft2cBatch(tmpA, coils, h, w, tmpB);
          const os = o.subarray(2 * s * n, 2 * (s + 1) * n);
          for (let c = 0; c < coils; c++) {
            const mc = maps.subarray(2 * (s * cn + c * n), 2 * (s * cn + (c + 1) * n));
            senseAdjointAdd(tmpB.subarray(2 * c * n, 2 * (c + 1) * n), mc, os);
          }
        }
        return o;
      },
    };
    return {
      A,
      compact: false,
      data(k) {
        checkKspace(k, slices, coils, h, w);
        const out = new Float32Array(k.length);
        for (let s = 0; s < slices; s++)
          maskCoils(k.subarray(2 * s * cn, 2 * (s + 1) * cn), out.subarray(2 * s * cn, 2 * (s + 1) * cn), weights[s]);
        return out;
      },
    };
  }

  // compact: slice s's data are [C, H, ns_s] at offset off[s]
  const ns = cols.map((c) => c!.length);
  const off = new Array<number>(slices + 1).fill(0);
  for (let s = 0; s < slices; s++) off[s + 1] = off[s] + 2 * coils * h * ns[s];
  const outShape = [off[slices] / 2] as const;
  const maxNs = Math.max(...ns);
  const img = new Float32Array(2 * n);
  const rowT = new Float32Array(2 * n);
  const compBuf = new Float32Array(2 * h * maxNs);
  const full = new Float32Array(2 * n);
  // the columns last scattered into `full`: its other columns are zero as long as they stay the same
  let fullCols: Int32Array | null = null;
  const A: LinearOperator = {
    name: 'GFS[stack]',
    inShape,
    outShape,
    forward(x, out) {
      checkIn(x, inShape, 'stack.forward');
      const o = outFor(out, outShape, 'stack.forward');
      for (let s = 0; s < slices; s++) {
        const cs = cols[s]!;
        const m = h * ns[s];
        const comp = compBuf.subarray(0, 2 * m);
        const xs = x.subarray(2 * s * n, 2 * (s + 1) * n);
        for (let c = 0; c < coils; c++) {
          senseForward(xs, maps.subarray(2 * (s * cn + c * n), 2 * (s * cn + (c + 1) * n)), 1, h, w, img);
          fft1c(img, h, w, 1, rowT);
          gatherRows(rowT, comp, h, w, cs);
          fft1c(comp, h, ns[s], 0, o.subarray(off[s] + 2 * c * m, off[s] + 2 * (c + 1) * m));
        }
      }
      return o;
    },
    adjoint(y, out) {
      checkIn(y, outShape, 'stack.adjoint');
      const o = outFor(out, inShape, 'stack.adjoint');
      o.fill(0);
      for (let s = 0; s < slices; s++) {
        const cs = cols[s]!;
        const m = h * ns[s];
        const comp = compBuf.subarray(0, 2 * m);
        if (fullCols !== cs) {
          full.fill(0);
          fullCols = cs;
        }
        const os = o.subarray(2 * s * n, 2 * (s + 1) * n);
        for (let c = 0; c < coils; c++) {
          ifft1c(y.subarray(off[s] + 2 * c * m, off[s] + 2 * (c + 1) * m), h, ns[s], 0, comp);
          for (let yy = 0; yy < h; yy++) {
            const dst = 2 * yy * w;
            const src = 2 * yy * ns[s];
            for (let j = 0; j < ns[s]; j++) {
              full[dst + 2 * cs[j]] = comp[src + 2 * j];
              full[dst + 2 * cs[j] + 1] = comp[src + 2 * j + 1];
            }
          }
          ifft1c(full, h, w, 1, img);
          senseAdjointAdd(img, maps.subarray(2 * (s * cn + c * n), 2 * (s * cn + (c + 1) * n)), os);
        }
      }
      return o;
    },
  };
  return {
    A,
    compact: true,
    data(k) {
      checkKspace(k, slices, coils, h, w);
      const out = new Float32Array(off[slices]);
      for (let s = 0; s < slices; s++) {
        const m = h * ns[s];
        for (let c = 0; c < coils; c++) {
          const ks = k.subarray(2 * (s * cn + c * n), 2 * (s * cn + (c + 1) * n));
          gatherRows(ks, out.subarray(off[s] + 2 * c * m, off[s] + 2 * (c + 1) * m), h, w, cols[s]!);
        }
      }
      return out;
    },
  };
}

/** [H, W] → its columns `cols`, [H, ns]. */
function gatherRows(src: Float32Array, dst: Float32Array, h: number, w: number, cols: Int32Array): void {
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

function checkKspace(k: Float32Array, slices: number, coils: number, h: number, w: number): Float32Array {
  const need = 2 * slices * coils * h * w;
  if (!(k instanceof Float32Array) || k.length !== need) {
    throw new RangeError(`kspace: expected a Float32Array of 2·slices·coils·H·W = ${need} floats`);
  }
  return k;
}
