/**
 * Shared property check for every CS linear operator: ⟨A x, y⟩ = ⟨x, Aᴴ y⟩ (complex inner product, to
 * 1e-5 relative) and complex linearity A(αx + βz) = αAx + βAz. Complex scalars catch an accidental
 * conjugation that real scalars would not.
 */
import { expect } from 'vitest';
import { type LinearOperator, shapeSize } from '../../../src/cs/ops/linop';
import { cdot, norm2 } from '../../../src/cs/vec';
import { randomComplex } from './random';

export { randomComplex };

function cscale(x: Float32Array, re: number, im: number): Float32Array {
  const o = new Float32Array(x.length);
  for (let i = 0; i < x.length; i += 2) {
    o[i] = re * x[i] - im * x[i + 1];
    o[i + 1] = re * x[i + 1] + im * x[i];
  }
  return o;
}

export function expectAdjoint(op: LinearOperator, seed = 7, trials = 3): void {
  const nIn = shapeSize(op.inShape);
  const nOut = shapeSize(op.outShape);
  for (let t = 0; t < trials; t++) {
    const x = randomComplex(nIn, seed + 31 * t);
    const y = randomComplex(nOut, seed + 31 * t + 17);
    const Ax = op.forward(x);
    const AHy = op.adjoint(y);
    expect(Ax.length).toBe(2 * nOut);
    expect(AHy.length).toBe(2 * nIn);
    const [lr, li] = cdot(Ax, y);
    const [rr, ri] = cdot(x, AHy);
    const scale = norm2(Ax) * norm2(y) + 1e-30;
    expect(Math.abs(lr - rr) / scale).toBeLessThan(1e-5);
    expect(Math.abs(li - ri) / scale).toBeLessThan(1e-5);
  }
  // Complex linearity of forward and adjoint.
  const x = randomComplex(nIn, seed + 1000);
  const z = randomComplex(nIn, seed + 2000);
  const comb = cscale(x, 0.7, -1.3);
  const bz = cscale(z, -0.4, 0.9);
  for (let i = 0; i < comb.length; i++) comb[i] += bz[i];
  const lhs = op.forward(comb);
  const rhs = cscale(op.forward(x), 0.7, -1.3);
  const r2 = cscale(op.forward(z), -0.4, 0.9);
  for (let i = 0; i < rhs.length; i++) rhs[i] += r2[i];
  let err = 0;
  for (let i = 0; i < lhs.length; i++) err = Math.max(err, Math.abs(lhs[i] - rhs[i]));
  expect(err / (norm2(rhs) / Math.sqrt(rhs.length) + 1e-30)).toBeLessThan(1e-4);
  const y = randomComplex(nOut, seed + 3000);
  const l2 = op.adjoint(cscale(y, 0.3, 0.8));
  const rr2 = cscale(op.adjoint(y), 0.3, 0.8);
  let err2 = 0;
  for (let i = 0; i < l2.length; i++) err2 = Math.max(err2, Math.abs(l2[i] - rr2[i]));
  expect(err2 / (norm2(rr2) / Math.sqrt(rr2.length) + 1e-30)).toBeLessThan(1e-4);
}
