/**
 * A closed convex function g with a cheap proximal map, as the solvers consume it:
 *   prox(v, t) = argmin_x ½‖x − v‖² + t·g(x).
 * Vectors are complex interleaved Float32Array; `out` may alias `v` unless stated otherwise.
 */
export interface ProxFunction {
  readonly name: string;
  value(x: Float32Array): number;
  prox(v: Float32Array, t: number, out?: Float32Array): Float32Array;
}
