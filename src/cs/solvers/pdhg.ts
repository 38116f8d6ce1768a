/**
 * Primal–dual hybrid gradient (Chambolle & Pock 2011, Alg. 1, θ = 1) for TV-regularised least squares
 *   min_x ½‖A x − b‖² + λ‖D x‖_{2,1}
 * written as min_x F(K x) with the stacked K = [A; c·D] and F(s, q) = ½‖s − b‖² + (λ/c)‖q‖_{2,1}, G = 0.
 * c = sqrt(‖A‖²/‖D‖²) balances the two blocks so ‖K‖² ≤ 2‖A‖², and τσ‖K‖² = 1 with τ/σ = `ratio`.
 * Dual updates: p ← (p + σ(A x̄ − b))/(1 + σ)   (prox of σF₁*),  q ← Π_{‖·‖_{2,∞} ≤ λ/c}(q + σ c D x̄).
 * Primal: x ← x − τ(Aᴴp + c Dᴴq), x̄ = 2x_new − x.
 * Cost per iteration: one A, one Aᴴ, one D, one Dᴴ — A x̄ and D x̄ are extrapolated from A x, D x,
 * which the objective needs anyway.
 */
import type { LinearOperator } from '../ops/linop';
import { l21Norm, projectL2InfBall } from '../prox/linf-ball';
import { type IterativeAlgorithm, type StopCriteria, checkStop, relativeChange, stopReached } from './alg';
import { type LeastSquares, checkLeastSquares, residualValue } from './least-squares';
import { maxEigenvalue } from '../ops/linop';

export interface PdhgOptions extends StopCriteria {
  x0?: Float32Array;
  /** τ/σ; larger favours primal progress */
  ratio?: number;
  /** upper bound on ‖D‖² (default 4·components, the unweighted periodic gradient; see gradNormBound) */
  dNormSquared?: number;
}

export class Pdhg implements IterativeAlgorithm {
  readonly name = 'pdhg';
  readonly x: Float32Array;
  iteration = 0;
  objectiveValue = NaN;
  relChange = Infinity;
  private readonly stop: Required<StopCriteria>;
  private readonly tau: number;
  private readonly sigma: number;
  private readonly c: number;
  private readonly components: number;
  private readonly npix: number;
  private readonly xPrev: Float32Array;
  private readonly p: Float32Array;
  private readonly q: Float32Array;
  private readonly Ax: Float32Array;
  private readonly AxOld: Float32Array;
  private readonly Dx: Float32Array;
  private readonly DxOld: Float32Array;
  private readonly tmpA: Float32Array;
  private readonly tmpD: Float32Array;

  constructor(
    private readonly ls: LeastSquares,
    private readonly D: LinearOperator,
    private readonly lambda: number,
    options: PdhgOptions,
  ) {
    checkLeastSquares(ls);
    if (!(lambda >= 0)) throw new RangeError(`lambda must be ≥ 0, got ${lambda}`);
    this.stop = checkStop(options);
    const LA = ls.lipschitz ?? 1.05 * maxEigenvalue(ls.A, 20);
    this.components = D.outShape[0];
    this.npix = D.inShape.reduce((a, b) => a * b, 1);
    const LD = options.dNormSquared ?? 4 * this.components;
    if (!(LD > 0)) throw new RangeError(`dNormSquared must be > 0, got ${LD}`);
    this.c = Math.sqrt(LA / LD);
    const normK = Math.sqrt(2 * LA);
    const ratio = options.ratio ?? 1;
    this.tau = Math.sqrt(ratio) / normK;
    this.sigma = 1 / (Math.sqrt(ratio) * normK);
    const n = 2 * this.npix;
    this.x = options.x0 ? Float32Array.from(options.x0) : new Float32Array(n);
    this.xPrev = new Float32Array(n);
    this.p = new Float32Array(ls.b.length);
    this.q = new Float32Array(2 * this.components * this.npix);
    this.Ax = ls.A.forward(this.x);
    this.AxOld = Float32Array.from(this.Ax);
    this.Dx = D.forward(this.x);
    this.DxOld = Float32Array.from(this.Dx);
    this.tmpA = new Float32Array(n);
    this.tmpD = new Float32Array(n);
  }

  step(): void {
    const { ls, D, x, p, q, Ax, AxOld, Dx, DxOld, tau, sigma, c } = this;
    this.iteration++;
    const b = ls.b;
    // Duals at x̄ = 2x − x_old, using A x̄ = 2Ax − Ax_old (likewise for D).
    for (let i = 0; i < p.length; i++) p[i] = (p[i] + sigma * (2 * Ax[i] - AxOld[i] - b[i])) / (1 + sigma);
    for (let i = 0; i < q.length; i++) q[i] += sigma * c * (2 * Dx[i] - DxOld[i]);
    projectL2InfBall(q, this.lambda / c, this.components, this.npix, q);
    ls.A.adjoint(p, this.tmpA);
    D.adjoint(q, this.tmpD);
    this.xPrev.set(x);
    for (let i = 0; i < x.length; i++) x[i] -= tau * (this.tmpA[i] + c * this.tmpD[i]);
    AxOld.set(Ax);
    DxOld.set(Dx);
    ls.A.forward(x, Ax);
    D.forward(x, Dx);
    this.objectiveValue = residualValue(Ax, b) + this.lambda * l21Norm(Dx, this.components, this.npix);
    this.relChange = relativeChange(x, this.xPrev);
  }

  done(): boolean {
    return stopReached(this, this.stop);
  }
}
