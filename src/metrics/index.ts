export { nmse } from './nmse';
export { psnr } from './psnr';
export { ssim, ssimWithMap, SSIM_WIN_SIZE, SSIM_K1, SSIM_K2 } from './ssim';
export type { SsimOptions, SsimResult } from './ssim';
export { evaluateVolume } from './volume';
export type { MetricValues, VolumeEvaluation } from './volume';
export { METRICS, getMetric } from './registry';
export type { MetricName, MetricSpec } from './registry';
