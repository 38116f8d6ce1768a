import { calibrationBox, fillBox, targetCount } from './calibration';
import { randomStateFor } from './seed';
import { summarize } from './summary';
import { checkAcceleration } from './validate';
import type { Mask, MaskParams, MaskShape } from './types';

/** Radius growth from centre to edge: r = r0 (1 + VARIABLE_DENSITY · ρ), ρ = 1 at the edge of each axis. */
const VARIABLE_DENSITY = 1;
const MAX_SEARCH_STEPS = 24;
/** Stop searching the radius once the dart-throwing count is this close (relative) to the target. */
const COUNT_TOLERANCE = 0.005;

/** Per-axis accelerations: given ones win; a missing one fills in so their product is `acceleration`. */
export function poissonAccelerations(params: MaskParams): [number, number] {
  const { accelerationY: ay, accelerationZ: az, acceleration } = params;
  if (ay !== undefined) checkAcceleration('accelerationY', ay);
  if (az !== undefined) checkAcceleration('accelerationZ', az);
  if (ay !== undefined && az !== undefined) return [ay, az];
  if (ay !== undefined) return [ay, Math.max(1, acceleration / ay)];
  if (az !== undefined) return [Math.max(1, acceleration / az), az];
  const s = Math.sqrt(acceleration);
  return [s, s];
}

/**
 * Variable-density Poisson-disc 2-D mask in the spirit of BART's `poisson`: distances are measured
 * with the axes shrunk by their accelerations (so spacing is ay apart along rows and az along
 * columns), the exclusion radius grows away from the centre, and the calibration box is fully
 * sampled. Darts are thrown once over every cell in a seeded random order (a maximal, jammed
 * pattern); the base radius is bisected until the count is near round(N / (ay·az)), and the last
 * few points are added or removed at random so that count is hit exactly.
 */
export function poisson2dMask(params: MaskParams, shape: MaskShape): Mask {
  const { height, width } = shape;
  const total = height * width;
  const [ay, az] = poissonAccelerations(params);
  const box = calibrationBox(params, shape);
  const base = new Uint8Array(total);
  const boxCount = fillBox(base, width, box);
  const target = targetCount(total, ay * az, boxCount);
  if (target === boxCount) return summarize(2, height, width, base, box.cols, [box.rows, box.cols]);

  const rng = randomStateFor(params.seed);
  const order = rng.permutation(total).filter((i) => !base[i]);
  const growth = radialGrowth(height, width);
  const want = target - boxCount;

  const throwDarts = (r0: number): Uint8Array => {
    const data = base.slice();
    for (const i of order) if (isFree(data, i, r0 * growth[i], ay, az, height, width)) data[i] = 1;
    return data;
  };
  const countOuter = (d: Uint8Array) => countOnes(d) - boxCount;

  // count(r0) falls as r0 grows; r0 = 0 accepts every cell. Bracket, then bisect.
  let lo = 0;
  let hi = 1;
  let best = throwDarts(hi);
  let bestCount = countOuter(best);
  while (bestCount > want && hi < 1e6) {
    lo = hi;
    hi *= 2;
    best = throwDarts(hi);
    bestCount = countOuter(best);
  }
  for (let step = 0; step < MAX_SEARCH_STEPS && Math.abs(bestCount - want) > COUNT_TOLERANCE * want; step++) {
    const mid = 0.5 * (lo + hi);
    const d = throwDarts(mid);
    const c = countOuter(d);
    if (Math.abs(c - want) < Math.abs(bestCount - want)) {
      best = d;
      bestCount = c;
    }
    if (c > want) lo = mid;
    else hi = mid;
  }
  adjustCount(best, order, want - bestCount, rng.permutation(order.length));
  return summarize(2, height, width, best, box.cols, [box.rows, box.cols]);
}

function radialGrowth(height: number, width: number): Float64Array {
  const g = new Float64Array(height * width);
  const cy = Math.floor(height / 2);
  const cx = Math.floor(width / 2);
  for (let y = 0; y < height; y++) {
    const ry = (y - cy) / Math.max(1, height / 2);
    for (let x = 0; x < width; x++) {
      const rx = (x - cx) / Math.max(1, width / 2);
      g[y * width + x] = 1 + VARIABLE_DENSITY * Math.sqrt(ry * ry + rx * rx);
    }
  }
  return g;
}

/** True when no sampled cell lies within scaled distance r of cell i. */
function isFree(data: Uint8Array, i: number, r: number, ay: number, az: number, height: number, width: number): boolean {
  const y = Math.floor(i / width);
  const x = i - y * width;
  const wy = Math.floor(r * ay);
  const wx = Math.floor(r * az);
  const r2 = r * r;
  const y0 = Math.max(0, y - wy);
  const y1 = Math.min(height - 1, y + wy);
  const x0 = Math.max(0, x - wx);
  const x1 = Math.min(width - 1, x + wx);
  for (let yy = y0; yy <= y1; yy++) {
    const dy = (yy - y) / ay;
    const dy2 = dy * dy;
    if (dy2 >= r2) continue;
    const row = yy * width;
    for (let xx = x0; xx <= x1; xx++) {
      if (!data[row + xx]) continue;
      const dx = (xx - x) / az;
      if (dy2 + dx * dx < r2) return false;
    }
  }
  return true;
}

function countOnes(d: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < d.length; i++) n += d[i];
  return n;
}

/** Adds (delta > 0) or removes (delta < 0) |delta| non-calibration points (`order` excludes the box), picked by `shuffle`. */
function adjustCount(data: Uint8Array, order: Int32Array, delta: number, shuffle: Int32Array): void {
  for (let k = 0; k < shuffle.length && delta !== 0; k++) {
    const i = order[shuffle[k]];
    if (delta > 0 && !data[i]) {
      data[i] = 1;
      delta--;
    } else if (delta < 0 && data[i]) {
      data[i] = 0;
      delta++;
    }
  }
}
