/**
 * Common shape of the iterative solvers (SigPy `Alg` style): construct with the problem, then call
 * `step()` until `done()`. Each step updates `x`, `objectiveValue` (the full cost at x, or at the step's
 * candidate for monotone schemes) and `relChange` = ‖x_k − x_{k−1}‖ / ‖x_k‖. The driver `runAlgorithm`
 * adds cancellation (polled between steps: a busy worker cannot receive messages) and progress.
 */

export interface IterativeAlgorithm {
  readonly name: string;
  /** current estimate; the algorithm owns it and updates it in place */
  readonly x: Float32Array;
  readonly iteration: number;
  readonly objectiveValue: number;
  readonly relChange: number;
  step(): void;
  done(): boolean;
}

export interface StopCriteria {
  /** iteration cap, ≥ 1 */
  maxIterations: number;
  /** stop once relChange ≤ tolerance (0 disables) */
  tolerance?: number;
}

export function checkStop(stop: StopCriteria): Required<StopCriteria> {
  if (!Number.isInteger(stop.maxIterations) || stop.maxIterations < 1) {
    throw new RangeError(`maxIterations must be a positive integer, got ${stop.maxIterations}`);
  }
  const tolerance = stop.tolerance ?? 0;
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${stop.tolerance}`);
  return { maxIterations: stop.maxIterations, tolerance };
}

export function stopReached(alg: IterativeAlgorithm, stop: Required<StopCriteria>): boolean {
  if (alg.iteration >= stop.maxIterations) return true;
  return alg.iteration > 1 && stop.tolerance > 0 && alg.relChange <= stop.tolerance;
}

export interface RunOptions {
  isCancelled?: () => boolean;
  onIteration?: (iteration: number, objective: number, relChange: number) => void;
}

export interface RunResult {
  iterations: number;
  objective: number[];
  relChange: number[];
  cancelled: boolean;
}

export function runAlgorithm(alg: IterativeAlgorithm, options: RunOptions = {}): RunResult {
  const objective: number[] = [];
  const relChange: number[] = [];
  let cancelled = false;
  while (!alg.done()) {
    if (options.isCancelled?.()) {
      cancelled = true;
      break;
    }
    alg.step();
    objective.push(alg.objectiveValue);
    relChange.push(alg.relChange);
    options.onIteration?.(alg.iteration, alg.objectiveValue, alg.relChange);
  }
  return { iterations: alg.iteration, objective, relChange, cancelled };
}

/** ‖a − b‖ / ‖a‖ in double precision (0 when both are 0). */
export function relativeChange(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const t = a[i] - b[i];
    d += t * t;
    n += a[i] * a[i];
  }
  if (n === 0) return d === 0 ? 0 : Infinity;
  return Math.sqrt(d / n);
}
