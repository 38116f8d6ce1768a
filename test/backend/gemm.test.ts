import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '../../src/backend';
import { GemmKernels, gemmKernels, gemmLoadError, winogradApplies, type ConvGeometry } from '../../src/backend/gemm';
import { groupNormalize } from '../../src/models/layers';
import { relErr, seededUniform } from '../helpers/numeric';

const ROOT = join(__dirname, '..', '..');

/** Keep in step with the hash written by native/gemm/build.sh. */
function sourceHash(): string {
  const files = readdirSync(join(ROOT, 'native/gemm'))
    .filter((f) => /\.([ch]|sh)$/.test(f))
    .sort()
    .map((f) => 'native/gemm/' + f);
  const h = createHash('sha256');
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), 'utf8').replace(/\r\n/g, '\n');
    h.update(f + '\n' + Buffer.byteLength(text) + '\n' + text);
  }
  return h.digest('hex');
}

describe('the committed gemm kernel', () => {
  it('is built from the current native/gemm sources (rerun native/gemm/build.sh if this fails)', () => {
    const recorded = readFileSync(join(ROOT, 'assets/wasm/gemm.wasm.sha256'), 'utf8').split(/\s+/)[0];
    expect(recorded).toBe(sourceHash());
  });

  it('loads under Node (WebAssembly SIMD)', () => {
    expect(gemmLoadError()).toBeUndefined();
    expect(gemmKernels()).not.toBeNull();
  });

  it('the relaxed-SIMD (FMA) build is the one loaded here, and its conv_fwd / norm_act match the plain build', () => {
    const k = gemmKernels()!;
    // Node 20 accepts relaxed SIMD once --experimental-wasm-relaxed-simd is set (gemm.ts does it)
    expect(k.relaxed).toBe(process.env.MRI_RECON_WASM_RELAXED !== '0');
    const plain = new GemmKernels(new Uint8Array(readFileSync(join(ROOT, 'assets/wasm/gemm.wasm'))));
    // odd sizes: partial 6-pixel tiles and a partial 8-channel panel
    const g: ConvGeometry = { n: 2, h: 7, w: 9, ci: 5, ho: 7, wo: 9, co: 11, kh: 3, kw: 3, sh: 1, sw: 1, top: 1, left: 1 };
    const x = new Float32Array(g.n * g.h * g.w * g.ci).map((_, i) => Math.sin(i * 0.7));
    const w = new Float32Array(9 * g.ci * g.co).map((_, i) => Math.cos(i * 0.3));
    const ref = new Float32Array(g.n * g.ho * g.wo * g.co);
    for (let n = 0; n < g.n; n++)
      for (let y = 0; y < g.ho; y++)
        for (let xx = 0; xx < g.wo; xx++)
          for (let o = 0; o < g.co; o++) {
            let s = 0;
            for (let a = 0; a < 3; a++)
              for (let b = 0; b < 3; b++) {
                const iy = y + a - 1;
                const ix = xx + b - 1;
                if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                for (let c = 0; c < g.ci; c++)
                  s += x[((n * g.h + iy) * g.w + ix) * g.ci + c] * w[((a * 3 + b) * g.ci + c) * g.co + o];
              }
            ref[((n * g.ho + y) * g.wo + xx) * g.co + o] = s;
          }
    for (const kern of [k, plain]) {
      const out = new Float32Array(ref.length);
      kern.conv2d(x, w, g, out);
      expect(relErr(out, ref)).toBeLessThan(1e-6);
    }
    const a = new Float32Array(x.length);
    const b = new Float32Array(x.length);
    const gamma = new Float32Array(g.ci).map((_, i) => 1 + 0.1 * i);
    const beta = new Float32Array(g.ci).map((_, i) => 0.05 * i);
    const spec = { n: g.n, hw: g.h * g.w, c: g.ci, groups: g.ci, eps: 1e-5, alpha: 0.2 };
    k.normAct(x, spec, gamma, beta, a);
    plain.normAct(x, spec, gamma, beta, b);
    expect(relErr(a, b)).toBeLessThan(1e-6);
  });

  it('reduce_mid sums / averages the middle axes', () => {
    const k = gemmKernels()!;
    const [outer, mid, inner] = [2, 37, 7];
    const x = new Float32Array(outer * mid * inner).map((_, i) => Math.sin(i));
    const out = new Float32Array(outer * inner);
    k.reduceMid(x, outer, mid, inner, 1 / mid, out);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < inner; j++) {
        let s = 0;
        for (let m = 0; m < mid; m++) s += x[(o * mid + m) * inner + j];
        expect(out[o * inner + j]).toBeCloseTo(s / mid, 5);
      }
  });
});

/** Calls visit(input index, output index, tap) for every (pixel, 3×3 tap) pair of g that reads inside x. */
function forEachTap(g: ConvGeometry, visit: (xi: number, yi: number, tap: number) => void): void {
  for (let n = 0; n < g.n; n++)
    for (let y = 0; y < g.ho; y++)
      for (let xx = 0; xx < g.wo; xx++)
        for (let tap = 0; tap < 9; tap++) {
          const iy = y + Math.floor(tap / 3) - g.top;
          const ix = xx + (tap % 3) - g.left;
          if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) visit((n * g.h + iy) * g.w + ix, (n * g.ho + y) * g.wo + xx, tap);
        }
}

/** Float64 reference of a 3×3 convolution (`flip`: w is a forward filter [3][3][co][ci] used as conv2d's flip does). */
function conv3x3Ref(x: Float32Array, w: Float32Array, g: ConvGeometry, flip: boolean): Float64Array {
  const out = new Float64Array(g.n * g.ho * g.wo * g.co);
  forEachTap(g, (xi, yi, tap) => {
    for (let c = 0; c < g.ci; c++)
      for (let o = 0; o < g.co; o++) {
        const wv = flip ? w[(8 - tap) * g.co * g.ci + o * g.ci + c] : w[(tap * g.ci + c) * g.co + o];
        out[yi * g.co + o] += x[xi * g.ci + c] * wv;
      }
  });
  return out;
}

/** Float64 reference of the filter gradient Σ_pixels Col(x)ᵀ · dy (HWIO). */
function backpropFilterRef(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float64Array {
  const out = new Float64Array(9 * g.ci * g.co);
  forEachTap(g, (xi, yi, tap) => {
    for (let c = 0; c < g.ci; c++)
      for (let o = 0; o < g.co; o++) out[(tap * g.ci + c) * g.co + o] += x[xi * g.ci + c] * dy[yi * g.co + o];
  });
  return out;
}

describe('Winograd 3×3 convolutions (F(4×4) forward, F(2×2) gradients) against float64', () => {
  // partial tiles, a partial 8-channel panel (co = 4, 20), batch 2, 'valid' and 'same' padding, a multi-block layer
  const cases: ConvGeometry[] = [
    { n: 1, h: 8, w: 8, ci: 8, ho: 8, wo: 8, co: 8, kh: 3, kw: 3, sh: 1, sw: 1, top: 1, left: 1 },
    { n: 2, h: 9, w: 7, ci: 12, ho: 9, wo: 7, co: 20, kh: 3, kw: 3, sh: 1, sw: 1, top: 1, left: 1 },
    { n: 1, h: 10, w: 11, ci: 8, ho: 8, wo: 9, co: 4, kh: 3, kw: 3, sh: 1, sw: 1, top: 0, left: 0 },
    { n: 1, h: 37, w: 41, ci: 32, ho: 37, wo: 41, co: 16, kh: 3, kw: 3, sh: 1, sw: 1, top: 1, left: 1 },
  ];
  const direct = <T>(f: () => T): T => {
    process.env.MRI_RECON_WASM_WINOGRAD = '0';
    try {
      return f();
    } finally {
      delete process.env.MRI_RECON_WASM_WINOGRAD;
    }
  };

  for (const g of cases) {
    const label = `${g.n}×${g.h}×${g.w}×${g.ci} → ${g.co}, pad ${g.top}`;
    it(`forward, input gradient and filter gradient: ${label}`, () => {
      const k = gemmKernels()!;
      expect(winogradApplies(g)).toBe(true);
      const x = seededUniform(g.n * g.h * g.w * g.ci, 1);
      const w = seededUniform(9 * g.ci * g.co, 2, 0.2);
      const dy = seededUniform(g.n * g.ho * g.wo * g.co, 3);
      const gFlip: ConvGeometry = {
        ...g,
        ci: g.co,
        co: g.ci,
        h: g.ho,
        w: g.wo,
        ho: g.h,
        wo: g.w,
        top: 2 - g.top,
        left: 2 - g.left,
      };
      const tests: { name: string; geometry: ConvGeometry; ref: Float64Array; run: () => Float32Array; tol: number }[] = [
        // F(4×4)'s larger transform constants cost accuracy (~2e-6 against ~2e-7 for the direct sum)
        {
          name: 'forward',
          geometry: g,
          ref: conv3x3Ref(x, w, g, false),
          run: () => out(g.n * g.ho * g.wo * g.co, (o) => k.conv2d(x, w, g, o)),
          tol: 4e-6,
        },
        {
          name: 'input gradient',
          geometry: gFlip,
          ref: conv3x3Ref(dy, w, gFlip, true),
          run: () => out(g.n * g.h * g.w * g.ci, (o) => k.conv2d(dy, w, gFlip, o, true)),
          tol: 1e-6,
        },
        {
          name: 'filter gradient',
          geometry: g,
          ref: backpropFilterRef(x, dy, g),
          run: () => out(9 * g.ci * g.co, (o) => k.conv2dBackpropFilter(x, dy, g, o)),
          tol: 1e-6,
        },
      ];
      for (const t of tests) {
        const wino = t.run();
        const plain = direct(t.run);
        expect(relErr(wino, t.ref), `${t.name} (Winograd)`).toBeLessThan(t.tol);
        expect(relErr(plain, t.ref), `${t.name} (direct)`).toBeLessThan(1e-6);
        // the Winograd path really ran where it applies: its rounding differs from the direct sum's
        expect(
          wino.some((v, i) => v !== plain[i]),
          t.name,
        ).toBe(winogradApplies(t.geometry));
      }
    });
  }

  it('applies only to stride-1 3×3 convolutions with channel counts that are multiples of 4 (and ≥ 8 in)', () => {
    const base: ConvGeometry = { n: 1, h: 8, w: 8, ci: 8, ho: 8, wo: 8, co: 8, kh: 3, kw: 3, sh: 1, sw: 1, top: 1, left: 1 };
    expect(winogradApplies(base)).toBe(true);
    expect(winogradApplies({ ...base, ci: 1 })).toBe(false);
    expect(winogradApplies({ ...base, co: 6 })).toBe(false);
    expect(winogradApplies({ ...base, sh: 2, sw: 2, ho: 4, wo: 4 })).toBe(false);
    expect(winogradApplies({ ...base, kh: 5, kw: 5 })).toBe(false);
    expect(direct(() => winogradApplies(base))).toBe(false);
  });
});

function out(n: number, fill: (o: Float32Array) => void): Float32Array {
  const o = new Float32Array(n);
  fill(o);
  return o;
}

describe('wasm Mean / Sum over middle axes and the fused norm gradient', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  async function on<T>(backend: string, f: () => T): Promise<T> {
    await selectBackend(backend);
    return f();
  }

  it('Mean / Sum match the cpu backend (middle axes via our kernel, others via tfjs)', async () => {
    const x = () =>
      tf.tensor4d(
        new Float32Array(2 * 5 * 6 * 3).map((_, i) => 1.5 + Math.cos(i * 0.7)),
        [2, 5, 6, 3],
      );
    const cases: [number[], boolean][] = [
      [[1, 2], true],
      [[1, 2], false],
      [[1], true],
      [[2], false],
      [[3], true],
      [[0, 1], false],
    ];
    for (const [axis, keep] of cases) {
      const ref = await on('cpu', () =>
        [tf.mean(x(), axis, keep), tf.sum(x(), axis, keep)].map((t) => ({ shape: t.shape, data: t.dataSync().slice() })),
      );
      const got = await on('wasm', () =>
        [tf.mean(x(), axis, keep), tf.sum(x(), axis, keep)].map((t) => ({ shape: t.shape, data: t.dataSync().slice() })),
      );
      for (let i = 0; i < 2; i++) {
        expect(got[i].shape).toEqual(ref[i].shape);
        expect(relErr(got[i].data, ref[i].data), `${axis} ${keep}`).toBeLessThan(1e-6);
      }
    }
  });

  it('groupNormalize: value and gradient equal autodiff through the plain formula', async () => {
    const plain = (x: tf.Tensor4D, groups: number) => {
      const [n, h, w, c] = x.shape;
      const g = tf.reshape(x, [n, h, w, groups, c / groups]);
      const mean = tf.mean(g, [1, 2, 4], true);
      const centred = tf.sub(g, mean);
      const variance = tf.mean(tf.square(centred), [1, 2, 4], true);
      return tf.reshape(tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-5))), [n, h, w, c]);
    };
    for (const groups of [4, 2, 1]) {
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(
            new Float32Array(2 * 6 * 5 * 4).map((_, i) => Math.sin(i * 1.3) * (1 + (i % 7))),
            [2, 6, 5, 4],
          );
          const wgt = tf.tensor4d(
            new Float32Array(2 * 6 * 5 * 4).map((_, i) => Math.cos(i * 0.3)),
            [2, 6, 5, 4],
          );
          const ours = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(groupNormalize(a as tf.Tensor4D, groups, 1e-5), wgt)))(x);
          const ref = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(plain(a as tf.Tensor4D, groups), wgt)))(x);
          return [
            groupNormalize(x, groups, 1e-5).dataSync().slice(),
            plain(x, groups).dataSync().slice(),
            ours.dataSync().slice(),
            ref.dataSync().slice(),
          ];
        });
      for (const backend of ['cpu', 'wasm']) {
        const [v, vr, g, gr] = await on(backend, run);
        expect(relErr(v, vr), `value ${backend} ${groups}`).toBeLessThan(1e-5);
        expect(relErr(g, gr), `grad ${backend} ${groups}`).toBeLessThan(1e-4);
      }
    }
  });
});
