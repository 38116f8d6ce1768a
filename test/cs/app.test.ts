import { describe, expect, it } from 'vitest';
import { csReconstruct, type CsOptions } from '../../src/cs/app';
import { multiCoilProblem, singleCoilProblem } from './helpers/problems';

const P = singleCoilProblem(16, 16, 0);
const input = { kspace: P.b, coils: 1, height: 16, width: 16, mask: P.mask };
const tvOpts: CsOptions = { regularizer: 'tv', lambda: 0.01, iterations: 20 };

describe('csReconstruct input checks', () => {
  it.each([
    [{ lambda: -1 }, /lambda/],
    [{ lambda: NaN }, /lambda/],
    [{ iterations: 0 }, /iterations/],
    [{ iterations: 100001 }, /iterations/],
    [{ iterations: 2.5 }, /iterations/],
    [{ regularizer: 'l2' as never }, /regularizer/],
    [{ solver: 'pdhg' as const, regularizer: 'wavelet' as const }, /pdhg/],
  ])('rejects %o', (bad, msg) => {
    expect(() => csReconstruct(input, { ...tvOpts, ...bad })).toThrow(RangeError);
    expect(() => csReconstruct(input, { ...tvOpts, ...bad })).toThrow(msg);
  });
  it('rejects k-space of the wrong length and maps of the wrong shape', () => {
    expect(() => csReconstruct({ ...input, kspace: new Float32Array(10) }, tvOpts)).toThrow(/kspace/);
    expect(() => csReconstruct({ ...input, coils: 2 }, tvOpts)).toThrow(/kspace/);
    expect(() => csReconstruct({ ...input, maps: new Float32Array(7) }, tvOpts)).toThrow(/maps/);
  });
});

describe('csReconstruct behaviour', () => {
  it('all-zero k-space gives a zero image with a note, not NaN', () => {
    const r = csReconstruct({ ...input, kspace: new Float32Array(P.b.length) }, tvOpts);
    expect(r.image.every((v) => v === 0)).toBe(true);
    expect(r.info.note).toBe('all-zero k-space');
  });
  it('auto scaling makes the result equivariant to the data scale; raw mode does not rescale', () => {
    const a = csReconstruct(input, tvOpts);
    const k10 = P.b.map((v) => 10 * v);
    const b = csReconstruct({ ...input, kspace: k10 }, tvOpts);
    expect(b.scale).toBeCloseTo(a.scale / 10, 6);
    for (let i = 0; i < a.image.length; i += 7) expect(b.image[i]).toBeCloseTo(10 * a.image[i], 3);
    expect(csReconstruct(input, { ...tvOpts, scaling: 'raw' }).scale).toBe(1);
  });
  it('reports progress each iteration and stops when cancelled', () => {
    const seen: number[] = [];
    let polls = 0;
    const r = csReconstruct(input, { ...tvOpts, onIteration: (i) => seen.push(i), isCancelled: () => ++polls > 5 });
    expect(r.cancelled).toBe(true);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });
  it('every solver runs for both regularisers it supports and approaches the truth', () => {
    for (const [regularizer, solver] of [
      ['tv', 'admm'],
      ['tv', 'pdhg'],
      ['tv', 'fista'],
      ['wavelet', 'fista'],
      ['wavelet', 'admm'],
    ] as const) {
      const r = csReconstruct(input, { regularizer, solver, lambda: 0.001, iterations: 200, wavelet: 'haar', levels: 2 });
      expect(r.solver).toBe(solver);
      let err = 0;
      let nt = 0;
      for (let i = 0; i < r.image.length; i += 2) {
        err += (Math.hypot(r.image[i], r.image[i + 1]) - Math.hypot(P.truth[i], P.truth[i + 1])) ** 2;
        nt += P.truth[i] ** 2 + P.truth[i + 1] ** 2;
      }
      // PDHG converges slowest and the plain (un-spun) orthogonal Haar is the weakest prior here.
      expect(Math.sqrt(err / nt)).toBeLessThan(
        solver === 'pdhg' || (regularizer === 'wavelet' && solver === 'fista') ? 0.3 : 0.1,
      );
    }
  });
  it('stops early on tolerance', () => {
    const r = csReconstruct(input, { ...tvOpts, iterations: 5000, tolerance: 1e-3 });
    expect(r.iterations).toBeLessThan(5000);
    expect(r.objective.length).toBe(r.iterations);
  });
});

describe('csReconstruct internals', () => {
  it('monitor sees every iterate in the input units; the last one is the result', () => {
    const k10 = P.b.map((v) => 10 * v);
    const seen: Float32Array[] = [];
    const r = csReconstruct({ ...input, kspace: k10 }, { ...tvOpts, monitor: (img) => void seen.push(img) });
    expect(seen.length).toBe(r.iterations);
    for (let i = 0; i < r.image.length; i++) expect(seen.at(-1)![i]).toBeCloseTo(r.image[i], 5);
  });
  it('multi-coil: the sampled-column encoding (1-D mask) solves the same problem as the full grid (2-D mask)', () => {
    const M = multiCoilProblem(16, 16, 3);
    const k = M.A.forward(M.truth);
    const mask2d = { dims: 2 as const, height: 16, width: 16, data: new Uint8Array(256) };
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) mask2d.data[y * 16 + x] = M.mask.data[x];
    for (const regularizer of ['tv', 'wavelet'] as const) {
      const opts: CsOptions = { regularizer, lambda: 0.003, iterations: 30, levels: 2 };
      const a = csReconstruct({ kspace: k, coils: 3, height: 16, width: 16, mask: M.mask, maps: M.maps }, opts);
      const b = csReconstruct({ kspace: k, coils: 3, height: 16, width: 16, mask: mask2d, maps: M.maps }, opts);
      expect(a.solver).toBe('fista');
      let d = 0;
      let n = 0;
      for (let i = 0; i < a.image.length; i++) {
        d += (a.image[i] - b.image[i]) ** 2;
        n += b.image[i] ** 2;
      }
      expect(Math.sqrt(d / n)).toBeLessThan(1e-4);
    }
  });
});
