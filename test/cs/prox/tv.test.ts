import { describe, expect, it } from 'vitest';
import { proxTV, proxTVReference, tv, tvNorm } from '../../../src/cs/prox/tv';
import { gradOp } from '../../../src/cs/ops/finite-diff';
import { l21Norm } from '../../../src/cs/prox/linf-ball';
import { randomComplex } from '../helpers/adjoint';

describe('proxTV', () => {
  it('two-pixel closed form: the difference shrinks by 4λ, the mean is kept', () => {
    // 1×2 periodic image: ∂x = (b−a, a−b), ∂y = 0, so TV = 2|b−a| and the prox shrinks b−a by 4λ.
    const y = Float32Array.from([1, 0, 3, 1]);
    const x = proxTV(y, 0.1, [1, 2], { iterations: 2000, tolerance: 0 });
    // d = (2, 1), |d| = √5, shrink to √5 − 0.4
    const f = (Math.sqrt(5) - 0.4) / Math.sqrt(5);
    expect(x[2] - x[0]).toBeCloseTo(2 * f, 4);
    expect(x[3] - x[1]).toBeCloseTo(1 * f, 4);
    expect(x[0] + x[2]).toBeCloseTo(4, 5);
    expect(x[1] + x[3]).toBeCloseTo(1, 5);
    // and collapses to the mean once 4λ ≥ |d|
    const c = proxTV(y, 1, [1, 2], { iterations: 2000, tolerance: 0 });
    expect(c[0]).toBeCloseTo(2, 4);
    expect(c[2]).toBeCloseTo(2, 4);
  });
  it('leaves a constant image unchanged and flattens to the mean for huge λ', () => {
    const h = 6;
    const w = 5;
    const cst = new Float32Array(2 * h * w).fill(0.5);
    const x = proxTV(cst, 1, [h, w]);
    for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(0.5, 6);
    const y = randomComplex(h * w, 5);
    let mr = 0;
    for (let i = 0; i < y.length; i += 2) mr += y[i];
    mr /= h * w;
    const z = proxTV(y, 100, [h, w], { iterations: 3000, tolerance: 0 });
    for (let i = 0; i < z.length; i += 2) expect(z[i]).toBeCloseTo(mr, 3);
  });
  it('decreases the prox objective below nearby points (2-D and 3-D)', () => {
    for (const dims of [
      [8, 7],
      [3, 4, 5],
    ] as const) {
      const n = dims.reduce((a, b) => a * b, 1);
      const y = randomComplex(n, 9);
      const lam = 0.05;
      const x = proxTV(y, lam, dims, { iterations: 3000, tolerance: 0 });
      const obj = (u: Float32Array) => {
        let s = 0;
        for (let i = 0; i < u.length; i++) s += 0.5 * (u[i] - y[i]) ** 2;
        return s + lam * tvNorm(u, dims);
      };
      const base = obj(x);
      expect(base).toBeLessThan(obj(y));
      for (let k = 0; k < 20; k++) {
        const q = Float32Array.from(x, (v, i) => v + 1e-3 * Math.sin(17 * k + 3 * i));
        expect(obj(q)).toBeGreaterThanOrEqual(base - 1e-6);
      }
    }
  });
});

describe('proxTV 2-D fast path', () => {
  it('matches the generic operator-based FGP (run as 3-D with one slice) and allows out = y', () => {
    const h = 9;
    const w = 6;
    const y = randomComplex(h * w, 13);
    const lam = 0.04;
    const fast = proxTV(y, lam, [h, w], { iterations: 4000, tolerance: 0 });
    const generic = proxTV(y, lam, [1, h, w], { iterations: 4000, tolerance: 0 });
    for (let i = 0; i < y.length; i++) expect(fast[i]).toBeCloseTo(generic[i], 4);
    const inPlace = Float32Array.from(y);
    proxTV(inPlace, lam, [h, w], { iterations: 4000, tolerance: 0 }, inPlace);
    for (let i = 0; i < y.length; i++) expect(inPlace[i]).toBeCloseTo(fast[i], 5);
    expect(tvNorm(fast, [h, w])).toBeCloseTo(tvNorm(fast, [1, h, w]), 4);
  });
});

describe('proxTV 3-D fast path (weights, Neumann through-plane)', () => {
  const dims = [4, 5, 6] as const;
  const n = 4 * 5 * 6;
  for (const geometry of [
    {},
    { weights: [0.5, 1, 1], periodic: [false, true, true] },
    { weights: [2, 1, 0.7], periodic: [true, true, true] },
    { weights: [0, 1, 1], periodic: [false, true, true] },
  ]) {
    it(`matches the operator-based FGP and the operator's TV value: ${JSON.stringify(geometry)}`, () => {
      const y = randomComplex(n, 21);
      const fast = proxTV(y, 0.05, dims, { iterations: 3000, tolerance: 0, ...geometry });
      const ref = proxTVReference(y, 0.05, dims, { iterations: 3000, tolerance: 0, ...geometry });
      for (let i = 0; i < y.length; i++) expect(fast[i]).toBeCloseTo(ref[i], 5);
      expect(tvNorm(fast, dims, geometry)).toBeCloseTo(l21Norm(gradOp(dims, geometry).forward(fast), 3, n), 3);
      // out = y in place
      const inPlace = Float32Array.from(y);
      proxTV(inPlace, 0.05, dims, { iterations: 3000, tolerance: 0, ...geometry }, inPlace);
      for (let i = 0; i < y.length; i++) expect(inPlace[i]).toBeCloseTo(fast[i], 5);
    });
  }
  it('zero weight on z: slices are denoised independently (each the 2-D prox)', () => {
    const y = randomComplex(n, 5);
    const x = proxTV(y, 0.05, dims, { iterations: 4000, tolerance: 0, weights: [0, 1, 1], periodic: [false, true, true] });
    const m = 2 * 5 * 6;
    for (let s = 0; s < 4; s++) {
      const one = proxTV(y.slice(s * m, (s + 1) * m), 0.05, [5, 6], { iterations: 4000, tolerance: 0 });
      for (let i = 0; i < m; i++) expect(x[s * m + i]).toBeCloseTo(one[i], 4);
    }
  });
  it('tv() with a geometry: value and prox use the weighted Neumann TV', () => {
    const geometry = { weights: [0.5, 1, 1], periodic: [false, true, true] };
    const g = tv(0.1, dims, { ...geometry, iterations: 2000, tolerance: 0 });
    const y = randomComplex(n, 8);
    expect(g.value(y)).toBeCloseTo(0.1 * tvNorm(y, dims, geometry), 6);
    const x = g.prox(y, 0.5);
    const ref = proxTVReference(y, 0.05, dims, { iterations: 2000, tolerance: 0, ...geometry });
    for (let i = 0; i < y.length; i++) expect(x[i]).toBeCloseTo(ref[i], 4);
  });
});
