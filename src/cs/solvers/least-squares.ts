/**
 * The data-consistency term f(x) = ½‖A x − b‖² shared by the solvers, with ∇f(x) = Aᴴ(A x − b) and
 * Lipschitz constant ‖A‖². For the MRI encoding A = M F S, ‖A‖² ≤ max_pixel Σ_c |s_c|² (M a projection,
 * F unitary), which is 1 for normalised maps: the app passes that bound instead of running power
 * iterations, and FISTA's backtracking covers an underestimate.
 */
import { type LinearOperator, checkIn, shapeSize } from '../ops/linop';

export interface LeastSquares {
  A: LinearOperator;
  b: Float32Array;
  /** upper bound on ‖A‖² when known (skips power iteration) */
  lipschitz?: number;
}

export function checkLeastSquares(ls: LeastSquares): void {
  checkIn(ls.b, ls.A.outShape, 'data b');
}

/** ½‖Ax − b‖² from a precomputed Ax. */
export function residualValue(Ax: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    const r = Ax[i] - b[i];
    s += r * r;
  }
  return 0.5 * s;
}

export function imageLength(ls: LeastSquares): number {
  return 2 * shapeSize(ls.A.inShape);
}
