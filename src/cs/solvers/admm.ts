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
import type { ProxFunction, ShrinkSpec } from '../prox/types';
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
    if (h.shrink) {
      this.fusedUpdate(h.shrink);
      return;
    }
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
    if (balance) this.balance(r2);
  }

  /**
   * z, u, v, the residuals and h(Kx) in ONE pass over the split variable when h is a (group)
   * shrinkage: the same arithmetic as prox + the generic update, without the intermediate arrays.
   */
  private fusedUpdate(spec: ShrinkSpec): void {
    const { u, Kx, v, w } = this;
    const z = this.z;
    const balance = this.adaptive && this.iteration % 2 === 0;
    const t = spec.lambda / this.rho;
    const weights = spec.weights;
    let r2 = 0;
    let hv = 0;
    if (spec.components === 1) {
      const np = u.length >> 1;
      for (let p = 0, i = 0; p < np; p++, i += 2) {
        const kr = Kx[i];
        const ki = Kx[i + 1];
        const ur = u[i];
        const ui = u[i + 1];
        const ar = kr + ur;
        const ai = ki + ui;
        const wt = weights ? weights[p] : 1;
        const th = t * wt;
        const mag = Math.sqrt(ar * ar + ai * ai);
        const f = mag > th ? 1 - th / mag : 0;
        const zr = ar * f;
        const zi = ai * f;
        if (wt) hv += wt * Math.sqrt(kr * kr + ki * ki);
        const rr = kr - zr;
        const ri = ki - zi;
        const nr = ur + rr;
        const ni = ui + ri;
        r2 += rr * rr + ri * ri;
        u[i] = nr;
        u[i + 1] = ni;
        v[i] = zr - nr;
        v[i + 1] = zi - ni;
        if (balance) {
          w[i] = zr - z[i];
          w[i + 1] = zi - z[i + 1];
        }
        z[i] = zr;
        z[i + 1] = zi;
      }
    } else {
      const C = spec.components;
      const n = spec.n;
      for (let p = 0; p < n; p++) {
        let s = 0;
        let sk = 0;
        for (let c = 0; c < C; c++) {
          const i = 2 * (c * n + p);
          const ar = Kx[i] + u[i];
          const ai = Kx[i + 1] + u[i + 1];
          s += ar * ar + ai * ai;
          sk += Kx[i] * Kx[i] + Kx[i + 1] * Kx[i + 1];
        }
        const wt = weights ? weights[p] : 1;
        const th = t * wt;
        const mag = Math.sqrt(s);
        const f = mag > th ? 1 - th / mag : 0;
        hv += wt * Math.sqrt(sk);
        for (let c = 0; c < C; c++) {
          const i = 2 * (c * n + p);
          for (let k = i; k < i + 2; k++) {
            const kx = Kx[k];
            const uk = u[k];
            const zk = (kx + uk) * f;
            const r = kx - zk;
            const nu = uk + r;
            r2 += r * r;
            u[k] = nu;
            v[k] = zk - nu;
            if (balance) w[k] = zk - z[k];
            z[k] = zk;
          }
        }
      }
    }
    this.objectiveValue = residualValue(this.Ax, this.ls.b) + spec.lambda * hv;
    this.relChange = relativeChange(this.x, this.xPrev);
    if (balance) this.balance(r2);
  }

  /** Residual balancing from ‖Kx − z‖² (r2) and w = z − z_old. */
  private balance(r2: number): void {
    this.K.adjoint(this.w, this.dualTmp);
    let s2 = 0;
    for (let i = 0; i < this.dualTmp.length; i++) s2 += this.dualTmp[i] * this.dualTmp[i];
    const r = Math.sqrt(r2);
    const s = this.rho * Math.sqrt(s2);
    if (r > 10 * s) this.rescale(2);
    else if (s > 10 * r) this.rescale(0.5);
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
