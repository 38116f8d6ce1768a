import { assertLength, assertPositiveInt } from '../validate';

/** Validates [count, h, w] sizes and that `x` holds count·h·w·floatsPerPixel values. */
export function checkStack(
  x: ArrayLike<number>,
  name: string,
  count: number,
  countName: string,
  h: number,
  w: number,
  floatsPerPixel: 1 | 2,
): void {
  assertPositiveInt(count, countName);
  assertPositiveInt(h, 'h');
  assertPositiveInt(w, 'w');
  assertLength(x, count * h * w * floatsPerPixel, name);
}

/** Returns `out` after checking its length, or a fresh array of `length`. */
export function outputArray(out: Float32Array | undefined, length: number): Float32Array {
  if (out === undefined) return new Float32Array(length);
  assertLength(out, length, 'out');
  return out;
}
