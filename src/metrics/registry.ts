import { nmse } from './nmse';
import { psnr } from './psnr';
import { ssim } from './ssim';
import { maxValue } from './inputs';
import type { MetricValues } from './volume';

export type MetricName = keyof MetricValues;

export interface MetricSpec {
  /** Also the key of this metric in evaluateVolume's MetricValues. */
  name: MetricName;
  label: string;
  /** Empty when unitless. */
  unit: string;
  higherIsBetter: boolean;
  /** One h×w image; dataRange defaults to max(gt) (fastMRI) where the metric uses one. */
  fn: (gt: Float32Array, pred: Float32Array, h: number, w: number, dataRange?: number) => number;
}

/** The single list of metrics the CLI and UI offer, in display order. */
export const METRICS: readonly MetricSpec[] = Object.freeze([
  {
    name: 'nmse',
    label: 'NMSE',
    unit: '',
    higherIsBetter: false,
    fn: (gt, pred) => nmse(gt, pred),
  },
  {
    name: 'psnr',
    label: 'PSNR',
    unit: 'dB',
    higherIsBetter: true,
    fn: (gt, pred, _h, _w, dataRange) => psnr(gt, pred, dataRange),
  },
  {
    name: 'ssim',
    label: 'SSIM',
    unit: '',
    higherIsBetter: true,
    fn: (gt, pred, h, w, dataRange) => ssim(gt, pred, h, w, dataRange ?? maxValue(gt)),
  },
]);

export function getMetric(name: string): MetricSpec {
  const spec = METRICS.find((m) => m.name === name);
  if (!spec) {
    throw new RangeError(`name must be one of ${METRICS.map((m) => m.name).join(', ')}, got '${name}'`);
  }
  return spec;
}
