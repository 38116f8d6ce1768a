import { checkStack, outputArray } from './shape';
import { assertLength } from '../validate';

/**
 * SENSE coil operators with sensitivity maps S [coils, h, w] (interleaved complex):
 * senseForward x ↦ (S_c·x)_c and its exact adjoint senseAdjoint y ↦ Σ_c conj(S_c)·y_c, for use
 * inside iterative solvers; sensitivityCombine is the normalised combination for display.
 * No NaN scan here: these run every solver iteration, so validate data where it enters.
 */

export const SENSE_EPS = 1e-12;

function checkMaps(maps: Float32Array, coils: number, h: number, w: number): void {
  checkStack(maps, 'maps', coils, 'coils', h, w, 2);
}

/** Image [h, w] → coil images [coils, h, w]: S_c·x. */
export function senseForward(
  image: Float32Array,
  maps: Float32Array,
  coils: number,
  h: number,
  w: number,
  out?: Float32Array,
): Float32Array {
  checkMaps(maps, coils, h, w);
  assertLength(image, 2 * h * w, 'image');
  const n2 = 2 * h * w;
  const res = outputArray(out, coils * n2);
  for (let c = 0; c < coils; c++) {
    const base = c * n2;
    for (let p = 0; p < n2; p += 2) {
      const sr = maps[base + p];
      const si = maps[base + p + 1];
      const xr = image[p];
      const xi = image[p + 1];
      res[base + p] = sr * xr - si * xi;
      res[base + p + 1] = sr * xi + si * xr;
    }
  }
  return res;
}

function adjointInto(coilImages: Float32Array, maps: Float32Array, coils: number, n2: number, acc: Float64Array): void {
  for (let c = 0; c < coils; c++) {
    const base = c * n2;
    for (let p = 0; p < n2; p += 2) {
      const sr = maps[base + p];
      const si = maps[base + p + 1];
      const yr = coilImages[base + p];
      const yi = coilImages[base + p + 1];
      acc[p] += sr * yr + si * yi;
      acc[p + 1] += sr * yi - si * yr;
    }
  }
}

/** Coil images [coils, h, w] → image [h, w]: Σ_c conj(S_c)·y_c, the exact adjoint of senseForward. */
export function senseAdjoint(
  coilImages: Float32Array,
  maps: Float32Array,
  coils: number,
  h: number,
  w: number,
  out?: Float32Array,
): Float32Array {
  checkMaps(maps, coils, h, w);
  assertLength(coilImages, maps.length, 'coilImages');
  const n2 = 2 * h * w;
  const acc = new Float64Array(n2);
  adjointInto(coilImages, maps, coils, n2, acc);
  const res = outputArray(out, n2);
  res.set(acc);
  return res;
}

/**
 * Sensitivity-weighted coil combination Σ_c conj(S_c)·x_c / max(Σ_c |S_c|², eps): the
 * least-squares image for fully sampled data, exact inverse of senseForward where the maps
 * are non-zero. Pixels without coverage come out 0.
 */
export function sensitivityCombine(
  coilImages: Float32Array,
  maps: Float32Array,
  coils: number,
  h: number,
  w: number,
  out?: Float32Array,
  eps = SENSE_EPS,
): Float32Array {
  checkMaps(maps, coils, h, w);
  assertLength(coilImages, maps.length, 'coilImages');
  if (!(eps > 0)) throw new RangeError(`eps must be positive, got ${eps}`);
  const n = h * w;
  const n2 = 2 * n;
  const acc = new Float64Array(n2);
  adjointInto(coilImages, maps, coils, n2, acc);
  const norm = new Float64Array(n);
  for (let c = 0; c < coils; c++) {
    const base = c * n2;
    for (let i = 0; i < n; i++) {
      const sr = maps[base + 2 * i];
      const si = maps[base + 2 * i + 1];
      norm[i] += sr * sr + si * si;
    }
  }
  const res = outputArray(out, n2);
  for (let i = 0; i < n; i++) {
    const d = Math.max(norm[i], eps);
    res[2 * i] = acc[2 * i] / d;
    res[2 * i + 1] = acc[2 * i + 1] / d;
  }
  return res;
}
