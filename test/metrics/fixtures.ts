import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNpy } from '../../src/io/npy';

const dir = fileURLToPath(new URL('../fixtures/metrics/', import.meta.url));

export function loadImage(name: string): { data: Float32Array; shape: number[] } {
  // Copy into a plain Uint8Array: parseNpy's bytes.slice() does not copy a Node Buffer.
  const arr = parseNpy(new Uint8Array(readFileSync(dir + name)));
  return { data: arr.data as Float32Array, shape: arr.shape };
}

export function loadJson<T>(name: string): T {
  return JSON.parse(readFileSync(dir + name, 'utf8')) as T;
}

export interface CaseValues {
  nmse: number;
  psnr: number;
  ssim: number;
  ssim_slices: number[];
}
export const CASES = ['noise', 'blur', 'scaled'] as const;
