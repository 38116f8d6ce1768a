/**
 * csReconstructVolume: compressed sensing of a stack of slices with 3-D total variation.
 */
import { describe, expect, it } from 'vitest';
import { csReconstruct, csReconstructVolume, type CsVolumeInput, type CsVolumeOptions } from '../../src/cs/app';
import { multiCoilProblem, singleCoilProblem } from './helpers/problems';
import { ellipsoidVolume, sliceMasks, volumeKspace, volumePsnr } from './helpers/volume';

/** The same slice k-space (and maps) repeated S times. */
function repeat(a: Float32Array, times: number): Float32Array {
  const out = new Float32Array(a.length * times);
  for (let s = 0; s < times; s++) out.set(a, s * a.length);
  return out;
}

function relDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
}

const P = singleCoilProblem(16, 16, 0.01);
const S = 4;
const vol: CsVolumeInput = { kspace: repeat(P.b, S), slices: S, coils: 1, height: 16, width: 16, mask: P.mask };
const opts: CsVolumeOptions = { lambda: 0.01, iterations: 20 };

describe('csReconstructVolume input checks', () => {
  it.each([
    [{ lambda: -1 }, /lambda/],
    [{ iterations: 0 }, /iterations/],
    [{ zWeight: -1 }, /zWeight/],
    [{ zWeight: Number.NaN }, /zWeight/],
    [{ zWeight: 1000 }, /zWeight/],
    [{ solver: 'cg' as never }, /solver/],
    [{ tvProx: { iterations: 0 } }, /tvProx/],
  ])('rejects %o', (bad, msg) => {
    expect(() => csReconstructVolume(vol, { ...opts, ...bad })).toThrow(RangeError);
    expect(() => csReconstructVolume(vol, { ...opts, ...bad })).toThrow(msg);
  });
  it('rejects k-space, masks and maps that do not match the volume', () => {
    expect(() => csReconstructVolume({ ...vol, slices: 3 }, opts)).toThrow(/kspace/);
    expect(() => csReconstructVolume({ ...vol, mask: [P.mask, P.mask] }, opts)).toThrow(/masks/);
    expect(() => csReconstructVolume({ ...vol, maps: new Float32Array(8) }, opts)).toThrow(/maps/);
  });
});

describe('csReconstructVolume behaviour', () => {
  it('identical slices: 3-D TV (zero z-gradient) gives 2-D TV of each slice', () => {
    // The z-differences vanish, so the 3-D problem is S copies of the 2-D one: the slices stay equal
    // bit for bit and match the per-slice FISTA result. The inner TV prox runs to convergence here: its
    // step is 1/12 in 3-D against 1/8 in 2-D, so truncated inner loops would differ by ~1e-3.
    for (const [input, slice] of [
      [vol, { kspace: P.b, coils: 1, height: 16, width: 16, mask: P.mask }],
      (() => {
        const M = multiCoilProblem(16, 16, 3);
        const v: CsVolumeInput = {
          kspace: repeat(M.b, S),
          slices: S,
          coils: 3,
          height: 16,
          width: 16,
          mask: M.mask,
          maps: repeat(M.maps!, S),
        };
        return [v, { kspace: M.b, coils: 3, height: 16, width: 16, mask: M.mask, maps: M.maps }] as const;
      })(),
    ] as const) {
      for (const solver of ['fista', 'admm'] as const) {
        // ADMM: the exact Fourier(–DCT) x-update for one coil, CG for several
        const o = { lambda: 0.01, iterations: 40, tolerance: 0, tvProx: { iterations: 500, tolerance: 0 }, solver };
        const r3 = csReconstructVolume(input, o);
        const r2 = csReconstruct(slice, { ...o, regularizer: 'tv' });
        expect(r3.solver).toBe(solver);
        const n2 = r2.image.length;
        // FISTA treats the slices alike bit for bit; ADMM's DCT along z mixes them (rounding only)
        for (let s = 1; s < S; s++) {
          const sl = r3.image.subarray(s * n2, (s + 1) * n2);
          if (solver === 'fista') expect(sl).toEqual(r3.image.subarray(0, n2));
          else expect(relDiff(sl, r3.image.subarray(0, n2))).toBeLessThan(1e-6);
        }
        expect(r3.scale).toBeCloseTo(r2.scale, 6);
        expect(relDiff(r3.image.subarray(0, n2), r2.image)).toBeLessThan(1e-5);
      }
    }
  });
  it('zWeight 0 decouples the slices: each slice is its own 2-D TV problem', () => {
    const M = multiCoilProblem(16, 16, 3);
    const truthScaled = (s: number) => M.A.forward(M.truth.map((v) => v * (1 + 0.5 * s)));
    const k = new Float32Array(M.b.length * 2);
    k.set(truthScaled(0), 0);
    k.set(truthScaled(1), M.b.length);
    const input: CsVolumeInput = {
      kspace: k,
      slices: 2,
      coils: 3,
      height: 16,
      width: 16,
      mask: M.mask,
      maps: repeat(M.maps!, 2),
    };
    const o = { lambda: 0.003, iterations: 30, tolerance: 0, tvProx: { iterations: 200 }, scaling: 'raw' as const };
    const r0 = csReconstructVolume(input, { ...o, zWeight: 0 });
    const r1 = csReconstructVolume(input, { ...o, zWeight: 1 });
    const n2 = 2 * 16 * 16;
    for (let s = 0; s < 2; s++) {
      const one = csReconstruct(
        { kspace: k.slice(s * M.b.length, (s + 1) * M.b.length), coils: 3, height: 16, width: 16, mask: M.mask, maps: M.maps },
        { ...o, regularizer: 'tv', solver: 'fista' },
      );
      // joint FISTA (one step size, one restart test for the two slices) vs separate runs: close, not equal
      expect(relDiff(r0.image.subarray(s * n2, (s + 1) * n2), one.image)).toBeLessThan(2e-2);
    }
    // and the z-coupling changes the answer
    expect(relDiff(r1.image, r0.image)).toBeGreaterThan(1e-3);
  });
  describe('smooth-in-z phantom, 4×: 3-D TV beats 2-D TV, each at its best λ', () => {
    // 2-D: the per-slice default (ADMM with the exact Fourier x-update for one coil); 3-D: the volume
    // default (ADMM with the exact Fourier–DCT x-update for one mask, FISTA for a mask per slice).
    const best = (s: number, h: number, w: number, masks: ReturnType<typeof sliceMasks>) => {
      const truth = ellipsoidVolume(s, h, w);
      const n2 = 2 * h * w;
      const k = volumeKspace(truth, s, h, w, masks, 0.01);
      let best2 = -Infinity;
      let best3 = -Infinity;
      let solver = '';
      for (const lambda of [0.001, 0.003, 0.01]) {
        const img = new Float32Array(s * n2);
        for (let z = 0; z < s; z++) {
          const r = csReconstruct(
            { kspace: k.slice(z * n2, (z + 1) * n2), coils: 1, height: h, width: w, mask: masks[z] },
            { regularizer: 'tv', lambda, iterations: 50, tolerance: 1e-4 },
          );
          img.set(r.image, z * n2);
        }
        best2 = Math.max(best2, volumePsnr(truth, img));
        const r = csReconstructVolume(
          { kspace: k, slices: s, coils: 1, height: h, width: w, mask: masks },
          { lambda, iterations: 50, tolerance: 1e-4 },
        );
        solver = r.solver;
        best3 = Math.max(best3, volumePsnr(truth, r.image));
      }
      return { best2, best3, solver };
    };
    it('a mask per slice (incoherent across slices, as ky–kz sampling gives): by several dB', () => {
      // the anatomy is smooth in z, the aliasing is not: through-plane TV tells them apart
      const r = best(8, 48, 48, sliceMasks(8, 48, 48, 4));
      expect(r.solver).toBe('fista');
      expect(r.best3).toBeGreaterThan(r.best2 + 3);
    });
    it('the same mask in every slice (coherent aliasing): better, by less', () => {
      // Measured with mask seeds 0–2: +0.7, +0.9, +1.5 dB (2-D 26.8–31.4 dB); the gain fades where the
      // mask is poor and the aliasing, identical in every slice, dominates.
      const r = best(12, 64, 64, sliceMasks(12, 64, 64, 4, true, 1));
      expect(r.solver).toBe('admm');
      expect(r.best3).toBeGreaterThan(r.best2 + 0.5);
    });
  });
  it('every solver runs and approaches the truth of a repeated slice', () => {
    for (const solver of ['fista', 'admm', 'pdhg'] as const) {
      const r = csReconstructVolume(vol, { lambda: 0.001, iterations: 200, solver, zWeight: 2 });
      expect(r.solver).toBe(solver);
      const n2 = P.truth.length;
      let err = 0;
      let nt = 0;
      for (let s = 0; s < S; s++)
        for (let i = 0; i < n2; i += 2) {
          const a = Math.hypot(r.image[s * n2 + i], r.image[s * n2 + i + 1]);
          err += (a - Math.hypot(P.truth[i], P.truth[i + 1])) ** 2;
          nt += P.truth[i] ** 2 + P.truth[i + 1] ** 2;
        }
      expect(Math.sqrt(err / nt)).toBeLessThan(solver === 'pdhg' ? 0.3 : 0.1);
    }
  });
  it('estimates maps per slice for multi-coil data without maps', () => {
    const M = multiCoilProblem(16, 16, 3);
    const done: number[] = [];
    const r = csReconstructVolume(
      { kspace: repeat(M.b, 2), slices: 2, coils: 3, height: 16, width: 16, mask: M.mask },
      { ...opts, mapsMethod: 'lowres', onMaps: (d) => done.push(d) },
    );
    expect(done).toEqual([1, 2]);
    expect(r.maps!.length).toBe(2 * 2 * 3 * 16 * 16);
    expect(r.info.maps).toBe('lowres');
    expect(r.info.compact).toBe(true);
  });
  it('reports progress each iteration, stops when cancelled, and returns zeros for all-zero k-space', () => {
    const seen: number[] = [];
    let polls = 0;
    const r = csReconstructVolume(vol, { ...opts, onIteration: (i) => seen.push(i), isCancelled: () => ++polls > 3 });
    expect(r.cancelled).toBe(true);
    expect(seen).toEqual([1, 2, 3]);
    const z = csReconstructVolume({ ...vol, kspace: new Float32Array(vol.kspace.length) }, opts);
    expect(z.image.every((v) => v === 0)).toBe(true);
    expect(z.info.note).toBe('all-zero k-space');
  });
});
