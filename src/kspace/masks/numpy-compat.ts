/** Python 3 `round(x)` / numpy `around`: ties go to the even neighbour, unlike Math.round. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * `np.arange(start, stop, step)` for an integer start and float step, value for value: numpy sizes
 * it as ceil((stop - start) / step) and fills element i as start + i * ((start + step) - start),
 * which can differ in the last bit from start + i * step.
 */
export function arangeFloat(start: number, stop: number, step: number): Float64Array {
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be finite and non-zero, got ${step}`);
  const len = Math.ceil((stop - start) / step);
  if (!(len > 0)) return new Float64Array(0);
  const out = new Float64Array(len);
  out[0] = start;
  if (len === 1) return out;
  out[1] = start + step;
  const delta = out[1] - start;
  for (let i = 2; i < len; i++) out[i] = start + i * delta;
  return out;
}
