import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { makeMask } from '../../../src/kspace/masks';
import { maskFromNpy, maskFromPng, maskToNpy, maskToPng } from '../../../src/kspace/masks/from-file';
import { parseNpy } from '../../../src/io/npy';

/** Minimal .npy v1.0 writer for dtypes encodeNpy does not produce (bool, float64). */
function npyBytes(descr: string, shape: number[], body: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

describe('mask files', () => {
  const shape = { height: 24, width: 40 };

  it('npy round trip keeps 1-D and 2-D masks and their shapes', () => {
    const m1 = makeMask({ type: 'random', acceleration: 4, centerFraction: 0.08, seed: 1 }, shape);
    const bytes1 = maskToNpy(m1);
    expect(parseNpy(bytes1).shape).toEqual([40]);
    const back1 = maskFromNpy(bytes1, shape);
    expect(back1).toMatchObject({ dims: 1, acceleration: m1.acceleration });
    expect(back1.data).toEqual(m1.data);

    const m2 = makeMask({ type: 'poisson2d', acceleration: 4, centerFraction: 0.1, seed: 1 }, shape);
    const bytes2 = maskToNpy(m2);
    expect(parseNpy(bytes2).shape).toEqual([24, 40]);
    const back2 = maskFromNpy(bytes2, shape);
    expect(back2.dims).toBe(2);
    expect(back2.data).toEqual(m2.data);
  });

  it('loads fastMRI-shaped bool and float64 masks, non-zero = sampled', () => {
    const bits = Uint8Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const fromBool = maskFromNpy(npyBytes('|b1', [1, 1, 40, 1], bits), shape);
    expect(fromBool.dims).toBe(1);
    expect(fromBool.data).toEqual(bits);
    const f64 = Float64Array.from(bits, (v) => v * 0.5);
    const fromF64 = maskFromNpy(npyBytes('<f8', [40], new Uint8Array(f64.buffer)), shape);
    expect(fromF64.data).toEqual(bits);
  });

  it('rejects npy masks of the wrong size or rank', () => {
    expect(() => maskFromNpy(npyBytes('|u1', [39], new Uint8Array(39)), shape)).toThrow(RangeError);
    expect(() => maskFromNpy(npyBytes('|u1', [2, 3, 4], new Uint8Array(24)), shape)).toThrow(/1-D or 2-D/);
    expect(() => maskFromNpy(npyBytes('|u1', [40, 24], new Uint8Array(960)), shape)).toThrow(/dataShape/);
  });

  it('png round trip: 1-D masks as a 1-pixel-high image, 2-D as H × W', () => {
    const m1 = makeMask({ type: 'equispaced', acceleration: 4, centerFraction: 0.08, seed: 3 }, shape);
    const png1 = maskToPng(m1);
    const decoded = PNG.sync.read(Buffer.from(png1));
    expect([decoded.width, decoded.height]).toEqual([40, 1]);
    const back1 = maskFromPng(png1, shape);
    expect(back1.dims).toBe(1);
    expect(back1.data).toEqual(m1.data);

    const m2 = makeMask({ type: 'gaussian2d', acceleration: 3, centerFraction: 0.1, seed: 3 }, shape);
    const back2 = maskFromPng(maskToPng(m2), shape);
    expect(back2.dims).toBe(2);
    expect(back2.data).toEqual(m2.data);
  });

  it('any non-black, non-transparent pixel counts as sampled', () => {
    const png = new PNG({ width: 4, height: 2 });
    const px = [
      [0, 0, 0, 255],
      [200, 0, 0, 255],
      [0, 0, 1, 255],
      [255, 255, 255, 0],
      [10, 10, 10, 255],
      [0, 0, 0, 0],
      [0, 90, 0, 128],
      [255, 255, 255, 255],
    ];
    px.forEach((p, i) => png.data.set(p, 4 * i));
    const m = maskFromPng(new Uint8Array(PNG.sync.write(png)), { height: 2, width: 4 });
    expect(Array.from(m.data)).toEqual([0, 1, 1, 0, 1, 0, 1, 1]);
  });

  it('rejects unreadable or wrongly sized PNGs', () => {
    expect(() => maskFromPng(new Uint8Array([1, 2, 3]), shape)).toThrow(/PNG/);
    const png = new PNG({ width: 39, height: 24 });
    expect(() => maskFromPng(new Uint8Array(PNG.sync.write(png)), shape)).toThrow(/dataShape/);
  });
});
