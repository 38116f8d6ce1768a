import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { encodePng, slicePath, writePngSeries } from '../../src/io/png';

describe('PNG writer', () => {
  const img = Float32Array.from({ length: 12 }, (_, i) => i * 10 - 20); // -20 … 90
  it('8-bit windowed grayscale', () => {
    const png = PNG.sync.read(encodePng(img, 3, 4, { bits: 8 }));
    expect([png.width, png.height]).toEqual([4, 3]);
    expect(png.data[0]).toBe(0); // RGBA on read
    expect(png.data[11 * 4]).toBe(255);
    const win = PNG.sync.read(encodePng(img, 3, 4, { window: { center: 0, width: 40 } }));
    expect(win.data[4 * 4]).toBe(255); // 20 is the window's top
  });
  it('16-bit grayscale keeps 65536 levels', () => {
    const png = PNG.sync.read(encodePng(img, 3, 4, { bits: 16 }), { skipRescale: true });
    const d = png.data as unknown as Uint16Array;
    expect(d[0]).toBe(0);
    expect(d[11 * 4]).toBe(65535);
    expect(d[2 * 4]).toBe(Math.round((20 / 110) * 65535));
  });
  it('slice naming patterns', () => {
    expect(slicePath('out_%03d.png', 7, 10)).toBe('out_007.png');
    expect(slicePath('s%d.png', 12, 20)).toBe('s12.png');
    expect(slicePath('one.png', 0, 1)).toBe('one.png');
    expect(slicePath('vol.png', 2, 3)).toBe('vol_002.png');
  });
  it('writes a multi-slice series', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'png-'));
    try {
      const paths = await writePngSeries(
        join(tmp, 'out_%03d.png'),
        Float32Array.from({ length: 24 }, (_, i) => i),
        [2, 3, 4],
      );
      expect(paths.map((p) => p.slice(tmp.length + 1))).toEqual(['out_000.png', 'out_001.png']);
      expect(PNG.sync.read(readFileSync(paths[1])).data[11 * 4]).toBe(255);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
