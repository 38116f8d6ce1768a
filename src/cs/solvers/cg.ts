/**
 * Conjugate gradient for Hermitian positive (semi-)definite systems N x = rhs, e.g. plain SENSE or
 * Tikhonov (AᴴA + μI) x = Aᴴb, and the inner x-update of ADMM. Complex vectors; N must be Hermitian so
 * ⟨p, N p⟩ is real (we use its real part).
 */
import { type IterativeAlgorithm, type StopCriteria, checkStop, stopReached } from './alg';
import { type LeastSquares, checkLeastSquares, residualValue } from './least-squares';

/**
 * Runs at most `iterations` CG steps on N x = rhs from the warm start in x (updated in place).
 * Returns the iterations taken; stops early when ‖r‖ ≤ tol·‖rhs‖.
 */
export function conjugateGradient(
  applyN: (v: Float32Array, out: Float32Array) => void,
  rhs: Float32Array,
  x: Float32Array,
  iterations: number,
  tol = 0,
  work?: { r: Float32Array; p: Float32Array; Np: Float32Array },
): number {
  const n = rhs.length;
  const r = work?.r ?? new Float32Array(n);
  const p = work?.p ?? new Float32Array(n);
  const Np = work?.Np ?? new Float32Array(n);
  applyN(x, Np);
  let rr = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    r[i] = rhs[i] - Np[i];
    p[i] = r[i];
    rr += r[i] * r[i];
    bb += rhs[i] * rhs[i];
  }
  const stop = tol * tol * bb;
  let it = 0;
  while (it < iterations && rr > stop && rr > 0) {
    applyN(p, Np);
    let pNp = 0;
    for (let i = 0; i < n; i++) pNp += p[i] * Np[i];
    if (!(pNp > 0)) break;
    const alpha = rr / pNp;
    let rrNew = 0;
    for (let i = 0; i < n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * Np[i];
      rrNew += r[i] * r[i];
    }
    const beta = rrNew / rr;
    for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
    rr = rrNew;
    it++;
  }
  return it;
}

/**
 * CG on the normal equations of min ½‖Ax − b‖² + ½μ‖x‖² as an IterativeAlgorithm (one CG step per
 * step()). Objective is evaluated every step with one extra forward operator application.
 */
export class CGLeastSquares implements IterativeAlgorithm {
  readonly name = 'cg';
  readonly x: Float32Array;
  iteration = 0;
  objectiveValue = NaN;
  relChange = Infinity;
  private readonly stop: Required<StopCriteria>;
  private readonly r: Float32Array;
  private readonly p: Float32Array;
  private readonly Np: Float32Array;
  private readonly tmpOut: Float32Array;
  private rr: number;

  constructor(
    private readonly ls: LeastSquares,
    private readonly mu: number,
    stop: StopCriteria,
    x0?: Float32Array,
  ) {
    checkLeastSquares(ls);
    if (!(mu >= 0)) throw new RangeError(`mu must be ≥ 0, got ${mu}`);
    this.stop = checkStop(stop);
    const A = ls.A;
    const n = 2 * A.inShape.reduce((a, b) => a * b, 1);
    this.x = x0 ? Float32Array.from(x0) : new Float32Array(n);
    this.r = A.adjoint(ls.b);
    this.tmpOut = new Float32Array(ls.b.length);
    this.Np = new Float32Array(n);
    this.applyN(this.x, this.Np);
    for (let i = 0; i < n; i++) this.r[i] -= this.Np[i];
    this.p = Float32Array.from(this.r);
    this.rr = 0;
    for (let i = 0; i < n; i++) this.rr += this.r[i] * this.r[i];
  }

  private applyN(v: Float32Array, out: Float32Array): void {
    this.ls.A.forward(v, this.tmpOut);
    this.ls.A.adjoint(this.tmpOut, out);
    if (this.mu) for (let i = 0; i < out.length; i++) out[i] += this.mu * v[i];
  }

  step(): void {
    const { x, r, p, Np } = this;
    this.iteration++;
    if (this.rr === 0) {
      this.relChange = 0;
      this.objectiveValue = this.value();
      return;
    }
    this.applyN(p, Np);
    let pNp = 0;
    for (let i = 0; i < p.length; i++) pNp += p[i] * Np[i];
    const alpha = pNp > 0 ? this.rr / pNp : 0;
    let rrNew = 0;
    let dx = 0;
    let nx = 0;
    for (let i = 0; i < x.length; i++) {
      const d = alpha * p[i];
      x[i] += d;
      dx += d * d;
      nx += x[i] * x[i];
      r[i] -= alpha * Np[i];
      rrNew += r[i] * r[i];
    }
    const beta = rrNew / this.rr;
    for (let i = 0; i < p.length; i++) p[i] = r[i] + beta * p[i];
    this.rr = rrNew;
    this.relChange = nx > 0 ? Math.sqrt(dx / nx) : 0;
    this.objectiveValue = this.value();
  }

  private value(): number {
    this.ls.A.forward(this.x, this.tmpOut);
    let reg = 0;
    if (this.mu) for (let i = 0; i < this.x.length; i++) reg += this.x[i] * this.x[i];
    return residualValue(this.tmpOut, this.ls.b) + 0.5 * this.mu * reg;
  }

  done(): boolean {
    return stopReached(this, this.stop) || this.rr === 0;
  }
}
