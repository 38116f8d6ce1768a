import { LineMaskFunc } from './line-mask';
import { RandomMaskFunc } from './random';
import { EquispacedMaskFunc } from './equispaced';
import { EquispacedFractionMaskFunc } from './equispaced-fraction';
import { MagicMaskFunc } from './magic';
import { MagicFractionMaskFunc } from './magic-fraction';
import { gaussian2dMask } from './gaussian2d';
import { poisson2dMask } from './poisson2d';
import { customMask } from './custom';
import { fullMask } from './none';
import { checkParams } from './validate';
import type { Mask, MaskParams, MaskShape, MaskType } from './types';

export type { Mask, MaskParams, MaskShape, MaskType, Seed } from './types';
export { applyMask, applyMaskBatch, maskToImage } from './apply';
// File loaders live in './from-file' and are not re-exported: pngjs needs Node's Buffer.

/** Labels and one-line descriptions for the UI, in display order. */
export const MASK_TYPES: ReadonlyArray<{ type: MaskType; label: string; dims: 1 | 2; description: string }> = [
  {
    type: 'random',
    label: 'Random (fastMRI)',
    dims: 1,
    description:
      'Fully sampled centre band; other columns kept at random so that on average 1/acceleration of all columns are sampled.',
  },
  {
    type: 'equispaced',
    label: 'Equispaced (fastMRI)',
    dims: 1,
    description:
      'Centre band plus every acceleration-th column from a random offset; true acceleration is below the requested one.',
  },
  {
    type: 'equispaced_fraction',
    label: 'Equispaced, exact fraction (fastMRI)',
    dims: 1,
    description:
      'Centre band plus near-equally spaced columns, spacing adjusted so the total matches the requested acceleration.',
  },
  {
    type: 'magic',
    label: 'Offset / "magic" (fastMRI)',
    dims: 1,
    description: 'Equispaced with the two halves of k-space offset to exploit conjugate symmetry (Defazio 2019).',
  },
  {
    type: 'magic_fraction',
    label: 'Offset / "magic", exact fraction (fastMRI)',
    dims: 1,
    description: 'Offset sampling with the centre band and spacing adjusted to match the requested acceleration.',
  },
  {
    type: 'gaussian2d',
    label: 'Gaussian variable density (2-D)',
    dims: 2,
    description:
      'Random points over the whole plane, denser near the centre (Gaussian fall-off), with a fully sampled calibration box.',
  },
  {
    type: 'poisson2d',
    label: 'Poisson disc (2-D, BART-style)',
    dims: 2,
    description: 'Variable-density Poisson-disc points (no two too close) with per-axis accelerations and a calibration box.',
  },
  {
    type: 'custom',
    label: 'Custom (drawn or loaded)',
    dims: 2,
    description: 'A mask drawn in the editor or loaded from .npy / .png: one row of columns (1-D) or a full plane (2-D).',
  },
  { type: 'none', label: 'None (fully sampled)', dims: 1, description: 'Every column sampled; acceleration 1.' },
];

const LINE_MASKS: Partial<Record<MaskType, new (centerFraction: number, acceleration: number) => LineMaskFunc>> = {
  random: RandomMaskFunc,
  equispaced: EquispacedMaskFunc,
  equispaced_fraction: EquispacedFractionMaskFunc,
  magic: MagicMaskFunc,
  magic_fraction: MagicFractionMaskFunc,
};

/**
 * Builds a mask for k-space of `shape` (rows × columns). fastMRI types are bit-identical to
 * fastMRI's MaskFunc for the same integer or file-name seed. Throws RangeError on bad input.
 */
export function makeMask(params: MaskParams, shape: MaskShape): Mask {
  checkParams(params, shape);
  const { height, width } = shape;
  const Line = LINE_MASKS[params.type];
  if (Line) return new Line(params.centerFraction, params.acceleration).make(width, height, params.seed);
  switch (params.type) {
    case 'gaussian2d':
      return gaussian2dMask(params, shape);
    case 'poisson2d':
      return poisson2dMask(params, shape);
    case 'custom':
      return customMask(params.data, params.dataShape, shape);
    case 'none':
      return fullMask(height, width);
    default:
      throw new RangeError(`mask: type ${params.type} is not supported`);
  }
}
