/**
 * The WebAssembly SIMD FFT kernel (native/fft/fft.c → assets/wasm/fft.wasm, built by
 * scripts/build-wasm.sh) and the memory it works in. The kernel transforms one image at a time in place
 * inside its own linear memory: each image is copied in, transformed by both passes (shifts, scaling
 * and the inverse folded into the gathers and scatters) and copied out — or, for a zero-filled
 * reconstruction, only |·|² is accumulated across the coils and the root-sum-of-squares comes out.
 *
 * Layout of the linear memory (all 16-byte aligned), from __heap_base:
 *   [plan region: per length, int32 stage table + float32 twiddles] [scratch a] [scratch b] [column lists]
 *   [image] [acc]
 * Everything after the plan region is transient between calls, so growing the plan region only moves it.
 *
 * Lengths whose prime factors all are ≤ WASM_MAX_PRIME are supported; the caller falls back to the
 * TypeScript path for the rest (and wherever WebAssembly SIMD is unavailable).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../engine/worker-path';
import { factorize } from './stockham';

/** Largest prime the kernel's generic odd-radix stage accepts (MAXP in fft.c). */
export const WASM_MAX_PRIME = 127;

const F_INVERSE = 1;
const F_CENTRED = 2;
const F_ROWS = 4;
const F_COLS = 8;

// The Node typings used here (lib ES2023, no DOM) lack the WebAssembly JS API: declare what we use.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface KernelExports {
  memory: WasmMemory;
  __heap_base: { value: number };
  fft2d(
    img: number,
    h: number,
    w: number,
    planH: number,
    planW: number,
    a: number,
    b: number,
    flags: number,
    scale: number,
    grow: number,
    gcol: number,
    acc: number,
    colwork: number,
  ): void;
  sqrt_array(acc: number, out: number, n: number): void;
  zero_array(acc: number, n: number): void;
}

/** Radices in application order for the kernel, or null when a prime factor exceeds WASM_MAX_PRIME. */
export function wasmFactorize(n: number): number[] | null {
  // (Putting the generic odd-prime stages first, where ns = 1 spares their twiddles, measured no faster.)
  return Number.isInteger(n) && n >= 1 ? factorize(n, WASM_MAX_PRIME) : null;
}

const align16 = (v: number) => (v + 15) & ~15;

/** Bytes a plan for n takes in the plan region. */
function planBytes(radices: number[]): number {
  let bytes = align16(4 * (1 + 4 * radices.length));
  let ns = 1;
  for (const p of radices) {
    if (ns > 1) bytes += align16(8 * (p - 1) * ns);
    if (p > 5 && p !== 8) bytes += align16(2 * (p - 1) * (p - 1));
    ns *= p;
  }
  return bytes;
}

export class WasmFft {
  /** Lane groups (4 lines each) per block of the row and column passes. */
  // Measured (640×368, 320²): 8 rows and 16 columns per block; 4 columns per block costs ~15% more.
  grow = 2;
  gcol = 4;

  private readonly ex: KernelExports;
  private readonly heapBase: number;
  private plans = new Map<number, number>();
  private supported = new Map<number, boolean>();
  private planCap = 1 << 20;
  private planTop: number;
  private f32: Float32Array;

  constructor(module: WasmModule) {
    if (!WA) throw new Error('WebAssembly is unavailable');
    this.ex = new WA.Instance(module, {}).exports as KernelExports;
    this.heapBase = align16(this.ex.__heap_base.value);
    this.planTop = this.heapBase;
    this.f32 = new Float32Array(this.ex.memory.buffer);
  }

  /** Whether the kernel's radices cover length n (else the caller takes the TypeScript path). */
  supports(n: number): boolean {
    let ok = this.supported.get(n);
    if (ok === undefined) this.supported.set(n, (ok = wasmFactorize(n) !== null));
    return ok;
  }

  /**
   * In-place-safe batched transform of x into o (which may be x): forward or inverse, centred (fastMRI)
   * or not, along the rows (axis 1, length w) and/or the columns (axis 0, length h), orthonormal.
   */
  transform(
    x: Float32Array,
    o: Float32Array,
    batch: number,
    h: number,
    w: number,
    inverse: boolean,
    centred: boolean,
    rows: boolean,
    cols: boolean,
  ): void {
    const [planH, planW] = this.plansFor(cols ? h : 0, rows ? w : 0);
    const per = 2 * h * w;
    const { a, b, img, colwork } = this.layout(h, w, 0);
    const flags = (inverse ? F_INVERSE : 0) | (centred ? F_CENTRED : 0) | (rows ? F_ROWS : 0) | (cols ? F_COLS : 0);
    const scale = 1 / Math.sqrt((rows ? w : 1) * (cols ? h : 1));
    const f32 = this.mem();
    const at = img >> 2;
    const view = f32.subarray(at, at + per);
    for (let i = 0; i < batch; i++) {
      const off = i * per;
      view.set(x.subarray(off, off + per));
      this.ex.fft2d(img, h, w, planH, planW, a, b, flags, scale, this.grow, this.gcol, 0, colwork);
      o.set(view, off);
    }
  }

  /**
   * Σ over coils of |ifft2c(coil)|² into acc (h·w floats; added to when accumulate, else overwritten);
   * with root set, acc receives the root-sum-of-squares instead.
   */
  ifft2cSumSquares(
    x: Float32Array,
    coils: number,
    h: number,
    w: number,
    acc: Float32Array,
    accumulate: boolean,
    root: boolean,
  ): void {
    const [planH, planW] = this.plansFor(h, w);
    const n = h * w;
    const per = 2 * n;
    const lay = this.layout(h, w, n);
    const f32 = this.mem();
    const at = lay.img >> 2;
    const view = f32.subarray(at, at + per);
    const accView = f32.subarray(lay.acc >> 2, (lay.acc >> 2) + n);
    if (accumulate) accView.set(acc);
    else this.ex.zero_array(lay.acc, n);
    const flags = F_INVERSE | F_CENTRED | F_ROWS | F_COLS;
    const scale = 1 / Math.sqrt(n);
    for (let c = 0; c < coils; c++) {
      view.set(x.subarray(c * per, (c + 1) * per));
      this.ex.fft2d(lay.img, h, w, planH, planW, lay.a, lay.b, flags, scale, this.grow, this.gcol, lay.acc, lay.colwork);
    }
    if (root) this.ex.sqrt_array(lay.acc, lay.acc, n);
    acc.set(accView);
  }

  /** Plans for lengths a and b (0: none) that are both valid at once: building one may reset the region. */
  private plansFor(a: number, b: number): [number, number] {
    for (;;) {
      const pa = a ? this.plan(a) : 0;
      const pb = b ? this.plan(b) : 0;
      if (!a || this.plans.get(a) === pa) return [pa, pb];
    }
  }

  /** The plan for n in the plan region (pointer), building it on first use. */
  private plan(n: number): number {
    const cached = this.plans.get(n);
    if (cached !== undefined) return cached;
    const radices = wasmFactorize(n);
    if (!radices) throw new RangeError(`WasmFft: length ${n} has a prime factor above ${WASM_MAX_PRIME}`);
    const bytes = planBytes(radices);
    if (this.planTop + bytes > this.heapBase + this.planCap) {
      // Plans are only read during a call: drop them all and restart in a region big enough.
      this.plans.clear();
      this.planTop = this.heapBase;
      this.planCap = Math.max(2 * this.planCap, 2 * bytes);
    }
    const base = this.planTop;
    this.ensure(base + bytes);
    const f32 = this.mem();
    const i32 = new Int32Array(this.ex.memory.buffer);
    let top = base + align16(4 * (1 + 4 * radices.length));
    i32[base >> 2] = radices.length;
    let ns = 1;
    radices.forEach((p, s) => {
      const len = ns * p;
      let tw = 0;
      if (ns > 1) {
        tw = top;
        const t0 = tw >> 2;
        for (let k = 0; k < ns; k++) {
          for (let r = 1; r < p; r++) {
            const ang = (-2 * Math.PI * k * r) / len;
            f32[t0 + 2 * ((p - 1) * k + r - 1)] = Math.cos(ang);
            f32[t0 + 2 * ((p - 1) * k + r - 1) + 1] = Math.sin(ang);
          }
        }
        top += align16(8 * (p - 1) * ns);
      }
      let trig = 0;
      if (p > 5 && p !== 8) {
        trig = top;
        const t0 = trig >> 2;
        const half = (p - 1) >> 1;
        for (let k = 1; k <= half; k++) {
          for (let r = 1; r <= half; r++) {
            const a = (2 * Math.PI * ((k * r) % p)) / p;
            f32[t0 + 2 * ((k - 1) * half + r - 1)] = Math.cos(a);
            f32[t0 + 2 * ((k - 1) * half + r - 1) + 1] = Math.sin(a);
          }
        }
        top += align16(8 * half * half);
      }
      const e = (base >> 2) + 1 + 4 * s;
      i32[e] = p;
      i32[e + 1] = ns;
      i32[e + 2] = tw;
      i32[e + 3] = trig;
      ns = len;
    });
    this.planTop = top;
    this.plans.set(n, base);
    return base;
  }

  /** Transient buffers after the plan region: two lane scratches, column lists, one image, an accumulator. */
  private layout(h: number, w: number, accFloats: number): { a: number; b: number; colwork: number; img: number; acc: number } {
    const lanes = 4 * Math.max(this.grow, this.gcol);
    const scratch = align16(8 * lanes * Math.max(h, w));
    const a = align16(this.heapBase + this.planCap);
    const b = a + scratch;
    const colwork = b + scratch;
    const img = colwork + align16(12 * w);
    const acc = img + align16(8 * h * w);
    this.ensure(acc + 4 * accFloats);
    return { a, b, colwork, img, acc };
  }

  private ensure(bytes: number): void {
    const mem = this.ex.memory;
    if (bytes > mem.buffer.byteLength) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
  }

  private mem(): Float32Array {
    if (this.f32.buffer !== this.ex.memory.buffer) this.f32 = new Float32Array(this.ex.memory.buffer);
    return this.f32;
  }
}

export type FftBackend = 'auto' | 'wasm' | 'ts';

let requested: FftBackend = (() => {
  const env = typeof process !== 'undefined' ? process.env.MRI_FFT_BACKEND : undefined;
  return env === 'ts' || env === 'wasm' ? env : 'auto';
})();
let kernel: WasmFft | null | undefined;
let loadError: string | undefined;

/** Path of the committed kernel binary. */
export function wasmKernelPath(): string {
  return join(packageRoot(), 'assets', 'wasm', 'fft.wasm');
}

function load(): WasmFft | null {
  if (kernel !== undefined) return kernel;
  try {
    if (!WA) throw new Error('WebAssembly is unavailable');
    const path = wasmKernelPath();
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      // packaged app: *.wasm is unpacked beside the asar archive
      if (!path.includes('app.asar')) throw e;
      bytes = readFileSync(path.replace('app.asar', 'app.asar.unpacked'));
    }
    // Compilation fails where simd128 is unsupported, which sends every call to the TypeScript path.
    kernel = new WasmFft(new WA.Module(bytes));
  } catch (e) {
    loadError = e instanceof Error ? e.message : String(e);
    kernel = null;
  }
  return kernel;
}

/**
 * Which implementation fft2c & co. use: 'auto' (the wasm kernel where it loads and supports the
 * lengths, else TypeScript), or force one. MRI_FFT_BACKEND=ts|wasm sets the initial choice.
 * Forcing 'wasm' throws if the kernel cannot be loaded.
 */
export function setFftBackend(b: FftBackend): void {
  if (b === 'wasm' && !load()) throw new Error(`setFftBackend: the wasm FFT kernel is unavailable (${loadError})`);
  requested = b;
}

export function getFftBackend(): FftBackend {
  return requested;
}

/** The kernel when the current backend allows it and it loaded, else null. */
export function wasmKernel(): WasmFft | null {
  return requested === 'ts' ? null : load();
}

/** Why the kernel failed to load, if it did. */
export function wasmLoadError(): string | undefined {
  load();
  return loadError;
}
