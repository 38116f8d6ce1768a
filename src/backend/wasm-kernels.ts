/**
 * Our kernels for tfjs' `wasm` backend, which lacks Conv2DBackpropFilter, has a naive
 * Conv2DBackpropInput (~1 GFLOP/s), and spends most of a U-Net step in small elementwise kernels.
 *
 * Primary path: our WebAssembly SIMD kernels (src/backend/gemm.ts, native/gemm/gemm.c):
 *   Conv2D / FusedConv2D  Winograd F(4×4, 3×3) for stride-1 3×3 convs, indirect GEMM otherwise;
 *   Conv2DBackpropFilter  Winograd F(2×2, 3×3), or dW[K, co] = Col(x)ᵀ · dY (K = kh·kw·ci) in pixel blocks;
 *   Conv2DBackpropInput   stride 1: a convolution of dY (implicit padding kh − 1 − top) with the filter
 *                         rotated 180° and in / out swapped (Winograd F(2×2) or the direct kernel);
 *   Mean / Sum            over contiguous middle axes in one pass; Identity shares data (no copy);
 *   MriNormAct*           fused group / instance norm + affine + LeakyReLU, forward and gradient.
 * Operands are copied from tfjs' heap into the kernels' memory and the result into a fresh output.
 *
 * Fallback path (where the gemm binary cannot load, and for configurations it does not cover): the
 * backend's own XNNPACK-backed kernels (Conv2D, BatchMatMul) on transformed inputs, called at kernel
 * level (no tape, no scopes) and with every intermediate freed through `backend.disposeData`.
 *
 * Layout: NHWC only (what tfjs-layers uses); filters HWIO [kh, kw, inC, outC]; no dilation.
 *
 * Conv2DBackpropFilter (dW[a, b, ci, co] = Σ_{n,y,x} xpad[n, y·sh + a, x·sw + b, ci] · dy[n, y, x, co]):
 *   xpad → transpose to [ci, N, Hp, Wp] once; per filter tap (a, b) a (strided) slice [ci, N·Ho·Wo]
 *   times dy [N·Ho·Wo, co] → [ci, co] (dy is the packed GEMM operand, reused by all taps);
 *   the kh·kw results are concatenated into [kh, kw, ci, co].
 * Conv2DBackpropInput (dx of a forward conv):
 *   - stride 1: a Conv2D of dy (padded by k − 1 − pad) with the filter rotated 180° and in/out swapped;
 *   - kernel = stride, no padding (the U-Net's 2×2 stride-2 transposed conv): one GEMM
 *     dy [N·Ho·Wo, co] × Wᵀ [co, kh·kw·ci] and a depth-to-space shuffle (both paths);
 *   - anything else: the backend's original kernel.
 */
import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { avgPoolGradTiled, concatLastAxis, splitLastAxis } from './copy-kernels';
import { gemmKernels, type ConvGeometry, type GemmKernels, type NormActSpec } from './gemm';

const BACKEND = 'wasm';

/** What the wasm backend offers us beyond KernelBackend (tfjs-backend-wasm's BackendWasm). */
interface WasmBackendLike extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/** Our gemm kernels when they loaded and the backend exposes its heap (set MRI_RECON_WASM_GEMM=0 to disable). */
function gemmFor(backend: KernelBackend): GemmKernels | null {
  if (process.env.MRI_RECON_WASM_GEMM === '0') return null;
  const b = backend as Partial<WasmBackendLike>;
  if (typeof b.makeOutput !== 'function' || typeof b.typedArrayFromHeap !== 'function') return null;
  return gemmKernels();
}

/** Runs `fill(x…, outs)` with views of the inputs and outputs on tfjs' heap, taken after the outputs are allocated. */
function viaHeapN(
  backend: KernelBackend,
  shapes: number[][],
  inputs: TensorInfo[],
  fill: (views: Float32Array[], outs: Float32Array[]) => void,
): TensorInfo[] {
  const b = backend as WasmBackendLike;
  const outs = shapes.map((s) => b.makeOutput(s, 'float32'));
  const views = inputs.map((t) => b.typedArrayFromHeap(t));
  fill(
    views,
    outs.map((o) => b.typedArrayFromHeap(o)),
  );
  return outs;
}

function viaHeap(
  backend: KernelBackend,
  shape: number[],
  inputs: TensorInfo[],
  fill: (views: Float32Array[], out: Float32Array) => void,
): TensorInfo {
  return viaHeapN(backend, [shape], inputs, (views, [out]) => fill(views, out))[0];
}
/** A tag on our kernel functions so registration is idempotent. */
const OURS = Symbol.for('mri-recon.wasm-conv-kernel');

type AnyInputs = Record<string, TensorInfo> | TensorInfo[];

class KernelCalls {
  private readonly temps: TensorInfo[] = [];
  constructor(private readonly backend: KernelBackend) {}

  /** Runs a registered wasm kernel; the result is freed by `free()` unless `keep`. */
  call(name: string, inputs: AnyInputs, attrs: NamedAttrMap = {}, keep = false): TensorInfo {
    const k = getKernel(name, BACKEND);
    if (!k) throw new Error(`wasm backend has no ${name} kernel`);
    const out = k.kernelFunc({ inputs: inputs as never, backend: this.backend, attrs }) as TensorInfo;
    if (!keep) this.temps.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[], keep = false): TensorInfo {
    return this.call('Reshape', { x }, { shape }, keep);
  }

  free(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

function convInfo(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: {
    strides: [number, number] | number;
    pad: Conv2DBackpropFilterAttrs['pad'];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

function backpropFilter(x: TensorInfo, dy: TensorInfo, backend: KernelBackend, attrs: Conv2DBackpropFilterAttrs): TensorInfo {
  if (attrs.dataFormat !== 'NHWC')
    throw new Error(`Conv2DBackpropFilter (wasm): only NHWC is supported, got ${attrs.dataFormat}`);
  const info = convInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const gemm = x.dtype === 'float32' && dy.dtype === 'float32' ? gemmFor(backend) : null;
  if (gemm) {
    const g: ConvGeometry = { n, h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left };
    return viaHeap(backend, [kh, kw, ci, co], [x, dy], ([xv, dyv], out) => gemm.conv2dBackpropFilter(xv, dyv, g, out));
  }
  const needH = (ho - 1) * sh + kh;
  const needW = (wo - 1) * sw + kw;
  const bottom = Math.max(0, needH - h - top);
  const right = Math.max(0, needW - w - left);
  const k = new KernelCalls(backend);
  try {
    const xp =
      top || left || bottom || right
        ? k.call(
            'PadV2',
            { x },
            {
              paddings: [
                [0, 0],
                [top, bottom],
                [left, right],
                [0, 0],
              ],
              constantValue: 0,
            },
          )
        : x;
    const hp = h + top + bottom;
    const wp = w + left + right;
    const xt = k.call('Transpose', { x: xp }, { perm: [3, 0, 1, 2] }); // [ci, N, Hp, Wp]
    const m = n * ho * wo;
    const dy3 = k.reshape(dy, [1, m, co]);
    const taps: TensorInfo[] = [];
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        let tap: TensorInfo;
        if (a === 0 && b === 0 && sh === 1 && sw === 1 && hp === ho && wp === wo) tap = xt;
        else if (sh === 1 && sw === 1) tap = k.call('Slice', { x: xt }, { begin: [0, 0, a, b], size: [ci, n, ho, wo] });
        else
          tap = k.call(
            'StridedSlice',
            { x: xt },
            {
              begin: [0, 0, a, b],
              end: [ci, n, a + (ho - 1) * sh + 1, b + (wo - 1) * sw + 1],
              strides: [1, 1, sh, sw],
              beginMask: 0,
              endMask: 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            },
          );
        const t2 = k.reshape(tap, [1, ci, m]);
        const r = k.call('BatchMatMul', { a: t2, b: dy3 }, { transposeA: false, transposeB: false });
        taps.push(k.reshape(r, [ci, co]));
      }
    }
    const cat = taps.length === 1 ? taps[0] : k.call('Concat', taps, { axis: 0 });
    return k.reshape(cat, [kh, kw, ci, co], true);
  } finally {
    k.free();
  }
}

function backpropInput(
  dy: TensorInfo,
  filter: TensorInfo,
  backend: KernelBackend,
  attrs: Conv2DBackpropInputAttrs,
  original: KernelFunc | null,
): TensorInfo {
  const fallback = () => {
    if (!original) throw new Error('Conv2DBackpropInput (wasm): unsupported configuration and no original kernel');
    return original({ inputs: { dy, filter }, backend, attrs: attrs as unknown as NamedAttrMap }) as TensorInfo;
  };
  if (attrs.dataFormat !== 'NHWC') return fallback();
  const inShape = attrs.inputShape;
  const info = convInfo(inShape, filter.shape as [number, number, number, number], attrs);
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  if (dy.shape[1] !== ho || dy.shape[2] !== wo) return fallback();
  const gemm = dy.dtype === 'float32' && filter.dtype === 'float32' ? gemmFor(backend) : null;
  if (gemm && sh === 1 && sw === 1) {
    // the convolution over dY that gives dX: implicit padding kh − 1 − top, output h × w
    const g: ConvGeometry = {
      n,
      h: ho,
      w: wo,
      ci: co,
      ho: h,
      wo: w,
      co: ci,
      kh,
      kw,
      sh: 1,
      sw: 1,
      top: kh - 1 - top,
      left: kw - 1 - left,
    };
    return viaHeap(backend, [n, h, w, ci], [dy, filter], ([dyv, fv], out) => gemm.conv2d(dyv, fv, g, out, true));
  }
  const strideTap = kh === sh && kw === sw && top === 0 && left === 0 && h === ho * sh && w === wo * sw;
  if (gemm && strideTap) {
    const g: ConvGeometry = { n, h, w, ci, ho, wo, co, kh, kw, sh, sw, top, left };
    return viaHeap(backend, [n, h, w, ci], [dy, filter], ([dyv, fv], out) => gemm.backpropInputStrideTap(dyv, fv, g, out));
  }
  const k = new KernelCalls(backend);
  try {
    if (sh === 1 && sw === 1) {
      const pt = kh - 1 - top;
      const pl = kw - 1 - left;
      const pb = h + kh - 1 - ho - pt;
      const pr = w + kw - 1 - wo - pl;
      if (pt < 0 || pl < 0 || pb < 0 || pr < 0) return fallback();
      const flipped = kh > 1 || kw > 1 ? k.call('Reverse', { x: filter }, { dims: [0, 1] }) : filter;
      const ft = k.call('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }); // [kh, kw, co, ci]
      const dyp =
        pt || pl || pb || pr
          ? k.call(
              'PadV2',
              { x: dy },
              {
                paddings: [
                  [0, 0],
                  [pt, pb],
                  [pl, pr],
                  [0, 0],
                ],
                constantValue: 0,
              },
            )
          : dy;
      return k.call(
        'Conv2D',
        { x: dyp, filter: ft },
        {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined,
        } as unknown as NamedAttrMap,
        true,
      );
    }
    if (strideTap) {
      const dy2 = k.reshape(dy, [1, n * ho * wo, co]);
      const ft = k.call('Transpose', { x: filter }, { perm: [3, 0, 1, 2] }); // [co, kh, kw, ci]
      const f2 = k.reshape(ft, [1, co, kh * kw * ci]);
      const prod = k.call('BatchMatMul', { a: dy2, b: f2 }, { transposeA: false, transposeB: false }); // [1, NHoWo, kh·kw·ci]
      const six = k.reshape(prod, [n * ho, wo, kh, kw, ci]);
      const shuffled = k.call('Transpose', { x: six }, { perm: [0, 2, 1, 3, 4] }); // [N·Ho, kh, Wo, kw, ci]
      return k.reshape(shuffled, [n, h, w, ci], true);
    }
    return fallback();
  } finally {
    k.free();
  }
}

/**
 * Mean / Sum over contiguous middle axes of a tensor (e.g. H, W of NHWC — the norms' statistics) by our
 * reduce_mid kernel; tfjs' wasm reduction transposes the reduced axes innermost first. Any other axis
 * set, dtype or a missing gemm binary goes to the backend's original kernel.
 */
function reduceMiddle(
  kind: 'Mean' | 'Sum',
  x: TensorInfo,
  backend: KernelBackend,
  attrs: NamedAttrMap,
  original: KernelFunc,
): TensorInfo {
  const fallback = () => original({ inputs: { x }, backend, attrs }) as TensorInfo;
  const gemm = x.dtype === 'float32' ? gemmFor(backend) : null;
  const rank = x.shape.length;
  if (!gemm || rank < 3) return fallback();
  const raw = attrs.axis as number | number[];
  const axes = [...new Set((Array.isArray(raw) ? raw : [raw]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  const last = axes[axes.length - 1];
  if (axes.length === 0 || axes[0] < 1 || last > rank - 2 || axes.some((a, i) => i > 0 && a !== axes[i - 1] + 1))
    return fallback();
  const outer = x.shape.slice(0, axes[0]).reduce((a, b) => a * b, 1);
  const mid = axes.reduce((a, i) => a * x.shape[i], 1);
  const inner = x.shape.slice(last + 1).reduce((a, b) => a * b, 1);
  if (mid === 0) return fallback();
  const keep = attrs.keepDims === true;
  const shape = x.shape.map((d, i) => (axes.includes(i) ? (keep ? 1 : -1) : d)).filter((d) => d !== -1);
  return viaHeap(backend, shape, [x], ([xv], out) => gemm.reduceMid(xv, outer, mid, inner, kind === 'Mean' ? 1 / mid : 1, out));
}

/**
 * Forward Conv2D / FusedConv2D (no bias, no activation: the U-Net's convs) by our kernels (see
 * useOwnForwardConv); anything else goes to the backend's original (XNNPACK) kernel.
 */
function forwardConv(
  x: TensorInfo,
  filter: TensorInfo,
  backend: KernelBackend,
  attrs: NamedAttrMap,
  original: KernelFunc,
  inputs: AnyInputs,
): TensorInfo {
  const fallback = () => original({ inputs: inputs as never, backend, attrs }) as TensorInfo;
  const a = attrs as unknown as {
    strides: [number, number] | number;
    pad: Conv2DBackpropFilterAttrs['pad'];
    dataFormat?: string;
    dilations?: number | [number, number];
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    activation?: string;
  };
  const d = a.dilations ?? 1;
  const extra = inputs as Record<string, TensorInfo | undefined>;
  if (extra.bias || extra.preluActivationWeights || (a.activation !== undefined && a.activation !== 'linear')) return fallback();
  if ((Array.isArray(d) ? d : [d, d]).some((v) => v !== 1) || (a.dataFormat !== undefined && a.dataFormat !== 'NHWC'))
    return fallback();
  const gemm = x.dtype === 'float32' && filter.dtype === 'float32' ? gemmFor(backend) : null;
  if (!gemm) return fallback();
  const info = convInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], a);
  const g: ConvGeometry = {
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    ci: info.inChannels,
    ho: info.outHeight,
    wo: info.outWidth,
    co: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
  return viaHeap(backend, [g.n, g.ho, g.wo, g.co], [x, filter], ([xv, fv], out) => gemm.conv2d(xv, fv, g, out));
}

/**
 * Our fused norm (+ affine) (+ LeakyReLU) kernels (wasm backend only):
 *   MriNormAct       inputs { x, gamma?, beta? } → y (inference);
 *   MriNormActTrain  the same → [y, saved], saved [n, groups, 2] = per sample and group (mean, 1/std);
 *   MriNormActGrad   inputs { x, dy, saved, gamma?, beta? } → [dx, dgamma (if gamma), dbeta (if beta)].
 */
export const NORM_ACT_KERNEL = 'MriNormAct';
export const NORM_ACT_TRAIN_KERNEL = 'MriNormActTrain';
export const NORM_ACT_GRAD_KERNEL = 'MriNormActGrad';

/** Attributes of the MriNormAct kernels; `alpha` null = no activation. */
export interface NormActAttrs {
  groups: number;
  epsilon: number;
  alpha: number | null;
}

function normActSpec(kernel: string, x: TensorInfo | undefined, attrs: NormActAttrs): NormActSpec {
  if (!x || x.dtype !== 'float32' || x.shape.length !== 4) throw new Error(`${kernel}: needs a float32 NHWC x`);
  const [n, h, w, c] = x.shape;
  if (!Number.isInteger(attrs.groups) || attrs.groups < 1 || c % attrs.groups !== 0)
    throw new Error(`${kernel}: ${c} channels do not split into ${attrs.groups} groups`);
  return { n, hw: h * w, c, groups: attrs.groups, eps: attrs.epsilon, alpha: attrs.alpha };
}

function needGemm(kernel: string, backend: KernelBackend): GemmKernels {
  const gemm = gemmFor(backend);
  if (!gemm) throw new Error(`${kernel}: needs the gemm kernels`);
  return gemm;
}

function normActKernel(
  kernel: typeof NORM_ACT_KERNEL | typeof NORM_ACT_TRAIN_KERNEL,
  inputs: Record<string, TensorInfo | undefined>,
  backend: KernelBackend,
  attrs: NormActAttrs,
): TensorInfo | TensorInfo[] {
  const { x, gamma, beta } = inputs;
  const spec = normActSpec(kernel, x, attrs);
  const gemm = needGemm(kernel, backend);
  const ins = [x!, gamma, beta].filter((t): t is TensorInfo => t !== undefined);
  const shapes = kernel === NORM_ACT_KERNEL ? [x!.shape.slice()] : [x!.shape.slice(), [spec.n, spec.groups, 2]];
  const outs = viaHeapN(backend, shapes, ins, (views, [y, saved]) =>
    gemm.normAct(views[0], spec, gamma ? views[1] : null, beta ? views[gamma ? 2 : 1] : null, y, saved ?? null),
  );
  return kernel === NORM_ACT_KERNEL ? outs[0] : outs;
}

function normActGradKernel(
  inputs: Record<string, TensorInfo | undefined>,
  backend: KernelBackend,
  attrs: NormActAttrs,
): TensorInfo[] {
  const { x, dy, saved, gamma, beta } = inputs;
  const spec = normActSpec(NORM_ACT_GRAD_KERNEL, x, attrs);
  if (!dy || !saved || dy.shape.join() !== x!.shape.join() || saved.shape.join() !== [spec.n, spec.groups, 2].join())
    throw new Error(`${NORM_ACT_GRAD_KERNEL}: dy must have x's shape and saved [n, groups, 2]`);
  const gemm = needGemm(NORM_ACT_GRAD_KERNEL, backend);
  const ins = [x!, dy, saved, gamma, beta].filter((t): t is TensorInfo => t !== undefined);
  const shapes = [x!.shape.slice(), ...(gamma ? [[spec.c]] : []), ...(beta ? [[spec.c]] : [])];
  return viaHeapN(backend, shapes, ins, (v, outs) =>
    gemm.normActGrad(
      v[0],
      v[1],
      v[2],
      spec,
      gamma ? v[3] : null,
      beta ? v[gamma ? 4 : 3] : null,
      outs[0],
      gamma ? outs[1] : null,
      beta ? outs[gamma ? 2 : 1] : null,
    ),
  );
}

/** Whether MriNormAct can run now (wasm backend active, our kernels loaded). */
export function normActAvailable(backendName: string): boolean {
  return (
    backendName === BACKEND &&
    getKernel(NORM_ACT_KERNEL, BACKEND) !== undefined &&
    process.env.MRI_RECON_WASM_GEMM !== '0' &&
    gemmKernels() !== null
  );
}

/**
 * Whether Conv2D / FusedConv2D go to our kernels (Winograd F(4×4, 3×3) for the U-Net's 3×3 convs,
 * conv_fwd otherwise): on unless MRI_RECON_WASM_FWD=0. Measured on the U-Net at 320² (2 cores): a whole
 * inference 0.49 s with them (relaxed-SIMD build), 0.59 s (plain SIMD build), 1.23 s with XNNPACK.
 */
function useOwnForwardConv(): boolean {
  return process.env.MRI_RECON_WASM_FWD !== '0' && gemmKernels() !== null;
}

export interface WasmKernelStatus {
  registered: string[];
}

type KernelArgs = Parameters<KernelFunc>[0];
type KernelImpl = (args: KernelArgs, original: KernelFunc | null) => ReturnType<KernelFunc>;

/**
 * Replaces the wasm backend's kernel `name` with `impl`, which gets the original (null where the
 * backend has none) to fall back on; no-op if ours is already registered. Returns whether it registered.
 */
function override(name: string, impl: KernelImpl): boolean {
  const existing = getKernel(name, BACKEND);
  if (existing && OURS in existing.kernelFunc) return false;
  const original = existing ? existing.kernelFunc : null;
  if (existing) unregisterKernel(name, BACKEND);
  const kernelFunc: KernelFunc = (args) => impl(args, original);
  Object.defineProperty(kernelFunc, OURS, { value: true });
  registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc } satisfies KernelConfig);
  return true;
}

function mustHave(name: string, original: KernelFunc | null): KernelFunc {
  if (!original) throw new Error(`wasm backend has no ${name} kernel`);
  return original;
}

/** Registers our kernels (see the header) for `wasm`; safe to call repeatedly. */
export function registerWasmKernels(): WasmKernelStatus {
  const kernels: (readonly [string, KernelImpl])[] = [
    [
      'Conv2DBackpropInput',
      ({ inputs, backend, attrs }, original) =>
        backpropInput(
          (inputs as { dy: TensorInfo }).dy,
          (inputs as { filter: TensorInfo }).filter,
          backend as KernelBackend,
          attrs as unknown as Conv2DBackpropInputAttrs,
          original,
        ),
    ],
    [
      'Conv2DBackpropFilter',
      ({ inputs, backend, attrs }) =>
        backpropFilter(
          (inputs as { x: TensorInfo }).x,
          (inputs as { dy: TensorInfo }).dy,
          backend as KernelBackend,
          attrs as unknown as Conv2DBackpropFilterAttrs,
        ),
    ],
    ...(useOwnForwardConv() ? (['Conv2D', 'FusedConv2D'] as const) : []).map(
      (kind) =>
        [
          kind,
          ({ inputs, backend, attrs }: KernelArgs, original: KernelFunc | null) => {
            const ins = inputs as { x: TensorInfo; filter: TensorInfo };
            return forwardConv(
              ins.x,
              ins.filter,
              backend as KernelBackend,
              attrs ?? {},
              mustHave(kind, original),
              inputs as AnyInputs,
            );
          },
        ] as const,
    ),
    ...(['Mean', 'Sum'] as const).map(
      (kind) =>
        [
          kind,
          ({ inputs, backend, attrs }: KernelArgs, original: KernelFunc | null) =>
            reduceMiddle(kind, (inputs as { x: TensorInfo }).x, backend as KernelBackend, attrs ?? {}, mustHave(kind, original)),
        ] as const,
    ),
    [
      'Concat',
      (args, original) =>
        concatLastAxis(args.inputs as unknown as TensorInfo[], args.backend as KernelBackend, args.attrs ?? {}) ??
        mustHave('Concat', original)(args),
    ],
    [
      'SplitV',
      (args, original) =>
        splitLastAxis((args.inputs as { x: TensorInfo }).x, args.backend as KernelBackend, args.attrs ?? {}) ??
        mustHave('SplitV', original)(args),
    ],
    [
      'AvgPoolGrad',
      (args, original) => {
        const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
        return (
          avgPoolGradTiled(dy, input, args.backend as KernelBackend, args.attrs ?? {}) ?? mustHave('AvgPoolGrad', original)(args)
        );
      },
    ],
    // tfjs saves every tensor a gradient needs through Identity (engine.clone), which the wasm backend
    // implements as a full copy; tensors are immutable, so sharing the data (as the cpu backend does) is
    // exact and saves a copy of every conv input and activation per training step.
    [
      'Identity',
      (args, original) => {
        const x = (args.inputs as { x: TensorInfo }).x;
        const b = args.backend as KernelBackend & { incRef?: (id: object) => void };
        if (x.dtype === 'string' || typeof b.incRef !== 'function') return mustHave('Identity', original)(args);
        b.incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      },
    ],
    [
      NORM_ACT_KERNEL,
      ({ inputs, backend, attrs }) => normActKernel(NORM_ACT_KERNEL, inputs as never, backend as KernelBackend, attrs as never),
    ],
    [
      NORM_ACT_TRAIN_KERNEL,
      ({ inputs, backend, attrs }) =>
        normActKernel(NORM_ACT_TRAIN_KERNEL, inputs as never, backend as KernelBackend, attrs as never),
    ],
    [
      NORM_ACT_GRAD_KERNEL,
      ({ inputs, backend, attrs }) => normActGradKernel(inputs as never, backend as KernelBackend, attrs as never),
    ],
  ];
  return { registered: kernels.filter(([name, impl]) => override(name, impl)).map(([name]) => name) };
}
