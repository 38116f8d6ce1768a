/**
 * The WebAssembly SIMD convolution kernels (native/gemm/gemm.c → assets/wasm/gemm.wasm, built by
 * native/gemm/build.sh) and the linear memory they work in. tfjs' wasm backend lives in a separate
 * WebAssembly instance, so operands are copied in and results copied out (a few ms for the largest
 * U-Net tensors, against hundreds of ms of arithmetic).
 *
 * Layout per call, from __heap_base, 16-byte aligned: [geometry ints] [zero row] [indirection table]
 * [dY panels] [packed W] [x + slack] [dY] [output]. Memory only grows; it is reused by the next call.
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

  /** dW = Σ over pixels of Col(x)ᵀ · dy into `out` (kh·kw·ci·co floats, HWIO). */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, g: ConvGeometry, out: Float32Array): void {
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
   * Inference-time group / instance norm (+ per-channel affine) (+ LeakyReLU) of NHWC x [n, hw, c] into
   * `out` in one call: statistics per sample and group of c / groups channels, biased variance.
   */
  normAct(
    x: Float32Array,
    n: number,
    hw: number,
    c: number,
    groups: number,
    eps: number,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    alpha: number | null,
    out: Float32Array,
  ): void {
    const [xo, go, bo, so] = this.layout([4 * x.length, 4 * c, 4 * c, 16 * c]);
    const f = this.f32();
    f.set(x, xo >> 2);
    if (gamma) f.set(gamma, go >> 2);
    if (beta) f.set(beta, bo >> 2);
    this.ex.norm_act(xo, xo, n, hw, c, groups, eps, gamma ? go : 0, beta ? bo : 0, alpha === null ? 0 : 1, alpha ?? 0, so);
    out.set(this.f32().subarray(xo >> 2, (xo >> 2) + out.length));
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
