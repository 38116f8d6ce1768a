/**
 * ADMM for min_x ½‖A x − b‖² + h(K x), with K = D (TV, h = λ‖·‖_{2,1}) or K = W (wavelet, h = weighted
 * λ‖·‖₁). Scaled form (Boyd et al. 2011, §3.1.1):
 *   x ← argmin ½‖A x − b‖² + ρ/2 ‖K x − z + u‖²     (XSolver)
 *   z ← prox_{h/ρ}(K x + u)
 *   u ← u + K x − z
 * ρ adapts by residual balancing (§3.4.1): ×2 when the primal residual ‖Kx − z‖ exceeds 10× the dual
 * residual ρ‖Kᴴ(z − z_old)‖, ÷2 in the opposite case, rescaling u to keep the unscaled dual fixed.
 * The reported objective is F(x) = ½‖Ax − b‖² + h(Kx) at the current x.
 */
import type { LinearOperator } from '../ops/linop';
import type { ProxFunction } from '../prox/types';
import { type IterativeAlgorithm, type StopCriteria, checkStop, relativeChange, stopReached } from './alg';
import { type LeastSquares, checkLeastSquares, residualValue } from './least-squares';
import { conjugateGradient } from './cg';

/**
 * Solves (AᴴA + ρKᴴK) x = Aᴴb + ρKᴴ v for the given v = z − u, warm-started from x (overwritten).
 * Writes A x into Ax (the objective needs it; exact solvers get it for free).
 */
export interface XSolver {
  solve(v: Float32Array, rho: number, x: Float32Array, Ax: Float32Array): void;
}

/** Generic x-update by a few warm-started CG iterations on the normal equations. */
export function cgXSolver(ls: LeastSquares, K: LinearOperator, innerIterations = 5): XSolver {
  const n = 2 * ls.A.inShape.reduce((a, b) => a * b, 1);
  const Ahb = ls.A.adjoint(ls.b);
  const rhs = new Float32Array(n);
  const kv = new Float32Array(n);
  const tmpOut = new Float32Array(ls.b.length);
  const tmpK = new Float32Array(2 * K.outShape.reduce((a, b) => a * b, 1));
  const tmpIn = new Float32Array(n);
  const work = { r: new Float32Array(n), p: new Float32Array(n), Np: new Float32Array(n) };
  return {
    solve(v, rho, x, Ax) {
      K.adjoint(v, kv);
      for (let i = 0; i < n; i++) rhs[i] = Ahb[i] + rho * kv[i];
      const applyN = (p: Float32Array, out: Float32Array) => {
        ls.A.forward(p, tmpOut);
        ls.A.adjoint(tmpOut, out);
        K.forward(p, tmpK);
        K.adjoint(tmpK, tmpIn);
        for (let i = 0; i < n; i++) out[i] += rho * tmpIn[i];
      };
      conjugateGradient(applyN, rhs, x, innerIterations, 1e-6, work);
      ls.A.forward(x, Ax);
    },
  };
}

export interface AdmmOptions extends StopCriteria {
  x0?: Float32Array;
  rho?: number;
  adaptiveRho?: boolean;
}

export class Admm implements IterativeAlgorithm {
  readonly name = 'admm';
  readonly x: Float32Array;
  iteration = 0;
  objectiveValue = NaN;
  relChange = Infinity;
  rho: number;
  private readonly stop: Required<StopCriteria>;
  private readonly adaptive: boolean;
  private readonly z: Float32Array;
  private readonly zOld: Float32Array;
  private readonly u: Float32Array;
  private readonly Kx: Float32Array;
  private readonly v: Float32Array;
  private readonly xPrev: Float32Array;
  private readonly Ax: Float32Array;
  private readonly dualTmp: Float32Array;

  constructor(
    private readonly ls: LeastSquares,
    private readonly K: LinearOperator,
    private readonly h: ProxFunction,
    private readonly xSolver: XSolver,
    options: AdmmOptions,
  ) {
    checkLeastSquares(ls);
    this.stop = checkStop(options);
    this.rho = options.rho ?? 1;
    if (!(this.rho > 0)) throw new RangeError(`rho must be > 0, got ${this.rho}`);
    this.adaptive = options.adaptiveRho ?? true;
    const n = 2 * ls.A.inShape.reduce((a, b) => a * b, 1);
    const nk = 2 * K.outShape.reduce((a, b) => a * b, 1);
    this.x = options.x0 ? Float32Array.from(options.x0) : new Float32Array(n);
    this.xPrev = new Float32Array(n);
    this.Kx = K.forward(this.x);
    this.z = Float32Array.from(this.Kx);
    this.zOld = new Float32Array(nk);
    this.u = new Float32Array(nk);
    this.v = new Float32Array(nk);
    this.Ax = ls.A.forward(this.x);
    this.dualTmp = new Float32Array(n);
  }

  step(): void {
    const { K, h, x, z, zOld, u, Kx, v } = this;
    this.iteration++;
    this.xPrev.set(x);
    for (let i = 0; i < v.length; i++) v[i] = z[i] - u[i];
    this.xSolver.solve(v, this.rho, x, this.Ax);
    K.forward(x, Kx);
    zOld.set(z);
    for (let i = 0; i < v.length; i++) v[i] = Kx[i] + u[i];
    h.prox(v, 1 / this.rho, z);
    let r2 = 0;
    for (let i = 0; i < u.length; i++) {
      const r = Kx[i] - z[i];
      u[i] += r;
      r2 += r * r;
    }
    this.objectiveValue = residualValue(this.Ax, this.ls.b) + h.value(Kx);
    this.relChange = relativeChange(x, this.xPrev);
    if (this.adaptive && this.iteration % 2 === 0) {
      for (let i = 0; i < v.length; i++) v[i] = z[i] - zOld[i];
      K.adjoint(v, this.dualTmp);
      let s2 = 0;
      for (let i = 0; i < this.dualTmp.length; i++) s2 += this.dualTmp[i] * this.dualTmp[i];
      const r = Math.sqrt(r2);
      const s = this.rho * Math.sqrt(s2);
      if (r > 10 * s) this.rescale(2);
      else if (s > 10 * r) this.rescale(0.5);
    }
  }

  private rescale(f: number): void {
    this.rho *= f;
    for (let i = 0; i < this.u.length; i++) this.u[i] /= f;
  }

  done(): boolean {
    return stopReached(this, this.stop);
  }
}
