/**
 * The WebAssembly SIMD convolution kernels (native/gemm/gemm.c → assets/wasm/gemm.wasm, built by
 * native/gemm/build.sh) and the linear memory they work in. tfjs' wasm backend lives in a separate
 * WebAssembly instance, so operands are copied in and results copied out (a few ms for the largest
 * U-Net tensors, against hundreds of ms of arithmetic).
 *
 * Stride-1 3×3 convolutions (the U-Net's) take Winograd F(m×m, 3×3) (winogradApplies): F(4×4) forward,
 * F(2×2) for both gradients; everything else the direct indirect-GEMM kernels.
 *
 * Layout per call, from __heap_base, 16-byte aligned: the regions each method lists (geometry ints, a
 * zero row, packed or transformed weights, operands, per-block workspaces, output). Memory only grows;
 * it is reused by the next call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import { packageRoot } from '../engine/worker-path';

// The Node typings used here (lib ES2023, no DOM) lack the WebAssembly JS API: declare what we use.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface GemmExports {
  memory: WasmMemory;
  __heap_base: { value: number };
  pack_w(w: number, k: number, co: number, out: number): void;
  pack_w_flip(w: number, kh: number, kw: number, ci: number, co: number, out: number): void;
  conv_fwd(x: number, wpk: number, y: number, g: number, zero: number, ind: number): void;
  conv_bpf(x: number, dy: number, dw: number, g: number, zero: number, ind: number, dypk: number): void;
  wino_pack_w(w: number, ci: number, co: number, flip: number, m: number, scratch: number, out: number): void;
  conv_wino(x: number, u: number, y: number, g: number, zero: number, v: number, mb: number, tb: number, m: number): void;
  conv_wino_bpf(
    x: number,
    dy: number,
    du: number,
    g: number,
    zero: number,
    v: number,
    yh: number,
    rows: number,
    tb: number,
    m: number,
  ): void;
  wino_unpack_dw(du: number, ci: number, co: number, m: number, dw: number): void;
  conv_bpi_stride_tap(dy: number, wpk: number, dx: number, g: number, zero: number, ind: number): void;
  zero_floats(p: number, n: number): void;
  reduce_mid(x: number, outer: number, mid: number, inner: number, scale: number, out: number): void;
  norm_act(
    x: number,
    y: number,
    n: number,
    hw: number,
    c: number,
    groups: number,
    eps: number,
    gamma: number,
    beta: number,
    act: number,
    alpha: number,
    stats: number,
    saved: number,
  ): void;
  norm_act_grad(
    x: number,
    dy: number,
    saved: number,
    n: number,
    hw: number,
    c: number,
    groups: number,
    gamma: number,
    beta: number,
    act: number,
    alpha: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    work: number,
  ): void;
}

/** Must match FWD_PB / BPF_PB / NR in gemm.c. */
const FWD_PB = 48;
const BPF_PB = 256;
const NR = 8;

/** NHWC convolution geometry (no dilation): input N×H×W×ci, output N×Ho×Wo×co, filter kh×kw, strides, top / left padding. */
export interface ConvGeometry {
  n: number;
  h: number;
  w: number;
  ci: number;
  ho: number;
  wo: number;
  co: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
}

const align16 = (v: number) => (v + 15) & ~15;

/** A norm (+ LeakyReLU) over NHWC [n, hw, c]: `groups` groups of c / groups channels; alpha null = no activation. */
export interface NormActSpec {
  n: number;
  hw: number;
  c: number;
  groups: number;
  eps: number;
  alpha: number | null;
}

/**
 * Whether conv2d takes the Winograd F(4×4, 3×3) path: stride-1 3×3 convolutions whose channel counts
 * are multiples of 4 (the transforms are SIMD across channels) and ≥ 8 (a 1-channel input gains nothing).
 * MRI_RECON_WASM_WINOGRAD=0 forces the direct convolution.
 */
export function winogradApplies(g: ConvGeometry): boolean {
  if (process.env.MRI_RECON_WASM_WINOGRAD === '0') return false;
  return g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && g.ci % 4 === 0 && g.co % 4 === 0 && g.ci >= 8;
}

/**
 * Output tile edge m of Winograd F(m×m, 3×3): F(4×4) (a quarter of the direct arithmetic, relative error
 * ~2e-6) for forward convolutions; F(2×2) (4/9 of it, ~3e-7) for the input and filter gradients, which
 * must agree with the reference gradients to 1e-6 (measured in native/gemm/gemm.c's header).
 */
type WinogradTile = 2 | 4;
const FORWARD_TILE: WinogradTile = 4;
const GRADIENT_TILE: WinogradTile = 2;

/** Tiles per Winograd block: the block's V and M ((m+2)² planes each) within about 2 MiB (an L2), a multiple of 6. */
function winogradTilesPerBlock(m: WinogradTile, ci: number, co8: number): number {
  const fit = Math.floor((2 * 1024 * 1024) / ((m + 2) ** 2 * 4 * (ci + co8)));
  return Math.max(12, Math.min(240, Math.floor(fit / 6) * 6));
}

export class GemmKernels {
  private readonly ex: GemmExports;
  private readonly base: number;

  /** `relaxed`: the build with relaxed SIMD's fused multiply-add (gemm.relaxed.wasm). */
  constructor(
    bytes: Uint8Array,
    readonly relaxed = false,
  ) {
    if (!WA) throw new Error('WebAssembly is unavailable');
    this.ex = new WA.Instance(new WA.Module(bytes), {}).exports as GemmExports;
    this.base = align16(this.ex.__heap_base.value);
  }

  private ensure(bytes: number): void {
    const have = this.ex.memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / 65536);
    this.ex.memory.grow(pages);
  }

  private f32(): Float32Array {
    return new Float32Array(this.ex.memory.buffer);
  }

  /** Lays out regions of the given byte sizes after the heap base; returns their offsets and grows memory. */
  private layout(sizes: number[]): number[] {
    const offs: number[] = [];
    let p = this.base;
    for (const s of sizes) {
      offs.push(p);
      p = align16(p + s + 16);
    }
    this.ensure(p);
    return offs;
  }

  private writeGeometry(at: number, g: ConvGeometry): void {
    new Int32Array(this.ex.memory.buffer, at, 13).set([
      g.n,
      g.h,
      g.w,
      g.ci,
      g.ho,
      g.wo,
      g.co,
      g.kh,
      g.kw,
      g.sh,
      g.sw,
      g.top,
      g.left,
    ]);
  }

  /**
   * y = conv(x, w) into `out` (N·Ho·Wo·co floats). w: HWIO [kh, kw, ci, co]; with `flip`, w is instead a
   * forward filter [kh, kw, co, ci] used rotated by 180° with in / out swapped (the input gradient of a
   * stride-1 convolution, g describing the convolution over dY).
   */
  conv2d(x: Float32Array, w: Float32Array, g: ConvGeometry, out: Float32Array, flip = false): void {
    if (winogradApplies(g)) {
      this.conv2dWinograd(x, w, g, out, flip, flip ? GRADIENT_TILE : FORWARD_TILE);
      return;
    }
    const ntaps = g.kh * g.kw;
    const k = ntaps * g.ci;
    const panels = Math.ceil(g.co / NR);
    const [geo, zero, ind, wraw, wpk, xo, yo] = this.layout([
      64,
      4 * (g.ci + 8),
      4 * FWD_PB * ntaps,
      4 * w.length,
      4 * panels * k * NR,
      4 * x.length,
      4 * g.n * g.ho * g.wo * g.co,
    ]);
    const ex = this.ex;
    this.writeGeometry(geo, g);
    ex.zero_floats(zero, g.ci + 8);
    let f = this.f32();
    f.set(w, wraw >> 2);
    f.set(x, xo >> 2);
    if (flip) ex.pack_w_flip(wraw, g.kh, g.kw, g.co, g.ci, wpk);
    else ex.pack_w(wraw, k, g.co, wpk);
    ex.conv_fwd(xo, wpk, yo, geo, zero, ind);
    f = this.f32();
    out.set(f.subarray(yo >> 2, (yo >> 2) + out.length));
  }

  /** conv2d by Winograd F(m×m, 3×3) (conv_wino); g must satisfy winogradApplies. */
  private conv2dWinograd(
    x: Float32Array,
    w: Float32Array,
    g: ConvGeometry,
    out: Float32Array,
    flip: boolean,
    m: WinogradTile,
  ): void {
    const a2 = (m + 2) ** 2;
    const co8 = Math.ceil(g.co / NR) * NR;
    const tb = winogradTilesPerBlock(m, g.ci, co8);
    const [geo, zero, wraw, scratch, u, xo, yo, v, mb] = this.layout([
      64,
      4 * (g.ci + 8),
      4 * w.length,
      flip ? 4 * w.length : 0,
      4 * a2 * g.ci * co8,
      4 * x.length,
      4 * out.length,
      4 * a2 * tb * g.ci,
      4 * a2 * tb * co8,
    ]);
    const ex = this.ex;
    this.writeGeometry(geo, g);
    ex.zero_floats(zero, g.ci + 8);
    const f = this.f32();
    f.set(w, wraw >> 2);
    f.set(x, xo >> 2);
    ex.wino_pack_w(wraw, g.ci, g.co, flip ? 1 : 0, m, scratch, u);
    ex.conv_wino(xo, u, yo, geo, zero, v, mb, tb, m);
    out.set(this.f32().subarray(yo >> 2, (yo >> 2) + out.length));
  }

  /** conv2dBackpropFilter by Winograd F(m×m, 3×3) (conv_wino_bpf + wino_unpack_dw). */
  private backpropFilterWinograd(x: Float32Array, dy: Float32Array, g: ConvGeometry, out: Float32Array, m: WinogradTile): void {
    const a2 = (m + 2) ** 2;
    const co8 = Math.ceil(g.co / NR) * NR;
    const tb = winogradTilesPerBlock(m, g.ci, co8);
    const [geo, zero, xo, dyo, du, v, yh, rows, dwo] = this.layout([
      64,
      4 * (g.ci + 8),
      4 * x.length,
      4 * dy.length,
      4 * a2 * g.ci * co8,
      4 * a2 * tb * g.ci,
      4 * a2 * tb * co8,
      4 * tb,
      4 * out.length,
    ]);
    const ex = this.ex;
    this.writeGeometry(geo, g);
    ex.zero_floats(zero, g.ci + 8);
    ex.zero_floats(du, a2 * g.ci * co8);
    const f = this.f32();
    f.set(x, xo >> 2);
    f.set(dy, dyo >> 2);
    ex.conv_wino_bpf(xo, dyo, du, geo, zero, v, yh, rows, tb, m);
    ex.wino_unpack_dw(du, g.ci, g.co, m, dwo);
    out.set(this.f32().subarray(dwo >> 2, (dwo >> 2) + out.length));
  }

  /**
   * The input gradient dX (N·H·W·ci floats) of a convolution whose kernel equals its stride with no
   * padding (g: that forward convolution; each output pixel gets one tap: the U-Net's 2×2 stride-2
   * transposed convolution), from dY and the HWIO filter w.
   */
  backpropInputStrideTap(dy: Float32Array, w: Float32Array, g: ConvGeometry, out: Float32Array): void {
    if (g.kh !== g.sh || g.kw !== g.sw || g.top !== 0 || g.left !== 0 || g.h !== g.ho * g.sh || g.w !== g.wo * g.sw)
      throw new Error('backpropInputStrideTap: needs kernel = stride, no padding, H = Ho·sh, W = Wo·sw');
    const panels = Math.ceil(g.ci / NR);
    const [geo, zero, ind, wraw, wpk, dyo, dxo] = this.layout([
      64,
      4 * (g.co + 8),
      4 * g.n * g.ho * Math.ceil(g.wo / 6) * 6,
      4 * w.length,
      4 * panels * g.kh * g.kw * g.co * NR,
      4 * dy.length,
      4 * out.length,
    ]);
    const ex = this.ex;
    this.writeGeometry(geo, g);
    ex.zero_floats(zero, g.co + 8);
    const f = this.f32();
    f.set(w, wraw >> 2);
    f.set(dy, dyo >> 2);
    ex.pack_w_flip(wraw, g.kh, g.kw, g.ci, g.co, wpk);
    ex.conv_bpi_stride_tap(dyo, wpk, dxo, geo, zero, ind);
    out.set(this.f32().subarray(dxo >> 2, (dxo >> 2) + out.length));
  }

  /** dW = Σ over pixels of Col(x)ᵀ · dy into `out` (kh·kw·ci·co floats, HWIO). */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, g: ConvGeometry, out: Float32Array): void {
    if (winogradApplies(g)) {
      this.backpropFilterWinograd(x, dy, g, out, GRADIENT_TILE);
      return;
    }
    const ntaps = g.kh * g.kw;
    const panels = Math.ceil(g.co / NR);
    const [geo, zero, ind, dypk, xo, dyo, dwo] = this.layout([
      64,
      4 * (g.ci + 8),
      4 * BPF_PB * ntaps,
      4 * panels * BPF_PB * NR,
      4 * x.length + 16,
      4 * dy.length,
      4 * out.length,
    ]);
    const ex = this.ex;
    this.writeGeometry(geo, g);
    ex.zero_floats(zero, g.ci + 8);
    ex.zero_floats(dwo, out.length);
    const f = this.f32();
    f.set(x, xo >> 2);
    f.set(dy, dyo >> 2);
    ex.conv_bpf(xo, dyo, dwo, geo, zero, ind, dypk);
    out.set(this.f32().subarray(dwo >> 2, (dwo >> 2) + out.length));
  }

  /** out[o][j] = scale · Σ_m x[o][m][j] for x viewed as [outer][mid][inner]. */
  reduceMid(x: Float32Array, outer: number, mid: number, inner: number, scale: number, out: Float32Array): void {
    const [xo, oo] = this.layout([4 * x.length, 4 * out.length]);
    this.f32().set(x, xo >> 2);
    this.ex.reduce_mid(xo, outer, mid, inner, scale, oo);
    out.set(this.f32().subarray(oo >> 2, (oo >> 2) + out.length));
  }

  /**
   * Group / instance norm (+ per-channel affine) (+ LeakyReLU) of NHWC x [n, hw, c] into `out` in one
   * call: statistics per sample and group of c / groups channels, biased variance. `saved` (training):
   * receives the n·groups (mean, 1 / sqrt(var + eps)) pairs that normActGrad needs.
   */
  normAct(
    x: Float32Array,
    spec: NormActSpec,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    out: Float32Array,
    saved: Float32Array | null = null,
  ): void {
    const { n, hw, c, groups, eps, alpha } = spec;
    const [xo, go, bo, so, sv] = this.layout([4 * x.length, 4 * c, 4 * c, 16 * c, 8 * n * groups]);
    const f = this.f32();
    f.set(x, xo >> 2);
    if (gamma) f.set(gamma, go >> 2);
    if (beta) f.set(beta, bo >> 2);
    const act = alpha === null ? 0 : 1;
    this.ex.norm_act(xo, xo, n, hw, c, groups, eps, gamma ? go : 0, beta ? bo : 0, act, alpha ?? 0, so, saved ? sv : 0);
    const g = this.f32();
    out.set(g.subarray(xo >> 2, (xo >> 2) + out.length));
    if (saved) saved.set(g.subarray(sv >> 2, (sv >> 2) + 2 * n * groups));
  }

  /**
   * The gradient of normAct (with the same spec, gamma, beta and its `saved` statistics): dx from x and
   * dy; dgamma / dbeta (c floats, summed over samples and pixels) where given.
   */
  normActGrad(
    x: Float32Array,
    dy: Float32Array,
    saved: Float32Array,
    spec: NormActSpec,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    dx: Float32Array,
    dgamma: Float32Array | null,
    dbeta: Float32Array | null,
  ): void {
    const { n, hw, c, groups, alpha } = spec;
    const [xo, dyo, sv, go, bo, dgo, dbo, wo] = this.layout([
      4 * x.length,
      4 * dy.length,
      8 * n * groups,
      4 * c,
      4 * c,
      4 * c,
      4 * c,
      24 * c,
    ]);
    const f = this.f32();
    f.set(x, xo >> 2);
    f.set(dy, dyo >> 2);
    f.set(saved.subarray(0, 2 * n * groups), sv >> 2);
    if (gamma) f.set(gamma, go >> 2);
    if (beta) f.set(beta, bo >> 2);
    const act = alpha === null ? 0 : 1;
    this.ex.norm_act_grad(xo, dyo, sv, n, hw, c, groups, gamma ? go : 0, beta ? bo : 0, act, alpha ?? 0, dyo, dgo, dbo, wo);
    const g = this.f32();
    dx.set(g.subarray(dyo >> 2, (dyo >> 2) + dx.length));
    if (dgamma) dgamma.set(g.subarray(dgo >> 2, (dgo >> 2) + c));
    if (dbeta) dbeta.set(g.subarray(dbo >> 2, (dbo >> 2) + c));
  }

  /** Bytes of linear memory in use (grows to the largest call seen). */
  memoryBytes(): number {
    return this.ex.memory.buffer.byteLength;
  }
}

let kernels: GemmKernels | null | undefined;
let loadError: string | undefined;

/**
 * Whether this runtime accepts relaxed SIMD. Node ≥ 22 (V8 ≥ 11.4) and Electron ship it; Node 20's V8
 * has it behind --experimental-wasm-relaxed-simd, which we switch on here (it only widens what the
 * validator accepts; tfjs' own binaries do not use it). MRI_RECON_WASM_RELAXED=0 keeps the plain build.
 */
function relaxedSimdUsable(bytes: Uint8Array): boolean {
  if (process.env.MRI_RECON_WASM_RELAXED === '0' || !WA) return false;
  if (WA.validate(bytes)) return true;
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WA.validate(bytes);
}

/** The kernels, loaded once per thread; null (see gemmLoadError) where they cannot load. */
export function gemmKernels(): GemmKernels | null {
  if (kernels !== undefined) return kernels;
  try {
    const dir = join(packageRoot(), 'assets', 'wasm');
    const relaxedPath = join(dir, 'gemm.relaxed.wasm');
    const relaxed = existsSync(relaxedPath) ? new Uint8Array(readFileSync(relaxedPath)) : null;
    kernels =
      relaxed && relaxedSimdUsable(relaxed)
        ? new GemmKernels(relaxed, true)
        : new GemmKernels(new Uint8Array(readFileSync(join(dir, 'gemm.wasm'))));
  } catch (e) {
    loadError = (e as Error).message;
    kernels = null;
  }
  return kernels;
}

export function gemmLoadError(): string | undefined {
  gemmKernels();
  return loadError;
}
