/**
 * FISTA for min_x F(x) = ½‖A x − b‖² + g(x), g with a cheap prox (wavelet-L1; TV through proxTV).
 *
 * Monotone variant (MFISTA, Beck & Teboulle 2009): the candidate z = prox_{g/L}(y − ∇f(y)/L) is accepted
 * as the new x only if F(z) ≤ F(x), otherwise x is kept and only the momentum uses z. The reported
 * objective F(x) therefore never increases. Backtracking multiplies L by `backtrack` until the
 * quadratic upper bound holds at z, so an underestimated ‖A‖² is safe.
 *
 * Cost per iteration: one A and one Aᴴ. A is linear, so A y is formed from the cached A x, A x_old and
 * A z with the same momentum coefficients as y, instead of being recomputed.
 * With momentum off this is plain (backtracking) ISTA, used as a reference in tests.
 */
import { rdot } from '../vec';
import type { ProxFunction } from '../prox/types';
import { type IterativeAlgorithm, type StopCriteria, checkStop, stopReached } from './alg';
import { type LeastSquares, checkLeastSquares, residualValue } from './least-squares';
import { maxEigenvalue } from '../ops/linop';

export interface FistaOptions extends StopCriteria {
  x0?: Float32Array;
  /** initial step 1/L; default from ls.lipschitz or power iteration */
  lipschitz?: number;
  backtrack?: number;
  momentum?: boolean;
}

export class Fista implements IterativeAlgorithm {
  readonly name: string;
  readonly x: Float32Array;
  iteration = 0;
  objectiveValue: number;
  relChange = Infinity;
  /** current Lipschitz estimate (grows under backtracking) */
  L: number;
  private readonly stop: Required<StopCriteria>;
  private readonly eta: number;
  private readonly momentum: boolean;
  private t = 1;
  private readonly xOld: Float32Array;
  private readonly y: Float32Array;
  private readonly z: Float32Array;
  private readonly v: Float32Array;
  private readonly grad: Float32Array;
  private readonly Ax: Float32Array;
  private readonly AxOld: Float32Array;
  private readonly Ay: Float32Array;
  private readonly Az: Float32Array;
  private readonly res: Float32Array;

  constructor(
    private readonly ls: LeastSquares,
    private readonly g: ProxFunction,
    options: FistaOptions,
  ) {
    checkLeastSquares(ls);
    this.stop = checkStop(options);
    this.momentum = options.momentum ?? true;
    this.name = this.momentum ? 'fista' : 'ista';
    this.eta = options.backtrack ?? 2;
    if (!(this.eta > 1)) throw new RangeError(`backtrack factor must be > 1, got ${this.eta}`);
    const n = 2 * ls.A.inShape.reduce((a, b) => a * b, 1);
    const m = ls.b.length;
    this.x = options.x0 ? Float32Array.from(options.x0) : new Float32Array(n);
    if (this.x.length !== n) throw new RangeError(`x0 has length ${this.x.length}, expected ${n}`);
    this.xOld = Float32Array.from(this.x);
    this.y = Float32Array.from(this.x);
    this.z = new Float32Array(n);
    this.v = new Float32Array(n);
    this.grad = new Float32Array(n);
    this.Ax = ls.A.forward(this.x);
    this.AxOld = Float32Array.from(this.Ax);
    this.Ay = Float32Array.from(this.Ax);
    this.Az = new Float32Array(m);
    this.res = new Float32Array(m);
    const L = options.lipschitz ?? ls.lipschitz ?? 1.05 * maxEigenvalue(ls.A, 20);
    if (!(L > 0)) throw new RangeError(`lipschitz must be > 0, got ${L}`);
    this.L = L;
    this.objectiveValue = residualValue(this.Ax, ls.b) + g.value(this.x);
  }

  step(): void {
    const { ls, g, x, xOld, y, z, v, grad, Ax, AxOld, Ay, Az, res } = this;
    this.iteration++;
    // res = A y − b and f(y) = ½‖res‖² in one pass (the sum in double, as residualValue).
    const b = ls.b;
    let fy2 = 0;
    for (let i = 0; i < res.length; i++) {
      const r = Ay[i] - b[i];
      res[i] = r;
      fy2 += r * r;
    }
    const fy = 0.5 * fy2;
    ls.A.adjoint(res, grad);
    let fz = 0;
    for (let tries = 0; ; tries++) {
      const s = 1 / this.L;
      for (let i = 0; i < v.length; i++) v[i] = y[i] - s * grad[i];
      g.prox(v, s, z);
      ls.A.forward(z, Az);
      fz = residualValue(Az, ls.b);
      // Quadratic upper bound f(y) + ⟨∇f(y), z − y⟩ + L/2 ‖z − y‖², in double.
      let lin = 0;
      let dist = 0;
      for (let i = 0; i < z.length; i++) {
        const d = z[i] - y[i];
        lin += grad[i] * d;
        dist += d * d;
      }
      const bound = fy + lin + 0.5 * this.L * dist;
      if (fz <= bound + 1e-6 * Math.abs(fy) || tries >= 30) break;
      this.L *= this.eta;
    }
    const Fz = fz + g.value(z);
    this.relChange = relChangeTo(z, x);
    const tNext = this.momentum ? (1 + Math.sqrt(1 + 4 * this.t * this.t)) / 2 : 1;
    xOld.set(x);
    AxOld.set(Ax);
    if (Fz <= this.objectiveValue || !this.momentum) {
      x.set(z);
      Ax.set(Az);
      this.objectiveValue = Fz;
    }
    // y = x + (t/t⁺)(z − x) + ((t − 1)/t⁺)(x − x_old), and the same combination for A y.
    const a = this.t / tNext;
    const c = (this.t - 1) / tNext;
    for (let i = 0; i < y.length; i++) y[i] = x[i] + a * (z[i] - x[i]) + c * (x[i] - xOld[i]);
    for (let i = 0; i < Ay.length; i++) Ay[i] = Ax[i] + a * (Az[i] - Ax[i]) + c * (Ax[i] - AxOld[i]);
    this.t = tNext;
  }

  done(): boolean {
    return stopReached(this, this.stop);
  }
}

function relChangeTo(a: Float32Array, b: Float32Array): number {
  const na = rdot(a, a);
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) ** 2;
  return na > 0 ? Math.sqrt(d / na) : d === 0 ? 0 : Infinity;
}
