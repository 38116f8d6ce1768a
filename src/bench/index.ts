/** The benchmark suites `mri-recon bench` and `npm run bench` know, by name. */
import type { BenchSuite } from './types';
import { csBench } from './cs-bench';
import { fftBench } from './fft-bench';
import { ioBench } from './io-bench';
import { reconBench } from './recon-bench';
import { unetBench } from './unet-bench';

export const SUITES: BenchSuite[] = [fftBench, csBench, unetBench, reconBench, ioBench];

export function findSuite(name: string): BenchSuite | undefined {
  return SUITES.find((s) => s.name === name);
}
