/**
 * Automatic data scaling so one default λ works across scans (the rule of BART `pics`, its
 * estimate_scaling): take the adjoint (zero-filled, coil-combined) image x₀ = Aᴴy, and the 50th, 90th and
 * 100th percentiles of |x₀|. The reference magnitude is the 90th percentile, or the maximum when the
 * top decile is not heavy-tailed — (max − p90) < 2·(p90 − median) — exactly BART's test. The data are
 * multiplied by scale = 1/reference, so the scaled zero-filled image has its reference magnitude at 1;
 * λ then acts on images of unit brightness. The app divides the result by the same factor.
 */
export function estimateScaling(x0: Float32Array): number {
  const n = x0.length >> 1;
  if (n === 0) return 1;
  const mags = new Float32Array(n);
  for (let i = 0; i < n; i++) mags[i] = Math.sqrt(x0[2 * i] * x0[2 * i] + x0[2 * i + 1] * x0[2 * i + 1]);
  mags.sort();
  const med = mags[Math.floor(n * 0.5)];
  const p90 = mags[Math.min(n - 1, Math.floor(n * 0.9))];
  const max = mags[n - 1];
  const ref = max - p90 < 2 * (p90 - med) ? p90 : max;
  if (!(ref > 0) || !Number.isFinite(ref)) return 1;
  return 1 / ref;
}
