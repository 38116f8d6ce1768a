import { describe, expect, it } from 'vitest';
import { l1, softThreshold } from '../../../src/cs/prox/soft-threshold';

describe('softThreshold', () => {
  it('shrinks the magnitude and keeps the phase (closed form)', () => {
    const x = Float32Array.from([3, 4, 0.3, -0.4, -6, 8, 0, 0]);
    const y = softThreshold(x, 1);
    // |3+4i| = 5 → 4, direction (0.6, 0.8)
    expect(y[0]).toBeCloseTo(2.4, 6);
    expect(y[1]).toBeCloseTo(3.2, 6);
    // |0.3−0.4i| = 0.5 < 1 → 0
    expect(Math.abs(y[2])).toBe(0);
    expect(Math.abs(y[3])).toBe(0);
    // |−6+8i| = 10 → 9
    expect(y[4]).toBeCloseTo(-5.4, 5);
    expect(y[5]).toBeCloseTo(7.2, 5);
    expect(y[6]).toBe(0);
  });
  it('weights scale the threshold per entry; 0 leaves the entry untouched', () => {
    const x = Float32Array.from([3, 4, 3, 4]);
    const y = softThreshold(x, 1, undefined, Float32Array.from([0, 2]));
    expect(Array.from(y.subarray(0, 2))).toEqual([3, 4]);
    expect(y[2]).toBeCloseTo(1.8, 6);
  });
  it('is the prox of t·λ‖x‖₁: it minimises ½‖x − v‖² + tλ‖x‖₁ against perturbations', () => {
    const g = l1(0.5);
    const v = Float32Array.from([1, -2, 0.1, 0.2, -0.7, 0.3]);
    const p = g.prox(v, 2);
    const obj = (x: Float32Array) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += 0.5 * (x[i] - v[i]) ** 2;
      return s + 2 * g.value(x);
    };
    const base = obj(p);
    for (let k = 0; k < 50; k++) {
      const q = Float32Array.from(p, (val, i) => val + 0.01 * Math.sin(13 * k + 7 * i));
      expect(obj(q)).toBeGreaterThanOrEqual(base - 1e-7);
    }
  });
  it('rejects a negative threshold', () => {
    expect(() => softThreshold(new Float32Array(2), -1)).toThrow(RangeError);
  });
});
