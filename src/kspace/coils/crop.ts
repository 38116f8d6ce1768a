import { assertPositiveInt } from '../validate';
import { checkStack } from './shape';

/**
 * Centre crops and pads following fastMRI's center_crop: the crop starts at (size − crop) // 2,
 * so for odd differences the extra row/column is dropped at the end. Padding places the image at
 * (target − size) // 2, which makes pad the exact inverse of crop.
 */

function checkCrop(h: number, w: number, ch: number, cw: number): void {
  assertPositiveInt(ch, 'ch');
  assertPositiveInt(cw, 'cw');
  if (ch > h) throw new RangeError(`ch ${ch} is larger than the image height ${h}`);
  if (cw > w) throw new RangeError(`cw ${cw} is larger than the image width ${w}`);
}

/**
 * Copies the overlap of each [h, w] image (floats per pixel: 1 real, 2 complex) into a
 * [th, tw] image, aligning centres by fastMRI's convention. Regions with no source stay zero.
 */
function centerFit(src: Float32Array, batch: number, h: number, w: number, th: number, tw: number, fpp: 1 | 2): Float32Array {
  const out = new Float32Array(batch * th * tw * fpp);
  // Offsets of the copied block in source and target; one of each pair is 0.
  const sy = h > th ? (h - th) >> 1 : 0;
  const sx = w > tw ? (w - tw) >> 1 : 0;
  const ty = th > h ? (th - h) >> 1 : 0;
  const tx = tw > w ? (tw - w) >> 1 : 0;
  const rows = Math.min(h, th);
  const rowLen = Math.min(w, tw) * fpp;
  for (let b = 0; b < batch; b++) {
    const srcBase = b * h * w * fpp;
    const dstBase = b * th * tw * fpp;
    for (let y = 0; y < rows; y++) {
      const from = srcBase + ((sy + y) * w + sx) * fpp;
      out.set(src.subarray(from, from + rowLen), dstBase + ((ty + y) * tw + tx) * fpp);
    }
  }
  return out;
}

/** Centre crop of a real [h, w] image to [ch, cw]. */
export function centerCrop(img: Float32Array, h: number, w: number, ch: number, cw: number): Float32Array {
  return centerCropBatch(img, 1, h, w, ch, cw);
}

/** Centre crop of every real image in a [batch, h, w] stack. */
export function centerCropBatch(img: Float32Array, batch: number, h: number, w: number, ch: number, cw: number): Float32Array {
  checkStack(img, 'img', batch, 'batch', h, w, 1);
  checkCrop(h, w, ch, cw);
  return centerFit(img, batch, h, w, ch, cw, 1);
}

/** Centre crop of an interleaved complex [h, w] image (fastMRI's complex_center_crop). */
export function complexCenterCrop(img: Float32Array, h: number, w: number, ch: number, cw: number): Float32Array {
  return complexCenterCropBatch(img, 1, h, w, ch, cw);
}

/** Centre crop of every interleaved complex image in a [batch, h, w] stack (e.g. coils). */
export function complexCenterCropBatch(
  img: Float32Array,
  batch: number,
  h: number,
  w: number,
  ch: number,
  cw: number,
): Float32Array {
  checkStack(img, 'img', batch, 'batch', h, w, 2);
  checkCrop(h, w, ch, cw);
  return centerFit(img, batch, h, w, ch, cw, 2);
}

/**
 * Crops each dimension that is larger than the target and zero-pads each that is smaller,
 * independently per dimension, for a [batch, h, w] stack (real, or complex with complex: true).
 */
export function centerPadOrCrop(
  img: Float32Array,
  batch: number,
  h: number,
  w: number,
  th: number,
  tw: number,
  complex = false,
): Float32Array {
  const fpp = complex ? 2 : 1;
  checkStack(img, 'img', batch, 'batch', h, w, fpp);
  assertPositiveInt(th, 'th');
  assertPositiveInt(tw, 'tw');
  return centerFit(img, batch, h, w, th, tw, fpp);
}

/**
 * The crop size fastMRI's UnetDataTransform uses for an [h, w] image and a [targetH, targetW]
 * target (or recon_size). When the image is narrower than the target (the "FLAIR 203" brain
 * volumes) it crops to a w×w square, not to min(target, image) per dimension. A result larger
 * than the image in h would make fastMRI raise; here it is returned as is and the crop throws.
 */
export function unetCropSize(h: number, w: number, targetH: number, targetW: number): [number, number] {
  assertPositiveInt(h, 'h');
  assertPositiveInt(w, 'w');
  assertPositiveInt(targetH, 'targetH');
  assertPositiveInt(targetW, 'targetW');
  return w < targetW ? [w, w] : [targetH, targetW];
}

/**
 * Removes 2× readout oversampling from complex coil images [coils, h, w]: keeps the central
 * floor(h / 2) rows (readout runs along rows, H; fastMRI knee 640 → 320 keeps rows 160..479).
 * Returns [coils, floor(h / 2), w].
 */
export function removeReadoutOversampling(coilImages: Float32Array, coils: number, h: number, w: number): Float32Array {
  checkStack(coilImages, 'coilImages', coils, 'coils', h, w, 2);
  if (h < 2) throw new RangeError(`h must be at least 2 to remove readout oversampling, got ${h}`);
  return centerFit(coilImages, coils, h, w, h >> 1, w, 2);
}
