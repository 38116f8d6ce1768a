import { describe, expect, it } from 'vitest';
import { compose } from '../../../src/cs/ops/linop';
import { fftOp } from '../../../src/cs/ops/fft';
import { maskOp, type SamplingMask } from '../../../src/cs/ops/mask';
import { senseOp } from '../../../src/cs/ops/sense';
import { gatherColumns, sampledColumns, sampledSenseOp } from '../../../src/cs/ops/sampled';
import { masksPerSlice, stackEncodingOp } from '../../../src/cs/ops/stack';
import { expectAdjoint, randomComplex } from '../helpers/adjoint';
import { columnMask } from '../helpers/problems';

const [S, C, H, W] = [3, 2, 6, 8];
const n = H * W;
const masks: SamplingMask[] = [
  columnMask(W, H, (c) => c % 2 === 0),
  columnMask(W, H, (c) => c % 3 !== 1),
  columnMask(W, H, (c) => c % 2 === 0),
];
const mask2d: SamplingMask = { dims: 2, height: H, width: W, data: Uint8Array.from({ length: n }, (_, i) => ((i * 7) % 3) & 1) };
const maps = randomComplex(S * C * n, 42);

/** The per-slice 2-D operators the single-slice app builds. */
function perSlice(s: number, m: SamplingMask, withMaps: boolean, compact: boolean) {
  const ms = maps.subarray(2 * s * C * n, 2 * (s + 1) * C * n);
  if (!withMaps) return compose(maskOp(m, 1, H, W), fftOp(1, H, W));
  if (compact) return sampledSenseOp(ms, C, H, W, sampledColumns(m)!);
  return compose(maskOp(m, C, H, W), fftOp(C, H, W), senseOp(ms, C, H, W));
}

describe('stackEncodingOp', () => {
  const cases = [
    { name: 'single-coil, a mask per slice', coils: 1, ms: masks, maps: undefined, compact: false },
    { name: 'multi-coil, column masks (compact)', coils: C, ms: masks, maps, compact: true },
    { name: 'multi-coil, 2-D mask (full grid)', coils: C, ms: [mask2d, mask2d, mask2d], maps, compact: false },
  ];
  for (const c of cases) {
    it(`${c.name}: adjoint, and equal to the per-slice operators`, () => {
      const enc = stackEncodingOp(S, c.coils, H, W, c.ms, c.maps);
      expect(enc.compact).toBe(c.compact);
      expectAdjoint(enc.A);
      const x = randomComplex(S * n, 3);
      const y = enc.A.forward(x);
      let off = 0;
      for (let s = 0; s < S; s++) {
        const A = perSlice(s, c.ms[s], !!c.maps, c.compact);
        const ys = A.forward(x.subarray(2 * s * n, 2 * (s + 1) * n));
        for (let i = 0; i < ys.length; i += 5) expect(y[off + i]).toBeCloseTo(ys[i], 5);
        const back = A.adjoint(ys);
        const all = enc.A.adjoint(y);
        for (let i = 0; i < back.length; i += 5) expect(all[2 * s * n + i]).toBeCloseTo(back[i], 4);
        off += ys.length;
      }
      expect(off).toBe(y.length);
    });
  }
  it('data(): masked k-space in the operator layout (gathered columns when compact)', () => {
    const k = randomComplex(S * C * n, 9);
    const enc = stackEncodingOp(S, C, H, W, masks, maps);
    const d = enc.data(k);
    let off = 0;
    for (let s = 0; s < S; s++) {
      const g = gatherColumns(k.subarray(2 * s * C * n, 2 * (s + 1) * C * n), C, H, W, sampledColumns(masks[s])!);
      expect(d.subarray(off, off + g.length)).toEqual(g);
      off += g.length;
    }
    const single = stackEncodingOp(S, 1, H, W, masks).data(k.subarray(0, 2 * S * n));
    for (let s = 0; s < S; s++)
      for (let x = 0; x < W; x++) expect(single[2 * (s * n + 2 * W + x)]).toBe(masks[s].data[x] ? k[2 * (s * n + 2 * W + x)] : 0);
  });
  it('checks its inputs', () => {
    expect(() => stackEncodingOp(S, C, H, W, masks)).toThrow(/maps/);
    expect(() => stackEncodingOp(S, C, H, W, masks, new Float32Array(4))).toThrow(/maps/);
    expect(() => stackEncodingOp(S, 1, H, W, masks.slice(1))).toThrow(/masks/);
    expect(() => masksPerSlice(masks, 2)).toThrow(/masks/);
    expect(masksPerSlice(masks[0], 2)).toEqual([masks[0], masks[0]]);
  });
});
