/** Deterministic LCG noise in [−0.5, 0.5), complex interleaved (no vitest import: usable from scripts). */
export function randomComplex(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < out.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = s / 4294967296 - 0.5;
  }
  return out;
}
