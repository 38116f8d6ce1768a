import type { Mask } from './types';

export function countSampled(data: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (data[i]) n++;
  return n;
}

/** Wraps raw 0/1 data with its effective acceleration (total / sampled; Infinity when nothing is sampled). */
export function summarize(
  dims: 1 | 2,
  height: number,
  width: number,
  data: Uint8Array,
  numLowFrequencies: number,
  calibrationShape?: [number, number],
): Mask {
  const sampled = countSampled(data);
  const mask: Mask = {
    dims,
    height,
    width,
    data,
    numLowFrequencies,
    acceleration: sampled === 0 ? Infinity : data.length / sampled,
    sampledFraction: sampled / data.length,
  };
  if (calibrationShape) mask.calibrationShape = calibrationShape;
  return mask;
}
