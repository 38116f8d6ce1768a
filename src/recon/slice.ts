/**
 * One slice through the whole pipeline: read k-space, check it, undersample with the mask, run the
 * method, crop the magnitude to the scan's image size. Pure apart from the read.
 */
import type { MaskSpec, MethodSpec } from '../contract/schemas';
import { centerCrop, complexCenterCrop } from '../kspace/coils';
import { applyMaskBatch, makeMask } from '../kspace/masks';
import type { Mask } from '../kspace/masks/types';
import { assertFinite } from '../kspace/validate';
import type { ScanSource } from '../io/scan';
import { getMethod } from './methods';
import type { ReconContext, SliceOutput } from './types';

/** The mask a spec describes for this k-space size; one that samples nothing is refused. */
export function maskFor(spec: MaskSpec, height: number, width: number): Mask {
  const mask = makeMask(
    {
      type: spec.type,
      acceleration: spec.acceleration,
      centerFraction: spec.centerFraction,
      seed: spec.seed,
      accelerationY: spec.accelerationY,
      accelerationZ: spec.accelerationZ,
      calibration: spec.calibration,
      data: spec.data,
      dataShape: spec.dataShape,
    },
    { height, width },
  );
  if (mask.sampledFraction === 0) {
    throw new RangeError(
      `mask: samples no k-space at all (${spec.type}, width ${width}); raise centerFraction or lower acceleration`,
    );
  }
  return mask;
}

export async function reconstructScanSlice(
  source: ScanSource,
  slice: number,
  maskSpec: MaskSpec,
  methodSpec: MethodSpec,
  imageShape: [number, number],
  ctx: ReconContext,
): Promise<SliceOutput> {
  const { coils, height, width } = source;
  const kspace = source.readKspace(slice);
  assertFinite(kspace, `kspace of slice ${slice}`);
  const mask = maskFor(maskSpec, height, width);
  const masked = applyMaskBatch(kspace, coils, height, width, mask);
  const { method, ...params } = methodSpec;
  const out = await getMethod(method).reconstructSlice({ kspace: masked, coils, height, width, mask, imageShape }, params, ctx);
  const [ch, cw] = imageShape;
  if (ch === height && cw === width) return out;
  return {
    ...out,
    magnitude: centerCrop(out.magnitude, height, width, ch, cw),
    complex: out.complex && complexCenterCrop(out.complex, height, width, ch, cw),
  };
}
