import { afterAll, describe, expect, it } from 'vitest';
import { fft2cBatch, ifft2cBatch } from '../../../src/kspace/fft2c';
import { FftPool } from '../../../src/kspace/fft/parallel';
import { randomComplex } from '../dft-reference';

describe('FftPool', () => {
  const pool = new FftPool(2);
  afterAll(() => pool.close());

  it('matches the single-thread batch, forward and inverse, plain and shared input', async () => {
    const [b, h, w] = [5, 24, 17];
    const x = randomComplex(b * h * w, 9);
    expect(await pool.fft2cBatch(x, b, h, w)).toEqual(fft2cBatch(x, b, h, w));
    const shared = new Float32Array(new SharedArrayBuffer(4 * x.length));
    shared.set(x);
    const inv = await pool.ifft2cBatch(shared, b, h, w);
    expect(inv).toEqual(ifft2cBatch(x, b, h, w));
    expect(shared).toEqual(x); // input untouched
  });

  it('handles a batch smaller than the thread count', async () => {
    const x = randomComplex(6 * 10, 4);
    expect(await pool.fft2cBatch(x, 1, 6, 10)).toEqual(fft2cBatch(x, 1, 6, 10));
  });

  it('rejects bad sizes with RangeError', async () => {
    await expect(pool.fft2cBatch(new Float32Array(8), 1, 2, 3)).rejects.toThrow(RangeError);
    await expect(pool.ifft2cBatch(new Float32Array(8), 0, 2, 2)).rejects.toThrow(/batch must be a positive integer/);
  });

  it('rejects after close and the shared pool can be re-created', async () => {
    const p = new FftPool(1);
    await p.close();
    await expect(p.fft2cBatch(new Float32Array(8), 1, 2, 2)).rejects.toThrow(/closed/);
    const s = FftPool.shared();
    expect(FftPool.shared()).toBe(s);
    await s.close();
    expect(FftPool.shared()).not.toBe(s);
    await FftPool.shared().close();
  });
});
