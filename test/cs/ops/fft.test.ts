import { describe, expect, it } from 'vitest';
import { fftOp } from '../../../src/cs/ops/fft';
import { norm2 } from '../../../src/cs/vec';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';

describe('fftOp', () => {
  it('adjoint and linearity, odd and even sizes, batched', () => {
    expectAdjoint(fftOp(1, 8, 8));
    expectAdjoint(fftOp(2, 5, 6));
  });
  it('is unitary: Fᴴ F = I and norm preserving', () => {
    const F = fftOp(2, 6, 10);
    const x = randomComplex(120, 5);
    const k = F.forward(x);
    expect(Math.abs(norm2(k) - norm2(x)) / norm2(x)).toBeLessThan(1e-5);
    const back = F.adjoint(k);
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(back[i] - x[i]));
    expect(err).toBeLessThan(1e-5);
  });
});
