import { describe, expect, it } from 'vitest';
import { espiritMaps } from '../../../src/cs/maps/espirit';
import { lowresMaps } from '../../../src/cs/maps/lowres';
import { calibrationRegion } from '../../../src/cs/maps/calibration';
import { H, W, simulateWithMargin } from '../helpers/colin';

/** Mean over the object support of |⟨s_est, s_true⟩| / (‖s_est‖‖s_true‖): 1 = equal up to a per-pixel phase. */
function agreement(est: Float32Array, truth: Float32Array, support: Float32Array, coils: number) {
  const N = H * W;
  const mx = support.reduce((a, b) => Math.max(a, b), 0);
  let sum = 0;
  let cnt = 0;
  let missing = 0;
  for (let p = 0; p < N; p++) {
    if (support[p] < 0.1 * mx) continue;
    let re = 0;
    let im = 0;
    let na = 0;
    let nb = 0;
    for (let c = 0; c < coils; c++) {
      const i = 2 * (c * N + p);
      re += est[i] * truth[i] + est[i + 1] * truth[i + 1];
      im += est[i] * truth[i + 1] - est[i + 1] * truth[i];
      na += est[i] ** 2 + est[i + 1] ** 2;
      nb += truth[i] ** 2 + truth[i + 1] ** 2;
    }
    if (na === 0) {
      missing++;
      continue;
    }
    sum += Math.hypot(re, im) / Math.sqrt(na * nb);
    cnt++;
  }
  return { mean: sum / cnt, missing: missing / (cnt + missing) };
}

describe('coil maps from simulated 8-coil Colin27 k-space (4×)', () => {
  const d = simulateWithMargin(1);
  it('finds the fully sampled centre', () => {
    const r = calibrationRegion(d.mask, H, W, 24);
    expect(r.cols).toBeGreaterThanOrEqual(8);
    expect(r.rows).toBe(24);
  });
  it('ESPIRiT agrees with the true maps up to a per-pixel phase, normalised', () => {
    const est = espiritMaps(d.kspace, 8, H, W, d.mask);
    const a = agreement(est, d.maps!, d.magnitude, 8);
    expect(a.mean).toBeGreaterThan(0.99);
    expect(a.missing).toBeLessThan(0.02);
    for (let p = 0; p < H * W; p += 97) {
      let e = 0;
      for (let c = 0; c < 8; c++) e += est[2 * (c * H * W + p)] ** 2 + est[2 * (c * H * W + p) + 1] ** 2;
      if (e > 0) expect(e).toBeCloseTo(1, 4);
    }
  });
  it('lowres maps agree too', () => {
    const a = agreement(lowresMaps(d.kspace, 8, H, W, d.mask), d.maps!, d.magnitude, 8);
    expect(a.mean).toBeGreaterThan(0.95);
  });
});
