/**
 * FFT benchmarks: our centred 2-D FFTs beside numpy.fft.fft2 and scipy.fft.fft2 (complex64, single
 * thread) timed by scripts/bench/fft_reference.py in the same invocation, so ratios compare like with
 * like on whatever the machine is doing at the time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/worker-path';
import { fft2c, fft2cBatch, ifft2cBatch } from '../kspace/fft2c';
import { FftPool } from '../kspace/fft/parallel';
import { timeMedian, timeMedianAsync, type BenchResult, type BenchSuite } from './types';

const PYTHON = '/usr/bin/python3';

type Refs = Partial<Record<'numpy' | 'scipy', Record<string, number>>>;

function referenceTimings(shapes: string[], repeats: number, log: (line: string) => void): { refs: Refs; note?: string } {
  const script = join(packageRoot(), 'scripts', 'bench', 'fft_reference.py');
  if (!existsSync(PYTHON)) return { refs: {}, note: `${PYTHON} not found: no numpy/scipy reference` };
  try {
    const text = execFileSync(PYTHON, [script, String(repeats), ...shapes], { encoding: 'utf8', timeout: 300_000 });
    const parsed = JSON.parse(text) as Refs & { missing?: string[]; versions?: Record<string, string> };
    if (parsed.versions)
      log(
        `reference: ${Object.entries(parsed.versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    const note = parsed.missing?.length ? `reference missing: ${parsed.missing.join(', ')}` : undefined;
    return { refs: { numpy: parsed.numpy, scipy: parsed.scipy }, note };
  } catch (e) {
    return { refs: {}, note: `reference script failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

function rows(name: string, ms: number, refs: Refs, key: string, note?: string): BenchResult[] {
  const out: BenchResult[] = [];
  for (const ref of ['numpy', 'scipy'] as const) {
    const r = refs[ref]?.[key];
    if (r !== undefined) out.push({ name, ms, reference: ref, reference_ms: r, ratio: ms / r, ...(note ? { note } : {}) });
  }
  if (out.length === 0)
    out.push({ name, ms, reference: null, reference_ms: null, ratio: null, note: note ?? 'no reference available' });
  return out;
}

function random(n: number): Float32Array {
  const x = new Float32Array(2 * n);
  for (let i = 0; i < x.length; i++) x[i] = Math.random() - 0.5;
  return x;
}

/** Zero-filled reconstruction of one multi-coil slice: centred ifft2 of every coil, then RSS. */
function rss(img: Float32Array, coils: number, n: number, out: Float32Array): Float32Array {
  out.fill(0);
  for (let c = 0; c < coils; c++) {
    const o = 2 * c * n;
    for (let i = 0; i < n; i++) out[i] += img[o + 2 * i] ** 2 + img[o + 2 * i + 1] ** 2;
  }
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(out[i]);
  return out;
}

export const fftBench: BenchSuite = {
  name: 'fft',
  description: 'centred orthonormal 2-D FFT (fft2c) and a 15-coil zero-filled slice vs numpy.fft / scipy.fft (complex64)',
  async run({ quick, log }) {
    const repeats = quick ? 5 : 20;
    const singles: [number, number][] = [
      [256, 256],
      [320, 320],
      [640, 368],
    ];
    const [C, H, W] = [15, 640, 368];
    const batchKey = `${C}x${H}x${W}`;
    const { refs, note } = referenceTimings([...singles.map(([h, w]) => `${h}x${w}`), batchKey], repeats, log);
    if (note) log(note);
    const results: BenchResult[] = [];

    for (const [h, w] of singles) {
      const x = random(h * w);
      const out = new Float32Array(x.length);
      const ms = timeMedian(() => fft2c(x, h, w, out), repeats * 2);
      log(`fft2c ${h}x${w}: ${ms.toFixed(3)} ms`);
      results.push(...rows(`fft2c ${h}x${w}`, ms, refs, `${h}x${w}`, note));
    }

    const kspace = random(C * H * W);
    const out = new Float32Array(kspace.length);
    const mag = new Float32Array(H * W);
    const single = timeMedian(() => fft2cBatch(kspace, C, H, W, out), repeats);
    log(`fft2cBatch ${batchKey}: ${single.toFixed(2)} ms`);
    results.push(...rows(`fft2cBatch ${batchKey}`, single, refs, batchKey, note));

    const recon = timeMedian(() => rss(ifft2cBatch(kspace, C, H, W, out), C, H * W, mag), repeats);
    log(`zero-filled ${batchKey} (ifft2c + RSS): ${recon.toFixed(2)} ms`);
    results.push(...rows(`zero-filled slice ${batchKey} (ifft2c + RSS)`, recon, refs, `recon:${batchKey}`, note));

    const pool = new FftPool();
    try {
      const shared = new Float32Array(new SharedArrayBuffer(4 * kspace.length));
      shared.set(kspace);
      const poolNote = `FftPool with ${pool.threads} workers; references are single-threaded`;
      const pooled = await timeMedianAsync(() => pool.fft2cBatch(shared, C, H, W), repeats);
      log(`FftPool fft2cBatch ${batchKey}: ${pooled.toFixed(2)} ms (${pool.threads} workers)`);
      results.push(...rows(`FftPool fft2cBatch ${batchKey}`, pooled, refs, batchKey, note ?? poolNote));
      const pooledRecon = await timeMedianAsync(async () => rss(await pool.ifft2cBatch(shared, C, H, W), C, H * W, mag), repeats);
      log(`FftPool zero-filled ${batchKey}: ${pooledRecon.toFixed(2)} ms`);
      results.push(
        ...rows(`FftPool zero-filled slice ${batchKey} (ifft2c + RSS)`, pooledRecon, refs, `recon:${batchKey}`, note ?? poolNote),
      );
    } finally {
      await pool.close();
    }
    return results;
  },
};
