/**
 * Data-movement kernels for tfjs' wasm backend, written in TypeScript over views of its heap: the
 * backend's own Concat (a subarray per row), SplitV (a generic strided Slice per output) and AvgPoolGrad
 * (a generic windowed loop) cost a U-Net training step ~150 ms at 320²; these do the U-Net's cases
 * (last-axis concat / split of NHWC tensors, 2×2 stride-2 'valid' average-pool gradient) as plain row
 * copies and return null for anything else (the caller then runs the original kernel).
 */
import { backend_util, util, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

interface HeapBackend extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

function heapBackend(backend: KernelBackend): HeapBackend | null {
  const b = backend as Partial<HeapBackend>;
  return typeof b.makeOutput === 'function' && typeof b.typedArrayFromHeap === 'function' ? (b as HeapBackend) : null;
}

const rowsOf = (shape: number[]) => shape.slice(0, -1).reduce((a, b) => a * b, 1);

/**
 * Copies `rows` rows of `width` floats from src (row stride srcStride, from srcAt) to dst (dstStride,
 * dstAt): both are views of the backend's one heap, so each row is one native copyWithin (memmove).
 */
function copyRows(
  src: Float32Array,
  srcAt: number,
  srcStride: number,
  dst: Float32Array,
  dstAt: number,
  dstStride: number,
  rows: number,
  width: number,
): void {
  const heap = new Float32Array(dst.buffer);
  if (src.buffer !== dst.buffer) throw new Error('copyRows: src and dst must share the backend heap');
  const s0 = src.byteOffset / 4 + srcAt;
  const d0 = dst.byteOffset / 4 + dstAt;
  for (let r = 0; r < rows; r++) {
    const s = s0 + r * srcStride;
    heap.copyWithin(d0 + r * dstStride, s, s + width);
  }
}

/** Concat along the last axis of float32 tensors of equal leading shape. */
export function concatLastAxis(inputs: TensorInfo[], backend: KernelBackend, attrs: NamedAttrMap): TensorInfo | null {
  const b = heapBackend(backend);
  if (!b || inputs.length < 2 || inputs.some((t) => t.dtype !== 'float32')) return null;
  const rank = inputs[0].shape.length;
  if (rank < 2 || util.parseAxisParam(attrs.axis as number, inputs[0].shape)[0] !== rank - 1) return null;
  const lead = inputs[0].shape.slice(0, -1).join();
  if (inputs.some((t) => t.shape.length !== rank || t.shape.slice(0, -1).join() !== lead)) return null;
  const widths = inputs.map((t) => t.shape[rank - 1]);
  const total = widths.reduce((a, c) => a + c, 0);
  const out = b.makeOutput([...inputs[0].shape.slice(0, -1), total], 'float32');
  const dst = b.typedArrayFromHeap(out);
  const rows = rowsOf(inputs[0].shape);
  let offset = 0;
  inputs.forEach((t, k) => {
    copyRows(b.typedArrayFromHeap(t), 0, widths[k], dst, offset, total, rows, widths[k]);
    offset += widths[k];
  });
  return out;
}

/** SplitV along the last axis of a float32 tensor. */
export function splitLastAxis(x: TensorInfo, backend: KernelBackend, attrs: NamedAttrMap): TensorInfo[] | null {
  const b = heapBackend(backend);
  const rank = x.shape.length;
  if (!b || x.dtype !== 'float32' || rank < 2) return null;
  const axis = util.parseAxisParam(attrs.axis as number, x.shape)[0];
  if (axis !== rank - 1) return null;
  const sizes = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits as number | number[], axis) as number[];
  const total = x.shape[rank - 1];
  const rows = rowsOf(x.shape);
  const outs = sizes.map((c) => b.makeOutput([...x.shape.slice(0, -1), c], 'float32'));
  const src = b.typedArrayFromHeap(x);
  let offset = 0;
  outs.forEach((o, k) => {
    copyRows(src, offset, total, b.typedArrayFromHeap(o), 0, sizes[k], rows, sizes[k]);
    offset += sizes[k];
  });
  return outs;
}

/** AvgPoolGrad of a k×k stride-k 'valid' pool over NHWC (each input pixel in exactly one window). */
export function avgPoolGradTiled(
  dy: TensorInfo,
  input: TensorInfo,
  backend: KernelBackend,
  attrs: NamedAttrMap,
): TensorInfo | null {
  const b = heapBackend(backend);
  if (!b || dy.dtype !== 'float32' || input.shape.length !== 4) return null;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as [number, number] | number,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'valid',
    attrs.dimRoundingMode as 'floor' | undefined,
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo } = info;
  const { inHeight: h, inWidth: w, inChannels: c, batchSize: n } = info;
  if (kh !== sh || kw !== sw || info.padInfo.top !== 0 || info.padInfo.left !== 0) return null;
  const out = b.makeOutput(input.shape.slice(), 'float32');
  const dx = b.typedArrayFromHeap(out);
  const g = b.typedArrayFromHeap(dy);
  if (ho * kh !== h || wo * kw !== w) dx.fill(0); // rows / columns past the last whole window get no gradient
  const scale = 1 / (kh * kw);
  for (let s = 0; s < n; s++)
    for (let i = 0; i < ho; i++)
      for (let a = 0; a < kh; a++) {
        const rowOut = (s * h + i * kh + a) * w * c;
        const rowIn = (s * ho + i) * wo * c;
        for (let j = 0; j < wo; j++)
          for (let bb = 0; bb < kw; bb++) {
            const d = rowOut + (j * kw + bb) * c;
            const src = rowIn + j * c;
            for (let ch = 0; ch < c; ch++) dx[d + ch] = g[src + ch] * scale;
          }
      }
  return out;
}
