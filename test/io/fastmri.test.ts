import { afterAll, describe, expect, it } from 'vitest';
import { FastMriSource, parseIsmrmrdMatrix } from '../../src/io/fastmri';
import { ifft2cBatch } from '../../src/kspace/fft2c';
import { rss } from '../../src/kspace/coils';
import { MULTICOIL, SINGLECOIL } from '../helpers/paths';
import { relErr } from '../helpers/numeric';

const opened: FastMriSource[] = [];
afterAll(() => opened.forEach((s) => s.close()));

describe('fastMRI reader', () => {
  it('reads single-coil slices whose zero-filled magnitude is the file reference', async () => {
    const s = await FastMriSource.open(SINGLECOIL);
    opened.push(s);
    expect([s.slices, s.coils, s.height, s.width]).toEqual([5, 1, 256, 256]);
    expect(s.targetKey).toBe('reconstruction_esc');
    expect(s.attributes).toMatchObject({ acquisition: 'AXT1', patient_id: 'colin27' });
    const k = s.readKspace(3);
    expect(k.length).toBe(2 * 256 * 256);
    const mag = rss(ifft2cBatch(k, 1, 256, 256), 1, 256, 256);
    expect(relErr(mag, s.readTarget(3)!)).toBeLessThan(1e-5);
  });

  it('reads multi-coil slices whose RSS is reconstruction_rss', async () => {
    const s = await FastMriSource.open(MULTICOIL);
    opened.push(s);
    expect([s.slices, s.coils, s.height, s.width]).toEqual([2, 8, 256, 256]);
    const mag = rss(ifft2cBatch(s.readKspace(1), 8, 256, 256), 8, 256, 256);
    expect(relErr(mag, s.readTarget(1)!)).toBeLessThan(1e-5);
  });

  it("the fast hyperslab read equals h5wasm's own element-by-element decode of the same slice", async () => {
    const s = await FastMriSource.open(SINGLECOIL);
    opened.push(s);
    const h5 = await import('h5wasm/node');
    await h5.ready;
    const f = new h5.File(SINGLECOIL, 'r');
    try {
      // the slow, independent path: compound {r, i} decoded into JS arrays by the library itself
      const rows = (f.get('kspace') as InstanceType<typeof h5.Dataset>).slice([
        [2, 3],
        [0, 256],
        [0, 256],
      ]) as unknown as [number, number][];
      const ref = new Float32Array(rows.flat());
      expect(ref.length).toBe(2 * 256 * 256);
      expect(Array.from(s.readKspace(2))).toEqual(Array.from(ref));
      // and into a caller's buffer, which is the one reused while scrolling
      const out = new Float32Array(2 * 256 * 256);
      expect(s.readKspace(2, out)).toBe(out);
      expect(Array.from(out)).toEqual(Array.from(ref));
    } finally {
      f.close();
    }
    expect(() => s.readKspace(5)).toThrow(/out of range/);
    expect(() => s.readKspace(-1)).toThrow(/out of range/);
  });

  it('parses encoded and recon matrix sizes from the ISMRMRD header', async () => {
    const s = await FastMriSource.open(MULTICOIL);
    opened.push(s);
    const m = parseIsmrmrdMatrix(s.header()!);
    expect(m.encoded).toEqual([256, 256]);
    expect(m.recon).toEqual([256, 256]);
    expect(parseIsmrmrdMatrix('<x/>')).toEqual({ encoded: null, recon: null });
  });
});
