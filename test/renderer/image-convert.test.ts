import { describe, expect, test } from 'vitest';
import { modalityValue, percentileWindow, STORED_MAX, STORED_MIN, toInt16 } from '../../renderer/viewer/image-convert';

const img = (data: number[], width: number, height: number) => {
  const f = Float32Array.from(data);
  let min = Infinity;
  let max = -Infinity;
  for (const v of f) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { width, height, data: f, min, max };
};

describe('toInt16', () => {
  test('maps min/max to the stored range and round-trips through slope/intercept', () => {
    const src = img([0, 1e-4, 2.5e-4, 5e-4, 7.5e-4, 1e-3], 3, 2);
    const c = toInt16(src);
    expect(c.pixels[0]).toBe(STORED_MIN);
    expect(c.pixels[5]).toBe(STORED_MAX);
    expect(c.minPixelValue).toBe(STORED_MIN);
    expect(c.maxPixelValue).toBe(STORED_MAX);
    for (let i = 0; i < src.data.length; i++) {
      expect(modalityValue(c.pixels[i], c.slope, c.intercept)).toBeCloseTo(src.data[i], 7);
    }
  });

  test('a flat image and non-finite pixels stay finite', () => {
    const c = toInt16(img([5, 5, 5, 5], 2, 2));
    expect(Number.isFinite(c.slope) && c.slope > 0).toBe(true);
    expect([...c.pixels].every((v) => v === STORED_MIN)).toBe(true);
    const d = toInt16({ width: 2, height: 1, data: Float32Array.from([NaN, 1]), min: 0, max: 1 });
    expect(d.pixels[0]).toBe(STORED_MIN);
    expect(d.pixels[1]).toBe(STORED_MAX);
  });

  test('rejects a size mismatch', () => {
    expect(() => toInt16({ width: 3, height: 3, data: new Float32Array(4), min: 0, max: 1 })).toThrow(/expected 3×3/);
  });
});

describe('percentileWindow', () => {
  test('ignores outliers', () => {
    const data = new Float32Array(10_000).map((_, i) => (i % 100) / 100);
    data[0] = 1000;
    const w = percentileWindow(data);
    expect(w.center - w.width / 2).toBeGreaterThanOrEqual(0);
    expect(w.center + w.width / 2).toBeLessThanOrEqual(1);
    expect(w.width).toBeGreaterThan(0.9);
  });
  test('never returns a zero width', () => {
    expect(percentileWindow(new Float32Array(16).fill(3)).width).toBeGreaterThan(0);
    expect(percentileWindow(new Float32Array(0)).width).toBeGreaterThan(0);
  });
});
