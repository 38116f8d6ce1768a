/**
 * One slice through the whole pipeline: read k-space, check it, undersample with the mask, run the
 * method, crop the magnitude to the scan's image size. Pure apart from the read. reconstructScanVolume
 * does the same for every slice at once, for methods that couple the slices (3-D TV).
 */
import type { MaskSpec, MethodSpec } from '../contract/schemas';
import { centerCrop, complexCenterCrop } from '../kspace/coils';
import { applyMaskBatch, makeMask } from '../kspace/masks';
import type { Mask } from '../kspace/masks/types';
import { assertFinite } from '../kspace/validate';
import type { ScanSource } from '../io/scan';
import { getMethod } from './methods';
import { CancelledError, type ReconContext, type SliceOutput } from './types';

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

function cropOutput(out: SliceOutput, height: number, width: number, imageShape: [number, number]): SliceOutput {
  const [ch, cw] = imageShape;
  if (ch === height && cw === width) return out;
  return {
    ...out,
    magnitude: centerCrop(out.magnitude, height, width, ch, cw),
    complex: out.complex && complexCenterCrop(out.complex, height, width, ch, cw),
  };
}

/**
 * The whole scan through the pipeline in one method call (methods with reconstructVolume): k-space of
 * every slice read, checked and undersampled with the same mask into one [slices, coils, H, W] array,
 * then each slice's result cropped as reconstructScanSlice does. Polls ctx.isCancelled between reads.
 */
export async function reconstructScanVolume(
  source: ScanSource,
  maskSpec: MaskSpec,
  methodSpec: MethodSpec,
  imageShape: [number, number],
  ctx: ReconContext,
): Promise<SliceOutput[]> {
  const { slices, coils, height, width } = source;
  const { method, ...params } = methodSpec;
  const m = getMethod(method);
  if (!m.reconstructVolume) throw new RangeError(`method ${method} does not reconstruct whole volumes`);
  const mask = maskFor(maskSpec, height, width);
  const per = 2 * coils * height * width;
  const kspace = new Float32Array(slices * per);
  const buf = new Float32Array(per);
  for (let s = 0; s < slices; s++) {
    if (ctx.isCancelled()) throw new CancelledError();
    const k = source.readKspace(s, buf);
    assertFinite(k, `kspace of slice ${s}`);
    applyMaskBatch(k, coils, height, width, mask, kspace.subarray(s * per, (s + 1) * per));
  }
  const out = await m.reconstructVolume({ kspace, slices, coils, height, width, mask, imageShape }, params, ctx);
  if (out.slices.length !== slices) throw new Error(`${method}: returned ${out.slices.length} slices for ${slices}`);
  return out.slices.map((o) => cropOutput(o, height, width, imageShape));
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
  return cropOutput(out, height, width, imageShape);
}
