import { describe, expect, it } from 'vitest';
import { waveletOp } from '../../../src/cs/ops/wavelet';
import { defaultShifts, waveletFrameOp } from '../../../src/cs/ops/wavelet-frame';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** T_s x: circular shift, (T x)(y, x) = x((y + dy) mod h, (x + dx) mod w). */
function shifted(x: Float32Array, h: number, w: number, dy: number, dx: number): Float32Array {
  const o = new Float32Array(x.length);
  for (let y = 0; y < h; y++)
    for (let c = 0; c < w; c++) {
      const s = 2 * (((y + dy) % h) * w + ((c + dx) % w));
      o[2 * (y * w + c)] = x[s];
      o[2 * (y * w + c) + 1] = x[s + 1];
    }
  return o;
}

describe('fast Haar kernels', () => {
  it('waveletOp haar equals the generic filter bank, forward and adjoint, 1–3 levels, in place too', () => {
    for (const [h, w, levels] of [
      [8, 8, 1],
      [16, 8, 2],
      [8, 32, 3],
    ] as const) {
      const fast = waveletOp(h, w, { family: 'haar', levels });
      const ref = waveletOp(h, w, { family: 'haar', levels, generic: true });
      const x = randomComplex(h * w, 3 + levels);
      expect(maxDiff(fast.forward(x), ref.forward(x))).toBeLessThan(1e-5);
      expect(maxDiff(fast.adjoint(x), ref.adjoint(x))).toBeLessThan(1e-5);
      const inPlace = Float32Array.from(x);
      fast.forward(inPlace, inPlace);
      expect(maxDiff(inPlace, ref.forward(x))).toBeLessThan(1e-5);
      fast.adjoint(inPlace, inPlace);
      expect(maxDiff(inPlace, x)).toBeLessThan(1e-5);
    }
  });
});

describe('waveletFrameOp (cycle spinning)', () => {
  it('is the stack of shifted orthogonal transforms, scaled by 1/√S (haar fast path and db4)', () => {
    const h = 16;
    const w = 8;
    for (const [family, levels] of [
      ['haar', 1],
      ['haar', 2],
      ['db4', 2],
    ] as const) {
      const shifts = defaultShifts(4, levels);
      const F = waveletFrameOp(h, w, { family, levels, shifts });
      const W = waveletOp(h, w, { family, levels, generic: true });
      const x = randomComplex(h * w, 11);
      const c = F.forward(x);
      shifts.forEach(([dy, dx], s) => {
        const ref = W.forward(shifted(x, h, w, dy, dx)).map((v) => v / 2);
        expect(maxDiff(c.subarray(2 * s * h * w, 2 * (s + 1) * h * w), ref)).toBeLessThan(1e-5);
      });
    }
  });
  it('passes the adjoint test and is a Parseval frame (ΨᴴΨ = I)', () => {
    for (const [family, levels, count] of [
      ['haar', 1, 4],
      ['haar', 3, 3],
      ['db4', 2, 2],
    ] as const) {
      const F = waveletFrameOp(16, 16, { family, levels, shifts: defaultShifts(count, levels) });
      expectAdjoint(F);
      const x = randomComplex(256, 5);
      expect(maxDiff(F.adjoint(F.forward(x)), x)).toBeLessThan(1e-5);
    }
  });
  it('four default shifts at one level are the four shifts of the 2×2 grid (the undecimated Haar)', () => {
    const s = defaultShifts(4, 1).map(([a, b]) => `${a},${b}`);
    expect(new Set(s)).toEqual(new Set(['0,0', '0,1', '1,0', '1,1']));
  });
});
