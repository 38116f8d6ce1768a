import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNpy } from '../../../src/io/npy';
import { mulberry32 } from '../../helpers/numeric';

export function fixturePath(rel: string): string {
  return fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url));
}

export function loadNpy(rel: string): { data: Float32Array; shape: number[] } {
  // Copy into a plain Uint8Array: parseNpy's bytes.slice() does not copy a Node Buffer.
  const arr = parseNpy(new Uint8Array(readFileSync(fixturePath(rel))));
  return { data: arr.data as Float32Array, shape: arr.shape };
}

export const rng = mulberry32;

export function randomArray(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => 2 * r() - 1);
}

/** Σ a_k·conj(b_k) over interleaved complex arrays, in float64. */
export function innerProduct(a: ArrayLike<number>, b: ArrayLike<number>): [number, number] {
  let re = 0;
  let im = 0;
  for (let i = 0; i < a.length; i += 2) {
    re += a[i] * b[i] + a[i + 1] * b[i + 1];
    im += a[i + 1] * b[i] - a[i] * b[i + 1];
  }
  return [re, im];
}
