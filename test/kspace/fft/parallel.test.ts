import { afterAll, describe, expect, it } from 'vitest';
import { fft2cBatch, ifft2cBatch, ifft2cRss } from '../../../src/kspace/fft2c';
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

  it('writes into a shared out (in place too) and reuses nothing of the caller', async () => {
    const [b, h, w] = [3, 20, 23];
    const x = randomComplex(b * h * w, 21);
    const out = new Float32Array(new SharedArrayBuffer(4 * x.length));
    expect(await pool.fft2cBatch(x, b, h, w, out)).toBe(out);
    expect(out).toEqual(fft2cBatch(x, b, h, w));
    expect(await pool.ifft2cBatch(out, b, h, w, out)).toBe(out);
    expect(out).toEqual(ifft2cBatch(fft2cBatch(x, b, h, w), b, h, w));
    await expect(pool.fft2cBatch(x, b, h, w, new Float32Array(x.length))).rejects.toThrow(/SharedArrayBuffer/);
  });

  it('ifft2cRss matches the synchronous one, plain and shared k-space, repeatedly', async () => {
    for (const [c, h, w] of [
      [5, 24, 17],
      [1, 8, 8],
      [4, 9, 30],
    ]) {
      const k = randomComplex(c * h * w, c + h);
      const want = ifft2cRss(k, c, h, w);
      const got = await pool.ifft2cRss(k, c, h, w);
      let err = 0;
      for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / (want[i] || 1));
      expect(err).toBeLessThan(1e-6);
      const shared = new Float32Array(new SharedArrayBuffer(4 * k.length));
      shared.set(k);
      const out = new Float32Array(h * w);
      const [a, b2] = await Promise.all([pool.ifft2cRss(shared, c, h, w, out), pool.ifft2cRss(k, c, h, w)]);
      expect(a).toBe(out);
      expect(b2).toEqual(got);
      expect(out).toEqual(got);
    }
    await expect(pool.ifft2cRss(new Float32Array(8), 1, 2, 2, new Float32Array(3))).rejects.toThrow(/out must hold 4/);
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
