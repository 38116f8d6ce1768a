/**
 * A closed convex function g with a cheap proximal map, as the solvers consume it:
 *   prox(v, t) = argmin_x ½‖x − v‖² + t·g(x).
 * Vectors are complex interleaved Float32Array; `out` may alias `v` unless stated otherwise.
 */
export interface ProxFunction {
  readonly name: string;
  value(x: Float32Array): number;
  prox(v: Float32Array, t: number, out?: Float32Array): Float32Array;
  /**
   * Set when g is a (group) shrinkage a solver may fuse into its own loops instead of calling prox and
   * value: g(x) = λ Σ_i w_i ‖(x_{0,i}, …, x_{K−1,i})‖ over groups of K = components complex values
   * strided by n (K = 1: the complex L1 norm, n unused), w the optional per-group weights.
   */
  readonly shrink?: ShrinkSpec;
}

export interface ShrinkSpec {
  lambda: number;
  components: number;
  n: number;
  weights?: Float32Array;
}
