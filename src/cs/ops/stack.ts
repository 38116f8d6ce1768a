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
import { type LinearOperator, type Shape, assertPositiveInt, checkedOperator } from './linop';
import { applyMaskWeights, checkMask, maskWeights, type SamplingMask } from './mask';
import { gatherRows, sampledColumns, scatterRows } from './sampled';
import { senseAdjointAdd } from './sense';

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
  const op = (name: string, outShape: Shape, forward: Kernel, adjoint: Kernel) =>
    checkedOperator(name, 'stack', inShape, outShape, forward, adjoint);
  // slice s of an array of `size` complex elements per slice
  const part = (a: Float32Array, s: number, size: number) => a.subarray(2 * s * size, 2 * (s + 1) * size);

  if (!maps) {
    const tmp = new Float32Array(2 * slices * n);
    const applyMask = (src: Float32Array, dst: Float32Array) => {
      for (let s = 0; s < slices; s++) applyMaskWeights(part(src, s, n), part(dst, s, n), weights[s], 1);
      return dst;
    };
    const A = op(
      'MF[stack]',
      inShape,
      (x, o) => applyMask(fft2cBatch(x, slices, h, w, tmp), o),
      (y, o) => ifft2cBatch(applyMask(y, tmp), slices, h, w, o),
    );
    return { A, compact: false, data: (k) => applyMask(checkKspace(k, slices, 1, h, w), new Float32Array(k.length)) };
  }

  const cols = masks.map((m) => byMask.get(m)!.cols);
  const compact = cols.every((c) => c !== null && c.length > 0 && c.length < w);
  const cn = coils * n;

  if (!compact) {
    const tmpA = new Float32Array(2 * cn);
    const tmpB = new Float32Array(2 * cn);
    const A = op(
      'MFS[stack]',
      [slices, coils, h, w],
      (x, o) => {
        for (let s = 0; s < slices; s++) {
          senseForward(part(x, s, n), part(maps, s, cn), coils, h, w, tmpA);
          fft2cBatch(tmpA, coils, h, w, tmpB);
          applyMaskWeights(tmpB, part(o, s, cn), weights[s], coils);
        }
      },
      (y, o) => {
        o.fill(0);
        for (let s = 0; s < slices; s++) {
          applyMaskWeights(part(y, s, cn), tmpA, weights[s], coils);
          ifft2cBatch(tmpA, coils, h, w, tmpB);
          for (let c = 0; c < coils; c++) senseAdjointAdd(part(tmpB, c, n), part(maps, s * coils + c, n), part(o, s, n));
        }
      },
    );
    return {
      A,
      compact: false,
      data(k) {
        checkKspace(k, slices, coils, h, w);
        const out = new Float32Array(k.length);
        for (let s = 0; s < slices; s++) applyMaskWeights(part(k, s, cn), part(out, s, cn), weights[s], coils);
        return out;
      },
    };
  }

  // compact: slice s's data are [C, H, ns_s] at offset off[s]
  const ns = cols.map((c) => c!.length);
  const off = new Array<number>(slices + 1).fill(0);
  for (let s = 0; s < slices; s++) off[s + 1] = off[s] + 2 * coils * h * ns[s];
  // coil c of slice s's data
  const dataOf = (a: Float32Array, s: number, c: number) =>
    a.subarray(off[s] + 2 * c * h * ns[s], off[s] + 2 * (c + 1) * h * ns[s]);
  const maxNs = Math.max(...ns);
  const img = new Float32Array(2 * n);
  const rowT = new Float32Array(2 * n);
  const compBuf = new Float32Array(2 * h * maxNs);
  const full = new Float32Array(2 * n);
  // the columns last scattered into `full`: its other columns are zero as long as they stay the same
  let fullCols: Int32Array | null = null;
  const A = op(
    'GFS[stack]',
    [off[slices] / 2],
    (x, o) => {
      for (let s = 0; s < slices; s++) {
        const comp = compBuf.subarray(0, 2 * h * ns[s]);
        for (let c = 0; c < coils; c++) {
          senseForward(part(x, s, n), part(maps, s * coils + c, n), 1, h, w, img);
          fft1c(img, h, w, 1, rowT);
          gatherRows(rowT, comp, h, w, cols[s]!);
          fft1c(comp, h, ns[s], 0, dataOf(o, s, c));
        }
      }
    },
    (y, o) => {
      o.fill(0);
      for (let s = 0; s < slices; s++) {
        const cs = cols[s]!;
        const comp = compBuf.subarray(0, 2 * h * ns[s]);
        if (fullCols !== cs) {
          full.fill(0);
          fullCols = cs;
        }
        for (let c = 0; c < coils; c++) {
          ifft1c(dataOf(y, s, c), h, ns[s], 0, comp);
          scatterRows(comp, full, h, w, cs);
          ifft1c(full, h, w, 1, img);
          senseAdjointAdd(img, part(maps, s * coils + c, n), part(o, s, n));
        }
      }
    },
  );
  return {
    A,
    compact: true,
    data(k) {
      checkKspace(k, slices, coils, h, w);
      const out = new Float32Array(off[slices]);
      for (let s = 0; s < slices; s++)
        for (let c = 0; c < coils; c++) gatherRows(part(k, s * coils + c, n), dataOf(out, s, c), h, w, cols[s]!);
      return out;
    },
  };
}

type Kernel = (x: Float32Array, o: Float32Array) => void;

function checkKspace(k: Float32Array, slices: number, coils: number, h: number, w: number): Float32Array {
  const need = 2 * slices * coils * h * w;
  if (!(k instanceof Float32Array) || k.length !== need) {
    throw new RangeError(`kspace: expected a Float32Array of 2·slices·coils·H·W = ${need} floats`);
  }
  return k;
}
