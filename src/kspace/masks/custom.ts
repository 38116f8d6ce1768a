import { summarize } from './summary';
import type { Mask, MaskShape } from './types';

/** Counts the leading run of contiguous sampled columns around W/2, for reporting only. */
function centreRun(line: Uint8Array): number {
  const mid = Math.floor(line.length / 2);
  if (!line[mid]) return 0;
  let lo = mid;
  let hi = mid;
  while (lo > 0 && line[lo - 1]) lo--;
  while (hi < line.length - 1 && line[hi + 1]) hi++;
  return hi - lo + 1;
}

/**
 * A user-drawn or loaded mask: 1-D (one entry per column) or 2-D (height × width). A [1, W] shape
 * counts as 1-D so a one-row drawing or image applies to every row.
 */
export function customMask(
  data: Uint8Array | undefined,
  dataShape: [number, number] | [number] | undefined,
  shape: MaskShape,
): Mask {
  if (!data) throw new RangeError('mask: data is required for a custom mask');
  const { height, width } = shape;
  let dims: 1 | 2;
  if (dataShape === undefined) {
    if (data.length === width) dims = 1;
    else if (data.length === height * width) dims = 2;
    else throw new RangeError(`mask: data length must be width ${width} or height×width ${height * width}, got ${data.length}`);
  } else if (dataShape.length === 1 || (dataShape.length === 2 && dataShape[0] === 1 && height !== 1)) {
    const w = dataShape.length === 1 ? dataShape[0] : dataShape[1];
    if (w !== width) throw new RangeError(`mask: dataShape width must be ${width}, got ${w}`);
    dims = 1;
  } else if (dataShape.length === 2) {
    if (dataShape[0] !== height || dataShape[1] !== width) {
      throw new RangeError(`mask: dataShape must be [${height}, ${width}], got [${dataShape.join(', ')}]`);
    }
    dims = 2;
  } else {
    throw new RangeError(`mask: dataShape must have 1 or 2 entries, got ${JSON.stringify(dataShape)}`);
  }
  const expected = dims === 1 ? width : height * width;
  if (data.length !== expected) throw new RangeError(`mask: data length must be ${expected} for dataShape, got ${data.length}`);
  for (let i = 0; i < data.length; i++) {
    if (data[i] > 1) throw new RangeError(`mask: data must hold only 0 and 1, got ${data[i]} at index ${i}`);
  }
  const copy = data.slice();
  const centreLine = dims === 1 ? copy : copy.subarray(Math.floor(height / 2) * width, (Math.floor(height / 2) + 1) * width);
  return summarize(dims, height, width, copy, centreRun(centreLine));
}
