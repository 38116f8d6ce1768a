/** Colin27 fixtures for the CS quality tests: gt.npy slices (128²) and the true 8-coil maps decimated to 128². */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy } from '../../../src/io/npy';
import { makeMask } from '../../../src/kspace/masks';
import type { Mask } from '../../../src/kspace/masks/types';
import { decimateMaps, simulateKspace, withSmoothPhase } from '../../../src/cs/simulate';

const root = join(__dirname, '..', '..', 'fixtures');
export const H = 128;
export const W = 128;

export function colinSlice(s: number): Float32Array {
  const gt = parseNpy(readFileSync(join(root, 'metrics', 'gt.npy')));
  return (gt.data as Float32Array).slice(s * H * W, (s + 1) * H * W);
}

let mapsCache: Float32Array | undefined;
export function colinMaps128(): Float32Array {
  if (!mapsCache) {
    const m = parseNpy(readFileSync(join(root, 'data', 'colin_multicoil_maps.npy')));
    mapsCache = decimateMaps(m.data as Float32Array, 8, 256, 256);
  }
  return mapsCache;
}

export function fastmriMask(acceleration = 4): Mask {
  return makeMask({ type: 'random', acceleration, centerFraction: 0.08, seed: 0 }, { height: H, width: W });
}

export function simulate(s: number, coils: 1 | 8, acceleration = 4) {
  const magnitude = colinSlice(s);
  const mask = fastmriMask(acceleration);
  const maps = coils === 8 ? colinMaps128() : undefined;
  const kspace = simulateKspace(withSmoothPhase(magnitude, H, W), H, W, mask, maps ? { data: maps, coils: 8 } : undefined);
  const range = magnitude.reduce((a, b) => Math.max(a, b), 0);
  return { magnitude, mask, maps, kspace, range };
}

/**
 * The slice shrunk 2× (2×2 means) and centred in the 128² field of view. The full-size slice touches the
 * FOV edges, where a single set of ESPIRiT maps cannot represent the wrapped coil phase (BART needs -m2
 * there too); real acquisitions leave a margin, which this reproduces.
 */
export function colinSliceWithMargin(s: number): Float32Array {
  const src = colinSlice(s);
  const out = new Float32Array(H * W);
  for (let y = 0; y < H / 2; y++)
    for (let x = 0; x < W / 2; x++) {
      const v =
        (src[2 * y * W + 2 * x] + src[2 * y * W + 2 * x + 1] + src[(2 * y + 1) * W + 2 * x] + src[(2 * y + 1) * W + 2 * x + 1]) /
        4;
      out[(y + H / 4) * W + x + W / 4] = v;
    }
  return out;
}

export function simulateWithMargin(s: number, acceleration = 4) {
  const magnitude = colinSliceWithMargin(s);
  const mask = fastmriMask(acceleration);
  const maps = colinMaps128();
  const kspace = simulateKspace(withSmoothPhase(magnitude, H, W), H, W, mask, { data: maps, coils: 8 });
  const range = magnitude.reduce((a, b) => Math.max(a, b), 0);
  return { magnitude, mask, maps, kspace, range };
}
