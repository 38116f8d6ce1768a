import { describe, expect, test } from 'vitest';
import type { MethodDescription, ReconSummary } from '../../src/contract/schemas';
import { linearScale, logDomain, logScale, niceDomain } from '../../renderer/state/chart';
import { parseNpy, toCustomMask, writeNpy } from '../../renderer/state/mask-io';
import {
  checkParam,
  defaultLambdas,
  defaultMethodForms,
  paramEnabled,
  parseLambdaList,
  specLabel,
  validateMethod,
} from '../../renderer/state/method-form';
import { buildRows, sortRows, toCsv } from '../../renderer/state/metrics-rows';
import { presetWindow, roiStats, sampleLine, valueAt } from '../../renderer/viewer/measure';
import { canvasToImage, imageToCanvas } from '../../renderer/viewer/view-state';
import { describeMethods } from '../../src/recon/catalog';

const tv: MethodDescription = {
  method: 'cs-tv',
  label: 'CS · TV',
  description: '',
  params: [
    { name: 'lambda', label: 'λ', kind: 'number', default: 0.003, min: 0, max: 1e6, log: true, help: '' },
    { name: 'iterations', label: 'Iterations', kind: 'integer', default: 100, min: 1, max: 100000, help: '' },
    { name: 'maps', label: 'Coil maps', kind: 'choice', default: 'espirit', choices: ['espirit', 'lowres'], help: '' },
    { name: 'model', label: 'Model', kind: 'text', default: null, help: '' },
  ],
  runnableAsIs: true,
};

describe('method forms from methodInfo', () => {
  test('defaults come from the engine; blank means default', () => {
    expect(defaultMethodForms([tv])).toEqual({ 'cs-tv': { lambda: '0.003', iterations: '100', maps: 'espirit', model: '' } });
    expect(validateMethod(tv, { lambda: '0.01', iterations: '', maps: 'lowres', model: '' })).toEqual({
      ok: true,
      spec: { method: 'cs-tv', lambda: 0.01, maps: 'lowres' },
    });
  });
  test('out of range, not a number, not whole, not a choice', () => {
    expect(checkParam(tv.params[1], '0').error).toMatch(/≥ 1/);
    expect(checkParam(tv.params[1], '2.5').error).toMatch(/whole/);
    expect(checkParam(tv.params[0], 'x').error).toMatch(/number/);
    expect(checkParam(tv.params[2], 'sense').error).toMatch(/one of/);
    const v = validateMethod(tv, { lambda: '-1', iterations: '0' });
    expect(v.ok ? [] : Object.keys(v.errors).sort()).toEqual(['iterations', 'lambda']);
  });
  test('labels name what differs from the defaults', () => {
    expect(specLabel(tv, { method: 'cs-tv', lambda: 0.01, iterations: 100 })).toBe('CS · TV λ=0.01');
    expect(specLabel(undefined, { method: 'zf' })).toBe('zf');
  });
  test('3-D TV: the z weight applies (and is sent) only while TV is 3d; labels say 3-D', () => {
    // the engine's own TV-dimension and z-weight parameters, after the fixture's λ, iterations and maps
    const engine = describeMethods(['cs-tv'])[0].params.filter((p) => p.name === 'tv' || p.name === 'tvZWeight');
    const tv3: MethodDescription = { ...tv, params: [...tv.params.slice(0, 3), ...engine] };
    const zw = tv3.params[4];
    expect(zw.name).toBe('tvZWeight');
    const forms = defaultMethodForms([tv3])['cs-tv']!;
    expect(forms).toMatchObject({ tv: '2d', tvZWeight: '1' });
    expect(paramEnabled(tv3, zw, forms)).toBe(false);
    expect(paramEnabled(tv3, zw, { ...forms, tv: '' })).toBe(false); // blank = the default, 2d
    expect(validateMethod(tv3, forms)).toEqual({
      ok: true,
      spec: { method: 'cs-tv', lambda: 0.003, iterations: 100, maps: 'espirit', tv: '2d' },
    });
    // a bad z weight does not block a 2-D run, and counts once 3d is chosen
    expect(validateMethod(tv3, { ...forms, tvZWeight: '-1' }).ok).toBe(true);
    const bad = validateMethod(tv3, { ...forms, tv: '3d', tvZWeight: '-1' });
    expect(bad.ok ? [] : Object.keys(bad.errors)).toEqual(['tvZWeight']);
    const three = validateMethod(tv3, { ...forms, tv: '3d', tvZWeight: '0.5' });
    expect(three).toEqual({
      ok: true,
      spec: { method: 'cs-tv', lambda: 0.003, iterations: 100, maps: 'espirit', tv: '3d', tvZWeight: 0.5 },
    });
    expect(specLabel(tv3, three.ok ? three.spec : { method: 'cs-tv' })).toBe('CS · TV 3-D z-weight=0.5');
    expect(specLabel(tv3, { method: 'cs-tv', tv: '3d', tvZWeight: 1 })).toBe('CS · TV 3-D');
  });
  test('λ lists', () => {
    expect(parseLambdaList('0.01, 0.001;0.01 0.1')).toEqual({ ok: true, values: [0.001, 0.01, 0.1] });
    expect(parseLambdaList('0').ok).toBe(false);
    expect(parseLambdaList('').ok).toBe(false);
    expect(defaultLambdas(0.003)).toEqual([0.0003, 0.0009, 0.003, 0.009, 0.03]);
  });
});

describe('mask files', () => {
  test('.npy round trip (uint8), and float64 / bool / big-endian reads', () => {
    const data = new Uint8Array([1, 0, 0, 1, 1, 0]);
    const a = parseNpy(writeNpy(data, [2, 3]));
    expect(a.shape).toEqual([2, 3]);
    expect([...a.data]).toEqual([1, 0, 0, 1, 1, 0]);
    const head = (descr: string, shape: string) => {
      let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
      h += ' '.repeat((64 - ((10 + h.length + 1) % 64)) % 64) + '\n';
      return Buffer.concat([
        Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]),
        Buffer.from(h, 'latin1'),
      ]);
    };
    const f64 = Buffer.alloc(24);
    [0, 0.5, 1].forEach((v, i) => f64.writeDoubleLE(v, i * 8));
    expect([...parseNpy(new Uint8Array(Buffer.concat([head('<f8', '(3,)'), f64]))).data]).toEqual([0, 0.5, 1]);
    const be = Buffer.alloc(8);
    be.writeFloatBE(1, 0);
    expect([...parseNpy(new Uint8Array(Buffer.concat([head('>f4', '(2,)'), be]))).data]).toEqual([1, 0]);
    expect(() => parseNpy(new Uint8Array(Buffer.concat([head('<c8', '(1,)'), Buffer.alloc(8)])))).toThrow(/dtype/);
    expect(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toThrow(/magic/);
  });
  test('fitting to the scan: columns, rows-all-equal collapse to columns, 2-D, size mismatches', () => {
    const cols = toCustomMask({ shape: [4], data: Float64Array.from([1, 0, 0.5, 0]) }, [3, 4], 'm.npy');
    expect(cols).toEqual({ data: new Uint8Array([1, 0, 1, 0]), shape: [4], source: 'm.npy' });
    const same = toCustomMask({ shape: [2, 4], data: Float64Array.from([1, 0, 1, 0, 1, 0, 1, 0]) }, [2, 4], 'm.png');
    expect(same.shape).toEqual([4]);
    const twoD = toCustomMask({ shape: [2, 2], data: Float64Array.from([1, 0, 0, 1]) }, [2, 2], 'm');
    expect(twoD.shape).toEqual([2, 2]);
    expect(() => toCustomMask({ shape: [5], data: new Float64Array(5) }, [3, 4], 'm')).toThrow(/5 columns.*4/);
  });
});

describe('measurements', () => {
  const r = { data: Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8]), width: 3, height: 3 };
  test('value under the cursor', () => {
    expect(valueAt(r, { x: 1.5, y: 2.9 })).toBe(7);
    expect(valueAt(r, { x: -0.1, y: 0 })).toBeNull();
  });
  test('line profile through pixel centres', () => {
    const p = sampleLine(r, { x: 0.5, y: 1.5 }, { x: 2.5, y: 1.5 }, 3);
    expect(p.v).toEqual([3, 4, 5]);
    expect(p.length).toBe(2);
  });
  test('ROI statistics', () => {
    const s = roiStats(r, { x: 0, y: 0 }, { x: 2, y: 2 })!;
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5));
    expect(roiStats(r, { x: 5, y: 5 }, { x: 6, y: 6 })).toBeNull();
  });
  test('window presets widen or narrow as named', () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => i);
    const full = presetWindow(data, 'full');
    const stretch = presetWindow(data, 'stretch');
    expect(full.width).toBeCloseTo(999);
    expect(stretch.width).toBeLessThan(full.width);
    expect(presetWindow(data, 'tissue').center).toBeGreaterThan(full.center);
  });
  test('image ↔ canvas with zoom and pan round-trips', () => {
    const img = { cols: 160, rows: 192 };
    const c = { width: 400, height: 300 };
    const p = { x: 12.5, y: 100 };
    const k = imageToCanvas(p, img, c, 1.7, { x: 5, y: -3 });
    const back = canvasToImage(k, img, c, 1.7, { x: 5, y: -3 });
    expect(back.x).toBeCloseTo(p.x);
    expect(back.y).toBeCloseTo(p.y);
    expect(imageToCanvas({ x: 80, y: 96 }, img, c, 2, { x: 0, y: 0 })).toEqual({ x: 200, y: 150 });
  });
});

describe('metrics rows, CSV and chart scales', () => {
  const res = (id: string, psnr: number, method: 'zf' | 'cs-tv'): ReconSummary => ({
    resultId: id,
    scanId: 's',
    method: { method },
    mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 1 },
    slices: 2,
    imageShape: [4, 4],
    volume: { nmse: 0.1, psnr, ssim: 0.5 },
    perSlice: [
      { nmse: 0.1, psnr: psnr - 1, ssim: 0.4 },
      { nmse: 0.1, psnr: psnr + 1, ssim: 0.6 },
    ],
    mask1d: { dims: 1, width: 4, height: 4, numLowFrequencies: 1, acceleration: 4, sampledFraction: 0.25 },
    elapsedMs: 1234,
    cached: false,
    hasPhase: false,
  });
  const rs = [res('a', 20, 'zf'), res('b', 25, 'cs-tv')];
  test('scopes and sorting', () => {
    expect(buildRows(rs, 'volume', 0, (r) => r.method.method)).toHaveLength(2);
    expect(buildRows(rs, 'slice', 1, (r) => r.method.method).map((r) => r.psnr)).toEqual([21, 26]);
    expect(buildRows(rs, 'all', 0, (r) => r.method.method)).toHaveLength(6);
    const sorted = sortRows(
      buildRows(rs, 'volume', 0, (r) => r.method.method),
      'psnr',
      -1,
    );
    expect(sorted.map((r) => r.run)).toEqual(['cs-tv', 'zf']);
  });
  test('CSV: a header, a volume row and a row per slice for each result, quoted where needed', () => {
    const lines = toCsv(rs, (r) => (r.method.method === 'zf' ? 'zero, filled' : 'tv'))
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1 + 2 * 3);
    expect(lines[1]).toMatch(/^"zero, filled",zf,random,4,0.08,1,,,volume,/);
  });
  test('scales', () => {
    expect(niceDomain(0.13, 0.87)).toEqual([0.1, 0.9]);
    expect(niceDomain(3, 3)[0]).toBeLessThan(3);
    const x = linearScale([0, 10], [0, 100]);
    expect(x(5)).toBe(50);
    expect(x.ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(logDomain([0.003, 0.3])).toEqual([0.001, 1]);
    const l = logScale([0.001, 1], [0, 300]);
    expect(l(0.01)).toBeCloseTo(100);
    expect(l.ticks).toContain(0.01);
  });
});
