/**
 * Argument checks shared by the numeric kernels. They throw RangeError naming the offending
 * parameter so a caller several layers up (CLI, worker, UI) can show which input was bad.
 */

type NumericArray = ArrayLike<number>;

/**
 * Throws on the first NaN or ±Infinity. One pass over the data: call it once where data enters
 * (file load, user input), not inside iterative solvers.
 */
export function assertFinite(x: NumericArray, name: string): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    // v - v is NaN exactly when v is NaN or ±Infinity, so one comparison covers both cases.
    if (v - v !== 0) {
      const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      throw new RangeError(`${name} contains ${what} at index ${i}`);
    }
  }
}

export function assertPositiveInt(n: number, name: string): void {
  if (!Number.isInteger(n) || n <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${n}`);
  }
}

export function assertLength(x: NumericArray, expected: number, name: string): void {
  if (x.length !== expected) {
    throw new RangeError(`${name} has length ${x.length}, expected ${expected}`);
  }
}

export function assertNonEmpty(x: NumericArray, name: string): void {
  if (x.length === 0) throw new RangeError(`${name} is empty`);
}
