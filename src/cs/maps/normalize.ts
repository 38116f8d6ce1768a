/**
 * Shared post-processing for estimated coil maps [C, H, W]: per-pixel normalisation to Σ_c|s_c|² = 1
 * (so ‖S‖ ≤ 1 and SᴴS is the support indicator), and a smooth phase convention.
 */

/** Σ_c |s_c(p)|² per pixel. */
export function mapsEnergy(maps: Float32Array, coils: number, n: number): Float32Array {
  const e = new Float32Array(n);
  for (let c = 0; c < coils; c++) {
    const off = 2 * c * n;
    for (let p = 0; p < n; p++) e[p] += maps[off + 2 * p] ** 2 + maps[off + 2 * p + 1] ** 2;
  }
  return e;
}

/** max_p Σ_c |s_c(p)|², an upper bound on ‖S‖² (and on ‖M F S‖²). */
export function mapsLipschitz(maps: Float32Array, coils: number, n: number): number {
  const e = mapsEnergy(maps, coils, n);
  let m = 0;
  for (let p = 0; p < n; p++) if (e[p] > m) m = e[p];
  return m;
}

/**
 * Rotates each pixel's map vector so that ⟨s(p), ref(p)⟩ = Σ_c conj(s_c) ref_c is real and positive.
 * With ref = low-resolution coil images, the coil-combined image Sᴴy is then close to real: the
 * smooth object phase moves into the maps, which spares TV and wavelets from penalising it.
 */
export function alignPhase(maps: Float32Array, ref: Float32Array, coils: number, n: number): void {
  for (let p = 0; p < n; p++) {
    let re = 0;
    let im = 0;
    for (let c = 0; c < coils; c++) {
      const i = 2 * (c * n + p);
      re += maps[i] * ref[i] + maps[i + 1] * ref[i + 1];
      im += maps[i] * ref[i + 1] - maps[i + 1] * ref[i];
    }
    const mag = Math.hypot(re, im);
    if (mag === 0) continue;
    // s ← s · e^{iφ} with φ = arg⟨s, ref⟩ makes ⟨s, ref⟩ real positive.
    const cr = re / mag;
    const ci = im / mag;
    for (let c = 0; c < coils; c++) {
      const i = 2 * (c * n + p);
      const sr = maps[i];
      const si = maps[i + 1];
      maps[i] = sr * cr - si * ci;
      maps[i + 1] = sr * ci + si * cr;
    }
  }
}
