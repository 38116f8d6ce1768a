/**
 * The solvers must agree on the same convex problem: TV by PDHG, ADMM (CG and exact Fourier x-update)
 * and FISTA-with-proxTV reach the same objective; wavelet-L1 by FISTA, ISTA and ADMM likewise.
 */
import { describe, expect, it } from 'vitest';
import { gradOp, laplacianEigenvalues } from '../../../src/cs/ops/finite-diff';
import { maskWeights } from '../../../src/cs/ops/mask';
import { waveletOp } from '../../../src/cs/ops/wavelet';
import { l1 } from '../../../src/cs/prox/soft-threshold';
import { l21 } from '../../../src/cs/prox/linf-ball';
import { tv } from '../../../src/cs/prox/tv';
import { detailWeights, waveletL1 } from '../../../src/cs/prox/wavelet-l1';
import { Admm, cgXSolver } from '../../../src/cs/solvers/admm';
import { runAlgorithm } from '../../../src/cs/solvers/alg';
import { CGLeastSquares } from '../../../src/cs/solvers/cg';
import { Fista } from '../../../src/cs/solvers/fista';
import { fourierXSolver } from '../../../src/cs/solvers/fourier-x-solver';
import { Pdhg } from '../../../src/cs/solvers/pdhg';
import { multiCoilProblem, singleCoilProblem } from '../helpers/problems';

const lastObj = (r: { objective: number[] }) => r.objective[r.objective.length - 1];

describe('TV solvers agree', () => {
  const lambda = 0.02;
  it('single-coil: PDHG, ADMM (exact and CG), FISTA+proxTV', () => {
    const P = singleCoilProblem();
    const ls = { A: P.A, b: P.b, lipschitz: 1 };
    const D = gradOp([P.h, P.w]);
    const g = l21(lambda, 2, P.h * P.w);
    const pd = runAlgorithm(new Pdhg(ls, D, lambda, { maxIterations: 3000 }));
    const ex = runAlgorithm(
      new Admm(ls, D, g, fourierXSolver(maskWeights(P.mask, P.h, P.w), P.b, P.h, P.w, D, laplacianEigenvalues(P.h, P.w)), {
        maxIterations: 1000,
      }),
    );
    const cg = runAlgorithm(new Admm(ls, D, g, cgXSolver(ls, D, 10), { maxIterations: 600 }));
    const fi = runAlgorithm(new Fista(ls, tv(lambda, [P.h, P.w], { iterations: 100, tolerance: 1e-7 }), { maxIterations: 600 }));
    const ref = Math.min(lastObj(pd), lastObj(ex), lastObj(cg), lastObj(fi));
    for (const r of [pd, ex, cg, fi]) expect((lastObj(r) - ref) / ref).toBeLessThan(2e-3);
  });
  it('multi-coil: PDHG and ADMM(CG)', () => {
    const P = multiCoilProblem();
    const ls = { A: P.A, b: P.b, lipschitz: 1 };
    const D = gradOp([P.h, P.w]);
    const pd = runAlgorithm(new Pdhg(ls, D, lambda, { maxIterations: 3000 }));
    const ad = runAlgorithm(new Admm(ls, D, l21(lambda, 2, P.h * P.w), cgXSolver(ls, D, 10), { maxIterations: 600 }));
    const ref = Math.min(lastObj(pd), lastObj(ad));
    expect((lastObj(pd) - ref) / ref).toBeLessThan(2e-3);
    expect((lastObj(ad) - ref) / ref).toBeLessThan(2e-3);
  });
});

describe('wavelet-L1 solvers agree', () => {
  const lambda = 0.01;
  it('FISTA (monotone), ISTA and ADMM reach the same objective; FISTA never increases it', () => {
    const P = singleCoilProblem();
    const ls = { A: P.A, b: P.b, lipschitz: 1 };
    const W = waveletOp(P.h, P.w, { family: 'db4', levels: 2 });
    const fi = runAlgorithm(new Fista(ls, waveletL1(W, lambda), { maxIterations: 800 }));
    for (let i = 1; i < fi.objective.length; i++) expect(fi.objective[i]).toBeLessThanOrEqual(fi.objective[i - 1]);
    const is = runAlgorithm(new Fista(ls, waveletL1(W, lambda), { maxIterations: 3000, momentum: false }));
    const ad = runAlgorithm(
      new Admm(ls, W, l1(lambda, detailWeights(W)), fourierXSolver(maskWeights(P.mask, P.h, P.w), P.b, P.h, P.w, W, null), {
        maxIterations: 1000,
      }),
    );
    const ref = Math.min(lastObj(fi), lastObj(is), lastObj(ad));
    for (const r of [fi, is, ad]) expect((lastObj(r) - ref) / ref).toBeLessThan(2e-3);
  });
  it('ADMM: the fused shrinkage update equals the generic prox path (l1 and l21)', () => {
    const P = singleCoilProblem();
    const ls = { A: P.A, b: P.b, lipschitz: 1 };
    const W = waveletOp(P.h, P.w, { family: 'haar', levels: 2 });
    const D = gradOp([P.h, P.w]);
    const mw = maskWeights(P.mask, P.h, P.w);
    for (const [K, h, eig] of [
      [W, l1(lambda, detailWeights(W)), null],
      [D, l21(lambda, 2, P.h * P.w), laplacianEigenvalues(P.h, P.w)],
    ] as const) {
      const generic = { name: h.name, value: h.value, prox: h.prox };
      const run = (g: typeof generic) =>
        runAlgorithm(new Admm(ls, K, g, fourierXSolver(mw, P.b, P.h, P.w, K, eig), { maxIterations: 60, rho: 0.05 }));
      const a = run(h);
      const b = run(generic);
      for (let i = 0; i < a.objective.length; i++) expect(a.objective[i]).toBeCloseTo(b.objective[i], 6);
    }
  });
  it('FISTA backtracking recovers from an underestimated Lipschitz constant', () => {
    const P = multiCoilProblem();
    const W = waveletOp(P.h, P.w, { family: 'haar', levels: 2 });
    const alg = new Fista({ A: P.A, b: P.b }, waveletL1(W, lambda), { maxIterations: 50, lipschitz: 0.05 });
    const r = runAlgorithm(alg);
    expect(alg.L).toBeGreaterThan(0.05);
    for (let i = 1; i < r.objective.length; i++) expect(r.objective[i]).toBeLessThanOrEqual(r.objective[i - 1]);
  });
});

describe('CG', () => {
  it('solves the Tikhonov normal equations (AᴴA + μI)x = Aᴴb', () => {
    const P = multiCoilProblem();
    const mu = 0.05;
    const alg = new CGLeastSquares({ A: P.A, b: P.b }, mu, { maxIterations: 200, tolerance: 1e-7 });
    runAlgorithm(alg);
    const x = alg.x;
    const lhs = P.A.adjoint(P.A.forward(x));
    const rhs = P.A.adjoint(P.b);
    let err = 0;
    let nr = 0;
    for (let i = 0; i < x.length; i++) {
      err += (lhs[i] + mu * x[i] - rhs[i]) ** 2;
      nr += rhs[i] ** 2;
    }
    expect(Math.sqrt(err / nr)).toBeLessThan(1e-4);
  });
  it('runAlgorithm stops on cancel and reports progress', () => {
    const P = singleCoilProblem();
    const seen: number[] = [];
    let calls = 0;
    const r = runAlgorithm(new CGLeastSquares({ A: P.A, b: P.b }, 0, { maxIterations: 100 }), {
      isCancelled: () => ++calls > 3,
      onIteration: (i) => seen.push(i),
    });
    expect(r.cancelled).toBe(true);
    expect(seen).toEqual([1, 2, 3]);
  });
});
