import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/io/npy';
import {
  fft1c,
  fft2,
  fft2c,
  fft2cBatch,
  getFftBackend,
  ifft1c,
  ifft2,
  ifft2c,
  ifft2cBatch,
  setFftBackend,
} from '../../src/kspace/fft2c';
import { naiveDft2c, randomComplex, relL2 } from './dft-reference';

const FIXTURES = join(__dirname, '..', 'fixtures', 'fft');
// Copy into a fresh Uint8Array: a Buffer may be a view into a shared pool at a nonzero offset.
const load = (name: string) => parseNpy(new Uint8Array(readFileSync(join(FIXTURES, name)))).data as Float32Array;

function energy(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

/** Re ⟨a, b⟩ and Im ⟨a, b⟩ with ⟨a, b⟩ = Σ a · conj(b). */
function inner(a: ArrayLike<number>, b: ArrayLike<number>): [number, number] {
  let re = 0;
  let im = 0;
  for (let i = 0; i < a.length; i += 2) {
    re += a[i] * b[i] + a[i + 1] * b[i + 1];
    im += a[i + 1] * b[i] - a[i] * b[i + 1];
  }
  return [re, im];
}

const sizeArb = fc.integer({ min: 1, max: 40 });

describe('fft2c / ifft2c against fastMRI fixtures', () => {
  for (const size of ['8x8', '17x12', '64x64', '320x320', '640x368']) {
    it(size, () => {
      const [h, w] = size.split('x').map(Number);
      const x = load(`fft_${size}_x.npy`);
      const f = fft2c(x, h, w);
      const g = ifft2c(x, h, w);
      expect(relL2(f, load(`fft_${size}_fft2c.npy`))).toBeLessThan(1e-5);
      expect(relL2(g, load(`fft_${size}_ifft2c.npy`))).toBeLessThan(1e-5);
      expect(relL2(ifft2c(f, h, w), x)).toBeLessThan(1e-6);
      expect(relL2(fft2c(g, h, w), x)).toBeLessThan(1e-6);
      // Parseval: orthonormal transforms keep the energy
      expect(Math.abs(energy(f) / energy(x) - 1)).toBeLessThan(1e-6);
    });
  }
});

describe('fft2c properties on random sizes 1..40', () => {
  it('agrees with a naive DFT (forward and inverse, centred and not)', () => {
    fc.assert(
      fc.property(sizeArb, sizeArb, fc.integer(), (h, w, seed) => {
        const x = randomComplex(h * w, seed);
        expect(relL2(fft2c(x, h, w), naiveDft2c(x, h, w, false))).toBeLessThan(1e-5);
        expect(relL2(ifft2c(x, h, w), naiveDft2c(x, h, w, true))).toBeLessThan(1e-5);
        expect(relL2(fft2(x, h, w), naiveDft2c(x, h, w, false, false))).toBeLessThan(1e-5);
        expect(relL2(ifft2(x, h, w), naiveDft2c(x, h, w, true, false))).toBeLessThan(1e-5);
      }),
      { numRuns: 60 },
    );
  });

  it('covers primes handled by Bluestein (above 47) and the generic odd radix', () => {
    for (const [h, w] of [
      [53, 7],
      [1, 97],
      [46, 23],
      [2, 106],
      [13, 11],
    ]) {
      const x = randomComplex(h * w, h * 1000 + w);
      expect(relL2(fft2c(x, h, w), naiveDft2c(x, h, w, false))).toBeLessThan(1e-5);
      expect(relL2(ifft2c(fft2c(x, h, w), h, w), x)).toBeLessThan(1e-6);
    }
  });

  it('is linear', () => {
    fc.assert(
      fc.property(sizeArb, sizeArb, fc.integer(), fc.double({ min: -3, max: 3, noNaN: true }), (h, w, seed, a) => {
        const x = randomComplex(h * w, seed);
        const y = randomComplex(h * w, seed ^ 0x5bd1e995);
        const comb = x.map((v, i) => a * v + y[i]);
        const fx = fft2c(x, h, w);
        const fy = fft2c(y, h, w);
        expect(
          relL2(
            fft2c(comb, h, w),
            fx.map((v, i) => a * v + fy[i]),
          ),
        ).toBeLessThan(1e-5);
      }),
      { numRuns: 40 },
    );
  });

  it('ifft2c is the adjoint of fft2c', () => {
    fc.assert(
      fc.property(sizeArb, sizeArb, fc.integer(), (h, w, seed) => {
        const x = randomComplex(h * w, seed);
        const y = randomComplex(h * w, seed + 1);
        const [ar, ai] = inner(fft2c(x, h, w), y);
        const [br, bi] = inner(x, ifft2c(y, h, w));
        const scale = Math.sqrt(energy(x) * energy(y));
        expect(Math.abs(ar - br) / scale).toBeLessThan(1e-6);
        expect(Math.abs(ai - bi) / scale).toBeLessThan(1e-6);
      }),
      { numRuns: 40 },
    );
  });

  it('round-trips and keeps the energy', () => {
    fc.assert(
      fc.property(sizeArb, sizeArb, fc.integer(), (h, w, seed) => {
        const x = randomComplex(h * w, seed);
        const f = fft2c(x, h, w);
        expect(relL2(ifft2c(f, h, w), x)).toBeLessThan(1e-6);
        expect(Math.abs(energy(f) / energy(x) - 1)).toBeLessThan(1e-6);
      }),
      { numRuns: 60 },
    );
  });
});

describe('centring conventions', () => {
  for (const [h, w] of [
    [8, 8],
    [7, 5],
    [6, 9],
    [1, 1],
  ]) {
    it(`a delta at the centre pixel of ${h}×${w} maps to a constant, and back`, () => {
      const x = new Float32Array(2 * h * w);
      x[2 * ((h >> 1) * w + (w >> 1))] = 1;
      const c = 1 / Math.sqrt(h * w);
      for (const f of [fft2c(x, h, w), ifft2c(x, h, w)]) {
        for (let i = 0; i < h * w; i++) {
          expect(f[2 * i]).toBeCloseTo(c, 6);
          expect(f[2 * i + 1]).toBeCloseTo(0, 6);
        }
        expect(relL2(ifft2c(f, h, w), x)).toBeLessThan(1e-6);
      }
    });
  }

  it('a constant maps to a delta at the centre pixel (odd and even)', () => {
    for (const [h, w] of [
      [5, 4],
      [9, 11],
    ]) {
      const x = new Float32Array(2 * h * w);
      for (let i = 0; i < h * w; i++) x[2 * i] = 1;
      const f = fft2c(x, h, w);
      const centre = (h >> 1) * w + (w >> 1);
      expect(f[2 * centre]).toBeCloseTo(Math.sqrt(h * w), 5);
      expect(energy(f)).toBeCloseTo(h * w, 3);
    }
  });
});

describe('layouts and 1-D transforms', () => {
  it('works in place (out === x)', () => {
    const [h, w] = [15, 22];
    const x = randomComplex(h * w, 3);
    const expected = fft2c(x, h, w);
    const y = x.slice();
    expect(fft2c(y, h, w, y)).toBe(y);
    expect(relL2(y, expected)).toBeLessThan(1e-7);
    ifft2c(y, h, w, y);
    expect(relL2(y, x)).toBeLessThan(1e-6);
  });

  it('batch equals a loop of singles', () => {
    const [b, h, w] = [3, 9, 14];
    const x = randomComplex(b * h * w, 11);
    const f = fft2cBatch(x, b, h, w);
    const g = ifft2cBatch(x, b, h, w);
    for (let i = 0; i < b; i++) {
      const xi = x.subarray(2 * i * h * w, 2 * (i + 1) * h * w);
      expect(f.subarray(2 * i * h * w, 2 * (i + 1) * h * w)).toEqual(fft2c(xi, h, w));
      expect(g.subarray(2 * i * h * w, 2 * (i + 1) * h * w)).toEqual(ifft2c(xi, h, w));
    }
  });

  it('fft1c along both axes composes to fft2c, and ifft1c inverts it', () => {
    fc.assert(
      fc.property(sizeArb, sizeArb, fc.integer(), (h, w, seed) => {
        const x = randomComplex(h * w, seed);
        const both = fft1c(fft1c(x, h, w, 1), h, w, 0);
        expect(relL2(both, fft2c(x, h, w))).toBeLessThan(1e-6);
        for (const axis of [0, 1] as const) expect(relL2(ifft1c(fft1c(x, h, w, axis), h, w, axis), x)).toBeLessThan(1e-6);
      }),
      { numRuns: 30 },
    );
  });

  it('fft1c along axis 1 is the centred 1-D DFT of each row', () => {
    const [h, w] = [3, 7];
    const x = randomComplex(h * w, 5);
    const f = fft1c(x, h, w, 1);
    for (let y = 0; y < h; y++) {
      const row = x.subarray(2 * y * w, 2 * (y + 1) * w);
      expect(relL2(f.subarray(2 * y * w, 2 * (y + 1) * w), naiveDft2c(row, 1, w, false))).toBeLessThan(1e-6);
    }
  });
});

describe('input validation', () => {
  it('throws RangeError naming the bad parameter', () => {
    const x = new Float32Array(8);
    expect(() => fft2c(x, 2, 0)).toThrow(RangeError);
    expect(() => fft2c(x, 2, 0)).toThrow(/fft2c: w must be a positive integer, got 0/);
    expect(() => ifft2c(x, 1.5, 2)).toThrow(/ifft2c: h must be a positive integer/);
    expect(() => fft2c(x, 2, 3)).toThrow(/fft2c: x must hold 12 floats/);
    expect(() => fft2c(x, 2, 2, new Float32Array(4))).toThrow(/out must hold 8/);
    expect(() => fft2cBatch(x, 0, 2, 2)).toThrow(/fft2cBatch: batch must be a positive integer/);
    expect(() => ifft2cBatch(x, 2, 2, 2)).toThrow(/ifft2cBatch: x must hold 16 floats/);
    expect(() => fft1c(x, 2, 2, 2 as 0)).toThrow(/fft1c: axis must be 0 or 1/);
    expect(() => fft2c(x, NaN, 2)).toThrow(RangeError);
  });
});

// The tests above run the default backend (the wasm kernel under Node); the TypeScript path stays the
// fallback where WebAssembly SIMD is missing and for lengths with a prime factor above 127.
describe('TypeScript fallback backend', () => {
  beforeAll(() => setFftBackend('ts'));
  afterAll(() => setFftBackend('auto'));

  it('is selected', () => expect(getFftBackend()).toBe('ts'));

  for (const size of ['17x12', '640x368']) {
    it(`matches the fixtures (${size})`, () => {
      const [h, w] = size.split('x').map(Number);
      const x = load(`fft_${size}_x.npy`);
      expect(relL2(fft2c(x, h, w), load(`fft_${size}_fft2c.npy`))).toBeLessThan(1e-5);
      expect(relL2(ifft2c(x, h, w), load(`fft_${size}_ifft2c.npy`))).toBeLessThan(1e-5);
    });
  }

  it('agrees with a naive DFT on random sizes', () => {
    fc.assert(
      fc.property(sizeArb, sizeArb, fc.integer(), (h, w, seed) => {
        const x = randomComplex(h * w, seed);
        expect(relL2(fft2c(x, h, w), naiveDft2c(x, h, w, false))).toBeLessThan(1e-5);
        expect(relL2(ifft2(x, h, w), naiveDft2c(x, h, w, true, false))).toBeLessThan(1e-5);
        expect(relL2(ifft2c(fft2c(x, h, w), h, w), x)).toBeLessThan(1e-6);
      }),
      { numRuns: 30 },
    );
  });
});
