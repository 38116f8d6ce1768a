import { describe, expect, test } from 'vitest';
import { imageIdOf, parseImageId } from '../../renderer/viewer/image-ids';
import { Lru } from '../../renderer/viewer/lru';
import { withTimeout } from '../../renderer/viewer/timeout';
import {
  clampZoom,
  fitScale,
  MAX_ZOOM,
  MIN_ZOOM,
  panDrag,
  wheelSteps,
  windowLevelDrag,
  zoomDrag,
} from '../../renderer/viewer/view-state';

describe('image ids', () => {
  test('round-trip, ids with odd characters included', () => {
    for (const ref of [
      { kind: 'scan', scanId: 'scan-1', slice: 0, view: 'target' },
      { kind: 'scan', scanId: 'a/b c', slice: 12, view: 'kspace' },
      { kind: 'result', resultId: 'result-9', slice: 3, view: 'error' },
    ] as const) {
      expect(parseImageId(imageIdOf(ref))).toEqual(ref);
    }
  });
  test('refuses foreign ids and mismatched views', () => {
    expect(() => parseImageId('wadouri:x')).toThrow();
    expect(() => parseImageId('mri:scan/x/0/recon')).toThrow(/does not belong/);
  });
});

describe('gestures', () => {
  test('fit keeps the whole image inside the pane', () => {
    expect(fitScale(400, 300, 160, 192)).toBeCloseTo(300 / 192);
    expect(fitScale(0, 300, 160, 192)).toBe(1);
  });
  test('window/level drag: right widens, down raises the level, width stays positive', () => {
    const v = windowLevelDrag({ center: 0.5, width: 1 }, 40, 20, 1);
    expect(v.width).toBeGreaterThan(1);
    expect(v.center).toBeGreaterThan(0.5);
    expect(windowLevelDrag({ center: 0.5, width: 0.01 }, -10_000, 0, 1).width).toBeGreaterThan(0);
  });
  test('zoom drag up zooms in, and is clamped', () => {
    expect(zoomDrag(1, -50)).toBeGreaterThan(1);
    expect(zoomDrag(1, 50)).toBeLessThan(1);
    expect(clampZoom(1e9)).toBe(MAX_ZOOM);
    expect(clampZoom(0)).toBe(MIN_ZOOM);
  });
  test('pan converts screen pixels to image pixels', () => {
    expect(panDrag({ x: 0, y: 0 }, 20, -10, 2)).toEqual({ x: 10, y: -5 });
  });
  test('wheel: one notch = one slice; small deltas accumulate', () => {
    expect(wheelSteps(0, 100).steps).toBe(1);
    expect(wheelSteps(0, -120).steps).toBe(-1);
    let acc = 0;
    let steps = 0;
    for (let i = 0; i < 10; i++) {
      const r = wheelSteps(acc, 10);
      acc = r.acc;
      steps += r.steps;
    }
    expect(steps).toBe(2);
  });
});

describe('Lru', () => {
  test('evicts the least recently used', () => {
    const c = new Lru<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.get('a');
    c.set('c', 3);
    expect(c.has('a')).toBe(true);
    expect(c.has('b')).toBe(false);
    expect(c.size).toBe(2);
  });
});

describe('withTimeout', () => {
  test('a stuck promise becomes an error', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20, 'loading target slice 1')).rejects.toThrow(/timed out/);
  });
  test('settled promises pass through', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('no')), 1000, 'x')).rejects.toThrow('no');
  });
});
