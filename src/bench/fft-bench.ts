/**
 * FFT benchmarks: our centred 2-D FFTs beside numpy.fft.fft2 and scipy.fft.fft2 (complex64, single
 * thread) timed by scripts/bench/fft_reference.py in the same invocation, so ratios compare like with
 * like on whatever the machine is doing at the time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../engine/worker-path';
import { fft2c, fft2cBatch, getFftBackend, ifft2cBatch, ifft2cRss, setFftBackend, type FftBackend } from '../kspace/fft2c';
import { wasmKernel, wasmLoadError } from '../kspace/fft/wasm';
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

/** A copy of kspace [coils, h, w] with the unsampled columns of a fastMRI-style random line mask zeroed. */
function undersample(kspace: Float32Array, coils: number, h: number, w: number, accel: number, centre: number): Float32Array {
  const out = kspace.slice();
  const low = Math.round(w * centre);
  const start = (w - low + 1) >> 1;
  const p = (w / accel - low) / (w - low);
  let s = 12345;
  for (let c = 0; c < w; c++) {
    s = (s * 1103515245 + 12345) >>> 0;
    if ((c >= start && c < start + low) || s / 4294967296 < p) continue;
    for (let z = 0; z < coils; z++) {
      for (let y = 0; y < h; y++) {
        const i = 2 * ((z * h + y) * w + c);
        out[i] = 0;
        out[i + 1] = 0;
      }
    }
  }
  return out;
}

/** Root-sum-of-squares over coils of complex images, for the TypeScript fallback's zero-filled row. */
function rss(img: Float32Array, coils: number, n: number, out: Float32Array): Float32Array {
  out.fill(0);
  for (let c = 0; c < coils; c++) {
    const o = 2 * c * n;
    for (let i = 0; i < n; i++) out[i] += img[o + 2 * i] ** 2 + img[o + 2 * i + 1] ** 2;
  }
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(out[i]);
  return out;
}

/** Runs fn with the FFT backend forced to b, restoring the previous choice. */
function withBackend<T>(b: FftBackend, fn: () => T): T {
  const prev = getFftBackend();
  setFftBackend(b);
  try {
    return fn();
  } finally {
    setFftBackend(prev);
  }
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
    const slice = `${C}×${H}×${W}`;
    const { refs, note } = referenceTimings([...singles.map(([h, w]) => `${h}x${w}`), batchKey], repeats, log);
    if (note) log(note);
    const results: BenchResult[] = [];
    // The default backend: the wasm SIMD kernel where it loads, else the TypeScript path.
    const be = wasmKernel() ? 'wasm' : 'ts';
    if (be === 'ts') log(`wasm FFT kernel unavailable (${wasmLoadError() ?? 'disabled'}): timing the TypeScript path`);

    for (const [h, w] of singles) {
      const x = random(h * w);
      const out = new Float32Array(x.length);
      const ms = timeMedian(() => fft2c(x, h, w, out), repeats * 4);
      log(`fft2c ${h}x${w} (${be}): ${ms.toFixed(3)} ms`);
      results.push(...rows(`fft2c ${h}x${w} (${be})`, ms, refs, `${h}x${w}`, note));
      if (be === 'wasm' && h !== 256) {
        const ts = withBackend('ts', () => timeMedian(() => fft2c(x, h, w, out), repeats));
        log(`fft2c ${h}x${w} (ts fallback): ${ts.toFixed(3)} ms`);
        results.push(...rows(`fft2c ${h}x${w} (ts fallback)`, ts, refs, `${h}x${w}`, note));
      }
    }

    const kspace = random(C * H * W);
    const out = new Float32Array(kspace.length);
    const mag = new Float32Array(H * W);
    const single = timeMedian(() => fft2cBatch(kspace, C, H, W, out), repeats);
    log(`fft2cBatch ${batchKey} (${be}, 1 thread): ${single.toFixed(2)} ms`);
    results.push(...rows(`fft2cBatch ${batchKey} (${be}, 1 thread)`, single, refs, batchKey, note));

    const recon = timeMedian(() => ifft2cRss(kspace, C, H, W, mag), repeats);
    log(`zf slice ${slice} (${be}, 1 thread): ${recon.toFixed(2)} ms`);
    results.push(...rows(`zf slice ${slice} (${be}, 1 thread)`, recon, refs, `recon:${batchKey}`, note));

    // The same slice 4× undersampled (fastMRI-style random columns + fully sampled centre): the
    // kernel skips the all-zero columns in its first pass. numpy/scipy do the same work either way.
    const under = undersample(kspace, C, H, W, 4, 0.08);
    const reconUnder = timeMedian(() => ifft2cRss(under, C, H, W, mag), repeats);
    log(`zf slice ${slice} (4× undersampled, ${be}, 1 thread): ${reconUnder.toFixed(2)} ms`);
    results.push(...rows(`zf slice ${slice} (4× undersampled, ${be}, 1 thread)`, reconUnder, refs, `recon:${batchKey}`, note));

    if (be === 'wasm') {
      const ts = withBackend('ts', () =>
        timeMedian(() => rss(ifft2cBatch(kspace, C, H, W, out), C, H * W, mag), Math.max(3, repeats >> 2), 1),
      );
      log(`zf slice ${slice} (ts fallback, 1 thread): ${ts.toFixed(2)} ms`);
      results.push(...rows(`zf slice ${slice} (ts fallback, 1 thread)`, ts, refs, `recon:${batchKey}`, note));
    }

    const pool = new FftPool();
    try {
      const workers = `${pool.threads} worker${pool.threads > 1 ? 's' : ''}`;
      const poolNote = note ?? `FftPool with ${workers}; references are single-threaded`;
      const shared = new Float32Array(new SharedArrayBuffer(4 * kspace.length));
      const sharedOut = new Float32Array(new SharedArrayBuffer(4 * kspace.length));
      shared.set(kspace);
      const pooled = await timeMedianAsync(() => pool.fft2cBatch(shared, C, H, W, sharedOut), repeats);
      log(`FftPool fft2cBatch ${batchKey} (${be}, ${workers}, shared in/out): ${pooled.toFixed(2)} ms`);
      results.push(
        ...rows(`FftPool fft2cBatch ${batchKey} (${be}, ${workers}, shared in/out)`, pooled, refs, batchKey, poolNote),
      );
      // k-space as a reader hands it over (a plain Float32Array): includes the copy into shared memory
      const zf = await timeMedianAsync(() => pool.ifft2cRss(kspace, C, H, W, mag), repeats);
      log(`zf slice ${slice} (${be}, ${workers}): ${zf.toFixed(2)} ms`);
      results.push(...rows(`zf slice ${slice} (${be}, ${workers})`, zf, refs, `recon:${batchKey}`, poolNote));
      const zfShared = await timeMedianAsync(() => pool.ifft2cRss(shared, C, H, W, mag), repeats);
      log(`zf slice ${slice} (${be}, ${workers}, shared k-space): ${zfShared.toFixed(2)} ms`);
      results.push(
        ...rows(`zf slice ${slice} (${be}, ${workers}, shared k-space)`, zfShared, refs, `recon:${batchKey}`, poolNote),
      );
      const zfUnder = await timeMedianAsync(() => pool.ifft2cRss(under, C, H, W, mag), repeats);
      log(`zf slice ${slice} (4× undersampled, ${be}, ${workers}): ${zfUnder.toFixed(2)} ms`);
      results.push(
        ...rows(`zf slice ${slice} (4× undersampled, ${be}, ${workers})`, zfUnder, refs, `recon:${batchKey}`, poolNote),
      );
    } finally {
      await pool.close();
    }
    return results;
  },
};
