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
  private z: Float32Array;
  private zOld: Float32Array;
  private readonly u: Float32Array;
  private readonly Kx: Float32Array;
  /** z − u, the x-update's target (kept current between steps) */
  private readonly v: Float32Array;
  /** K x + u (the prox input), then z − z_old for the dual residual */
  private readonly w: Float32Array;
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
    this.v = Float32Array.from(this.z);
    this.w = new Float32Array(nk);
    this.Ax = ls.A.forward(this.x);
    this.dualTmp = new Float32Array(n);
  }

  step(): void {
    const { K, h, x, u, Kx, v, w } = this;
    this.iteration++;
    this.xPrev.set(x);
    this.xSolver.solve(v, this.rho, x, this.Ax);
    K.forward(x, Kx);
    // z_old ← z by swapping buffers; z ← prox(K x + u).
    const zOld = this.z;
    const z = this.zOld;
    this.z = z;
    this.zOld = zOld;
    for (let i = 0; i < w.length; i++) w[i] = Kx[i] + u[i];
    h.prox(w, 1 / this.rho, z);
    const balance = this.adaptive && this.iteration % 2 === 0;
    // One fused pass: u += Kx − z, ‖Kx − z‖², the next x-update's v = z − u, and (when balancing ρ)
    // w = z − z_old for the dual residual.
    let r2 = 0;
    for (let i = 0; i < u.length; i++) {
      const zi = z[i];
      const r = Kx[i] - zi;
      const ui = u[i] + r;
      u[i] = ui;
      r2 += r * r;
      v[i] = zi - ui;
      if (balance) w[i] = zi - zOld[i];
    }
    this.objectiveValue = residualValue(this.Ax, this.ls.b) + h.value(Kx);
    this.relChange = relativeChange(x, this.xPrev);
    if (balance) {
      K.adjoint(w, this.dualTmp);
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
    const { u, v, z } = this;
    for (let i = 0; i < u.length; i++) {
      u[i] /= f;
      v[i] = z[i] - u[i];
    }
  }

  done(): boolean {
    return stopReached(this, this.stop);
  }
}
