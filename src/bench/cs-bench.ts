/**
 * Compressed sensing vs BART `pics` (Debian's /usr/bin/bart) on the Colin27 fixtures, same data, same
 * regulariser, same λ grid, same run.
 *
 * Data: fully sampled 256² k-space from test/fixtures/data (single-coil slice 2; 8-coil slice 0),
 * fastMRI random mask (centre 0.08, seed 0) at 4× and 8×. References: single-coil |ifft2c(full)|;
 * 8-coil the exact SENSE combination with the true maps Σ conj(s)y / Σ|s|², the image both solvers
 * estimate when given those maps (colin_multicoil_maps.npy, passed to both: this compares solvers and
 * priors, not map estimation).
 *
 * BART: `pics -S -R T:3:0:λ` (TV) or `-R W:3:0:λ` (wavelets), `-i 100` over the λ grid, then `-i 1000`
 * at BART's best λ; data via .cfl files; OMP_NUM_THREADS=1 (ours is single-threaded too) and
 * OMP_WAIT_POLICY=passive. BART's wall time includes process start-up and file I/O (tens of ms).
 * Ours: csReconstruct with the app defaults (auto solver, auto scaling), at most 100 iterations, stopping at
 * relative change 1e-4 (the recon method's default), same λ grid.
 * Both scale the data by the same rule, so λ means the same in both.
 *
 * Rows: '<cs-tv|cs-wavelet> <1coil|8coil> <4x|8x> best' — our best-PSNR λ against BART's best over λ
 * and iteration counts; note gives PSNR/SSIM of both and the λ.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csReconstruct, type Regularizer } from '../cs/app';
import { magnitude } from '../cs/vec';
import { packageRoot } from '../engine/worker-path';
import { getDataset, openH5, readSlab } from '../io/hdf5/h5';
import { parseNpy } from '../io/npy';
import { ifft2c, ifft2cBatch } from '../kspace/fft2c';
import { applyMaskBatch, makeMask } from '../kspace/masks';
import { psnr, ssim } from '../metrics';
import { readCfl, writeCfl } from './cs-cfl';
import type { BenchResult, BenchSuite } from './types';

const BART = '/usr/bin/bart';
const H = 256;
const W = 256;

export interface Case {
  coils: 1 | 8;
  full: Float32Array;
  reference: Float32Array;
  maps?: Float32Array;
}

export async function loadCases(): Promise<Case[]> {
  const dir = join(packageRoot(), 'test', 'fixtures', 'data');
  const n = H * W;
  const single = await openH5(join(dir, 'colin_singlecoil.h5'));
  const k1 = readSlab(getDataset(single, 'kspace')!, [2, 0, 0], [1, H, W]);
  const ref1 = magnitude(ifft2c(k1, H, W));
  const multi = await openH5(join(dir, 'colin_multicoil.h5'));
  const k8 = readSlab(getDataset(multi, 'kspace')!, [0, 0, 0, 0], [1, 8, H, W]);
  const maps = parseNpy(readFileSync(join(dir, 'colin_multicoil_maps.npy'))).data as Float32Array;
  const y = ifft2cBatch(k8, 8, H, W);
  const ref8 = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    let re = 0;
    let im = 0;
    let e = 0;
    for (let c = 0; c < 8; c++) {
      const i = 2 * (c * n + p);
      re += maps[i] * y[i] + maps[i + 1] * y[i + 1];
      im += maps[i] * y[i + 1] - maps[i + 1] * y[i];
      e += maps[i] ** 2 + maps[i + 1] ** 2;
    }
    ref8[p] = e > 0 ? Math.hypot(re, im) / e : 0;
  }
  return [
    { coils: 1, full: k1, reference: ref1 },
    { coils: 8, full: k8, reference: ref8, maps },
  ];
}

export function quality(ref: Float32Array, img: Float32Array): { psnr: number; ssim: number } {
  const range = ref.reduce((a, b) => Math.max(a, b), 0);
  const m = magnitude(img);
  return { psnr: psnr(ref, m, range), ssim: ssim(ref, m, H, W, range) };
}

export function runBart(dir: string, reg: Regularizer, lambda: number, iters: number): { ms: number; image: Float32Array } {
  const t0 = performance.now();
  execFileSync(
    BART,
    [
      'pics',
      '-S',
      '-R',
      `${reg === 'tv' ? 'T' : 'W'}:3:0:${lambda}`,
      '-i',
      String(iters),
      join(dir, 'k'),
      join(dir, 's'),
      join(dir, 'o'),
    ],
    {
      env: { ...process.env, OMP_NUM_THREADS: '1', OMP_WAIT_POLICY: 'passive' },
      stdio: ['ignore', 'ignore', 'ignore'],
    },
  );
  const ms = performance.now() - t0;
  return { ms, image: readCfl(join(dir, 'o')).data };
}

export const csBench: BenchSuite = {
  name: 'cs',
  description:
    'compressed sensing (TV, wavelet) vs bart pics: PSNR/SSIM and wall time over a λ grid, 256², 1 and 8 coils, 4× and 8×',
  async run({ quick, log }) {
    const rows: BenchResult[] = [];
    const hasBart = existsSync(BART);
    if (!hasBart) log('bart not found at /usr/bin/bart: reference columns left empty');
    const cases = await loadCases();
    const accels = quick ? [4] : [4, 8];
    const grid = quick ? [0.003, 0.01] : [0.001, 0.003, 0.01, 0.03];
    const tmp = mkdtempSync(join(tmpdir(), 'cs-bench-'));
    try {
      for (const c of cases) {
        for (const accel of accels) {
          const mask = makeMask({ type: 'random', acceleration: accel, centerFraction: 0.08, seed: 0 }, { height: H, width: W });
          const kspace = applyMaskBatch(c.full, c.coils, H, W, mask);
          const ones = new Float32Array(2 * H * W);
          for (let i = 0; i < ones.length; i += 2) ones[i] = 1;
          if (hasBart) {
            writeCfl(join(tmp, 'k'), [W, H, 1, c.coils], kspace);
            writeCfl(join(tmp, 's'), [W, H, 1, c.coils], c.maps ?? ones);
          }
          for (const reg of ['tv', 'wavelet'] as const) {
            const label = `cs-${reg} ${c.coils}coil ${accel}x`;
            let ours = { psnr: -Infinity, ssim: 0, ms: 0, lambda: 0 };
            for (const lambda of grid) {
              const t0 = performance.now();
              const r = csReconstruct(
                { kspace, coils: c.coils, height: H, width: W, mask, maps: c.maps },
                { regularizer: reg, lambda, iterations: 100, tolerance: 1e-4 },
              );
              const ms = performance.now() - t0;
              const q = quality(c.reference, r.image);
              log(
                `${label} ours λ=${lambda}: ${q.psnr.toFixed(2)} dB, ssim ${q.ssim.toFixed(4)}, ${ms.toFixed(0)} ms (${r.solver}, ${r.iterations} it)`,
              );
              if (q.psnr > ours.psnr) ours = { ...q, ms, lambda };
            }
            let bart = { psnr: -Infinity, ssim: 0, ms: 0, lambda: 0, iters: 0 };
            if (hasBart) {
              for (const lambda of grid) {
                const b = runBart(tmp, reg, lambda, 100);
                const q = quality(c.reference, b.image);
                log(
                  `${label} bart λ=${lambda} -i 100: ${q.psnr.toFixed(2)} dB, ssim ${q.ssim.toFixed(4)}, ${b.ms.toFixed(0)} ms`,
                );
                if (q.psnr > bart.psnr) bart = { ...q, ms: b.ms, lambda, iters: 100 };
              }
              if (!quick) {
                const b = runBart(tmp, reg, bart.lambda, 1000);
                const q = quality(c.reference, b.image);
                log(
                  `${label} bart λ=${bart.lambda} -i 1000: ${q.psnr.toFixed(2)} dB, ssim ${q.ssim.toFixed(4)}, ${b.ms.toFixed(0)} ms`,
                );
                if (q.psnr > bart.psnr) bart = { ...q, ms: b.ms, lambda: bart.lambda, iters: 1000 };
              }
            }
            rows.push({
              name: `${label} best`,
              ms: ours.ms,
              reference: hasBart ? 'bart' : null,
              reference_ms: hasBart ? bart.ms : null,
              ratio: hasBart ? ours.ms / bart.ms : null,
              note:
                `psnr ours ${ours.psnr.toFixed(2)} (λ ${ours.lambda}) / bart ${hasBart ? bart.psnr.toFixed(2) : '-'} (λ ${bart.lambda}, -i ${bart.iters}); ` +
                `ssim ours ${ours.ssim.toFixed(4)} / bart ${hasBart ? bart.ssim.toFixed(4) : '-'}`,
            });
          }
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return rows;
  },
};
