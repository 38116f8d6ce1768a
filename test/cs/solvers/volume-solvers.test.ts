/** The 3-D TV solvers: the exact Fourier–DCT x-update, and all solvers reaching one objective. */
import { describe, expect, it } from 'vitest';
import { gradNormBound, gradOp, laplacianEigenvalues } from '../../../src/cs/ops/finite-diff';
import { maskWeights } from '../../../src/cs/ops/mask';
import { stackEncodingOp } from '../../../src/cs/ops/stack';
import { l21 } from '../../../src/cs/prox/linf-ball';
import { tv } from '../../../src/cs/prox/tv';
import { Admm, cgXSolver } from '../../../src/cs/solvers/admm';
import { runAlgorithm } from '../../../src/cs/solvers/alg';
import { Fista } from '../../../src/cs/solvers/fista';
import { dctMatrix, dctSlices, fourierDctXSolver, neumannEigenvalues } from '../../../src/cs/solvers/fourier-x-solver';
import { Pdhg } from '../../../src/cs/solvers/pdhg';
import { randomComplex } from '../helpers/random';
import { columnMask } from '../helpers/problems';
import { ellipsoidVolume } from '../helpers/volume';

const [S, H, W] = [5, 12, 10];
const n = S * H * W;
const mask = columnMask(W, H, (c) => Math.abs(c - W / 2) <= 1 || c % 3 === 0);
const geometry = { weights: [0.7, 1, 1], periodic: [false, true, true] };

describe('Fourier–DCT x-update', () => {
  it('the DCT matrix is orthonormal and diagonalises the Neumann Laplacian', () => {
    const c = dctMatrix(S);
    const mu = neumannEigenvalues(S);
    // L = DᵀD of forward differences with no difference past the last slice: tridiag(−1, [1, 2, …, 2, 1], −1)
    const L = (i: number, j: number) => (i === j ? (i === 0 || i === S - 1 ? 1 : 2) : Math.abs(i - j) === 1 ? -1 : 0);
    for (let a = 0; a < S; a++)
      for (let b = 0; b < S; b++) {
        let dot = 0;
        let cl = 0;
        for (let z = 0; z < S; z++) {
          dot += c[a * S + z] * c[b * S + z];
          for (let y = 0; y < S; y++) cl += c[a * S + z] * L(z, y) * c[b * S + y];
        }
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
        expect(cl).toBeCloseTo(a === b ? mu[a] : 0, 12);
      }
  });
  it('dctSlices (through an FFT of length 2S) is the DCT matrix along the slices, and its transpose', () => {
    for (const size of [1, 2, 5, 8, 13]) {
      const m = 7;
      const x = randomComplex(size * m, size);
      const c = dctMatrix(size);
      const work = new Float32Array(4 * size * m);
      const fwd = new Float32Array(2 * size * m);
      const inv = new Float32Array(2 * size * m);
      dctSlices(x, size, m, fwd, false, work);
      dctSlices(x, size, m, inv, true, work);
      for (let j = 0; j < size; j++)
        for (let i = 0; i < 2 * m; i++) {
          let f = 0;
          let t = 0;
          for (let z = 0; z < size; z++) {
            f += c[j * size + z] * x[z * 2 * m + i];
            t += c[z * size + j] * x[z * 2 * m + i];
          }
          expect(fwd[j * 2 * m + i]).toBeCloseTo(f, 5);
          expect(inv[j * 2 * m + i]).toBeCloseTo(t, 5);
        }
    }
  });
  it('solves (AᴴA + ρDᴴD) x = Aᴴb + ρDᴴv exactly and returns A x', () => {
    const { A, data } = stackEncodingOp(S, 1, H, W, new Array(S).fill(mask));
    const D = gradOp([S, H, W], geometry);
    const b = data(randomComplex(n, 4));
    const v = randomComplex(3 * n, 5);
    const rho = 0.37;
    const xs = fourierDctXSolver(maskWeights(mask, H, W), b, S, H, W, D, laplacianEigenvalues(H, W), 0.7);
    const x = new Float32Array(2 * n);
    const Ax = new Float32Array(2 * n);
    xs.solve(v, rho, x, Ax);
    const lhs = A.adjoint(A.forward(x));
    const dd = D.adjoint(D.forward(x));
    const rhs = A.adjoint(b);
    const dv = D.adjoint(v);
    let err = 0;
    let nr = 0;
    for (let i = 0; i < lhs.length; i++) {
      const r = rhs[i] + rho * dv[i];
      err += (lhs[i] + rho * dd[i] - r) ** 2;
      nr += r * r;
    }
    expect(Math.sqrt(err / nr)).toBeLessThan(1e-5);
    const Ax2 = A.forward(x);
    for (let i = 0; i < Ax.length; i++) expect(Ax[i]).toBeCloseTo(Ax2[i], 5);
  });
});

describe('3-D TV solvers agree', () => {
  it('ADMM (exact and CG), FISTA + 3-D prox and PDHG reach the same objective', () => {
    const truth = ellipsoidVolume(S, H, W, 0.5);
    const { A, data } = stackEncodingOp(S, 1, H, W, new Array(S).fill(mask));
    const b = data(A.forward(truth));
    const ls = { A, b, lipschitz: 1 };
    const lambda = 0.02;
    const D = gradOp([S, H, W], geometry);
    const g = l21(lambda, 3, n);
    const ex = runAlgorithm(
      new Admm(ls, D, g, fourierDctXSolver(maskWeights(mask, H, W), b, S, H, W, D, laplacianEigenvalues(H, W), 0.7), {
        maxIterations: 1000,
      }),
    );
    const cg = runAlgorithm(new Admm(ls, D, g, cgXSolver(ls, D, 10), { maxIterations: 600 }));
    const fi = runAlgorithm(
      new Fista(ls, tv(lambda, [S, H, W], { iterations: 100, tolerance: 1e-7, ...geometry }), { maxIterations: 600 }),
    );
    const pd = runAlgorithm(new Pdhg(ls, D, lambda, { maxIterations: 4000, dNormSquared: gradNormBound([S, H, W], geometry) }));
    const last = (r: { objective: number[] }) => r.objective[r.objective.length - 1];
    const ref = Math.min(last(ex), last(cg), last(fi), last(pd));
    for (const r of [ex, cg, fi, pd]) expect((last(r) - ref) / ref).toBeLessThan(2e-3);
  });
});
