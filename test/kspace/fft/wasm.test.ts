import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fft1c,
  fft2,
  fft2c,
  fft2cBatch,
  ifft1c,
  ifft2,
  ifft2c,
  ifft2cBatch,
  ifft2cRss,
  ifft2cSumSquares,
  setFftBackend,
} from '../../../src/kspace/fft2c';
import { WASM_MAX_PRIME, wasmFactorize, wasmKernel, wasmLoadError } from '../../../src/kspace/fft/wasm';
import { naiveDft2c, randomComplex, relL2 } from '../dft-reference';

const ROOT = join(__dirname, '..', '..', '..');

/** Keep in step with the hash written by scripts/build-wasm.sh. */
function sourceHash(): string {
  const files = [
    ...readdirSync(join(ROOT, 'native/fft'))
      .filter((f) => /\.[ch]$/.test(f))
      .sort()
      .map((f) => 'native/fft/' + f),
    'scripts/build-wasm.sh',
  ];
  const h = createHash('sha256');
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), 'utf8').replace(/\r\n/g, '\n');
    h.update(f + '\n' + Buffer.byteLength(text) + '\n' + text);
  }
  return h.digest('hex');
}

/** TS-path result of fn, for comparing the two backends. */
function withTs<T>(fn: () => T): T {
  setFftBackend('ts');
  try {
    return fn();
  } finally {
    setFftBackend('wasm');
  }
}

describe('the committed wasm kernel', () => {
  it('is built from the current native/fft sources (rerun scripts/build-wasm.sh if this fails)', () => {
    const recorded = readFileSync(join(ROOT, 'assets/wasm/fft.wasm.sha256'), 'utf8').split(/\s+/)[0];
    expect(recorded).toBe(sourceHash());
  });

  it('loads under Node (WebAssembly SIMD) and is the default backend', () => {
    expect(wasmLoadError()).toBeUndefined();
    expect(wasmKernel()).not.toBeNull();
  });

  it('factorizes into 8/4/2 then odd radices up to WASM_MAX_PRIME', () => {
    expect(wasmFactorize(1)).toEqual([]);
    expect(wasmFactorize(320)).toEqual([8, 8, 5]);
    expect(wasmFactorize(368)).toEqual([4, 4, 23]);
    expect(wasmFactorize(2 * 9 * WASM_MAX_PRIME)).toEqual([2, 3, 3, WASM_MAX_PRIME]);
    expect(wasmFactorize(131)).toBeNull();
  });
});

describe('wasm path', () => {
  beforeAll(() => setFftBackend('wasm'));
  afterAll(() => setFftBackend('auto'));

  const size = fc.integer({ min: 1, max: 64 });
  const prime = fc.constantFrom(1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61);

  it('agrees with a naive DFT on sizes 1..64 (forward and inverse, centred and not)', () => {
    fc.assert(
      fc.property(fc.oneof(size, prime), fc.oneof(size, prime), fc.integer(), (h, w, seed) => {
        const x = randomComplex(h * w, seed);
        expect(relL2(fft2c(x, h, w), naiveDft2c(x, h, w, false))).toBeLessThan(1e-5);
        expect(relL2(ifft2c(x, h, w), naiveDft2c(x, h, w, true))).toBeLessThan(1e-5);
        expect(relL2(fft2(x, h, w), naiveDft2c(x, h, w, false, false))).toBeLessThan(1e-5);
        expect(relL2(ifft2(x, h, w), naiveDft2c(x, h, w, true, false))).toBeLessThan(1e-5);
      }),
      { numRuns: 80 },
    );
  });

  it('round-trips, keeps the energy and matches the TypeScript path', () => {
    fc.assert(
      fc.property(size, size, fc.integer(), (h, w, seed) => {
        const x = randomComplex(h * w, seed);
        const f = fft2c(x, h, w);
        expect(relL2(ifft2c(f, h, w), x)).toBeLessThan(1e-6);
        expect(
          relL2(
            f,
            withTs(() => fft2c(x, h, w)),
          ),
        ).toBeLessThan(1e-6);
      }),
      { numRuns: 60 },
    );
  });

  it('fft1c / ifft1c along either axis', () => {
    fc.assert(
      fc.property(size, size, fc.integer(), (h, w, seed) => {
        const x = randomComplex(h * w, seed);
        for (const axis of [0, 1] as const) {
          const f = fft1c(x, h, w, axis);
          expect(
            relL2(
              f,
              withTs(() => fft1c(x, h, w, axis)),
            ),
          ).toBeLessThan(1e-6);
          expect(relL2(ifft1c(f, h, w, axis), x)).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('batch equals a loop of singles, and works in place', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), size, size, fc.integer(), (b, h, w, seed) => {
        const n = 2 * h * w;
        const x = randomComplex(b * h * w, seed);
        const f = fft2cBatch(x, b, h, w);
        const g = ifft2cBatch(x, b, h, w);
        for (let i = 0; i < b; i++) {
          const xi = x.subarray(i * n, (i + 1) * n);
          expect(f.subarray(i * n, (i + 1) * n)).toEqual(fft2c(xi, h, w));
          expect(g.subarray(i * n, (i + 1) * n)).toEqual(ifft2c(xi, h, w));
        }
        const y = x.slice();
        expect(fft2cBatch(y, b, h, w, y)).toBe(y);
        expect(y).toEqual(f);
        ifft2cBatch(y, b, h, w, y);
        expect(relL2(y, x)).toBeLessThan(1e-6);
      }),
      { numRuns: 25 },
    );
  });

  it('skips all-zero columns (undersampled k-space) without changing the result', () => {
    fc.assert(
      fc.property(size, size, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (h, w, seed, keep) => {
        const x = randomComplex(h * w, seed);
        // zero a random subset of columns (±0), sometimes all of them
        for (let c = 0; c < w; c++) {
          if (((c * 2654435761 + seed) >>> 0) / 4294967296 < keep) continue;
          for (let y = 0; y < h; y++) {
            x[2 * (y * w + c)] = y % 2 ? -0 : 0;
            x[2 * (y * w + c) + 1] = 0;
          }
        }
        expect(relL2(fft2c(x, h, w), naiveDft2c(x, h, w, false))).toBeLessThan(1e-5);
        expect(relL2(ifft2(x, h, w), naiveDft2c(x, h, w, true, false))).toBeLessThan(1e-5);
        expect(
          relL2(
            fft1c(x, h, w, 0),
            withTs(() => fft1c(x, h, w, 0)),
          ),
        ).toBeLessThan(1e-6);
        const c2 = ifft2cBatch(x, 1, h, w);
        const sumsq = c2.filter((_, i) => i % 2 === 0).map((re, i) => re * re + c2[2 * i + 1] ** 2);
        expect(relL2(ifft2cSumSquares(x, 1, h, w), sumsq)).toBeLessThan(2e-6);
      }),
      { numRuns: 60 },
    );
    // a single nonzero entry, the last column of a width that leaves a partial block
    const [h, w] = [9, 21];
    const x = new Float32Array(2 * h * w);
    x[2 * (4 * w + 20)] = 1;
    expect(relL2(fft2c(x, h, w), naiveDft2c(x, h, w, false))).toBeLessThan(1e-6);
  });

  it('ifft2cSumSquares accumulates into out', () => {
    const [c, h, w] = [3, 12, 10];
    const k = randomComplex(c * h * w, 8);
    const n = h * w;
    const acc = ifft2cSumSquares(k.subarray(0, 2 * n), 1, h, w);
    expect(ifft2cSumSquares(k.subarray(2 * n), c - 1, h, w, acc, true)).toBe(acc);
    expect(relL2(acc, ifft2cSumSquares(k, c, h, w))).toBeLessThan(1e-6);
    expect(() => ifft2cSumSquares(k, c, h, w, undefined, true)).toThrow(/accumulate needs out/);
    const accTs = withTs(() => ifft2cSumSquares(k.subarray(0, 2 * n), 1, h, w));
    withTs(() => ifft2cSumSquares(k.subarray(2 * n), c - 1, h, w, accTs, true));
    expect(relL2(accTs, acc)).toBeLessThan(1e-6);
  });

  it('ifft2cRss is the root-sum-of-squares of ifft2cBatch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), size, size, fc.integer(), (c, h, w, seed) => {
        const n = h * w;
        const k = randomComplex(c * n, seed);
        const img = withTs(() => ifft2cBatch(k, c, h, w));
        const want = new Float64Array(n);
        for (let i = 0; i < c * n; i++) want[i % n] += img[2 * i] ** 2 + img[2 * i + 1] ** 2;
        expect(relL2(ifft2cSumSquares(k, c, h, w), want)).toBeLessThan(2e-6);
        expect(relL2(ifft2cRss(k, c, h, w), want.map(Math.sqrt))).toBeLessThan(1e-6);
        expect(
          relL2(
            withTs(() => ifft2cRss(k, c, h, w)),
            want.map(Math.sqrt),
          ),
        ).toBeLessThan(1e-7);
      }),
      { numRuns: 25 },
    );
    expect(() => ifft2cRss(new Float32Array(8), 2, 1, 2, new Float32Array(3))).toThrow(/out must hold 2 floats/);
  });

  it('handles long lengths and replans when the plan region overflows', () => {
    const [h, w] = [3, 65536];
    const x = randomComplex(h * w, 17);
    const f = fft2c(x, h, w);
    expect(
      relL2(
        f,
        withTs(() => fft2c(x, h, w)),
      ),
    ).toBeLessThan(2e-6);
    // more long plans than the first plan region holds, then the first again
    for (const n of [3 * 16384, 5 * 8192, 7 * 4096, 9 * 2048]) {
      const y = randomComplex(n, n);
      expect(relL2(ifft2c(fft2c(y, 1, n), 1, n), y)).toBeLessThan(1e-6);
    }
    expect(fft2c(x, h, w)).toEqual(f);
  });

  it('sends lengths with a prime factor above WASM_MAX_PRIME to the TypeScript path', () => {
    for (const [h, w] of [
      [2, 131],
      [131, 4],
    ]) {
      const x = randomComplex(h * w, h + w);
      expect(relL2(fft2c(x, h, w), naiveDft2c(x, h, w, false))).toBeLessThan(1e-5);
      expect(fft2c(x, h, w)).toEqual(withTs(() => fft2c(x, h, w)));
      // one axis alone is enough for the kernel
      expect(
        relL2(
          fft1c(x, h, w, h === 2 ? 0 : 1),
          withTs(() => fft1c(x, h, w, h === 2 ? 0 : 1)),
        ),
      ).toBeLessThan(1e-6);
    }
  });

  it('block widths (lane groups) do not change the result beyond rounding', () => {
    const k = wasmKernel()!;
    const [h, w] = [37, 45];
    const x = randomComplex(h * w, 5);
    const ref = naiveDft2c(x, h, w, false);
    const saved = [k.grow, k.gcol];
    try {
      for (const g of [1, 2, 3, 4]) {
        k.grow = g;
        k.gcol = 5 - g;
        expect(relL2(fft2c(x, h, w), ref)).toBeLessThan(1e-5);
      }
    } finally {
      [k.grow, k.gcol] = saved;
    }
  });
});
