/**
 * Memory and speed of reading a full-size fastMRI multi-coil volume (35 × 15 × 640 × 368 complex64,
 * ≈ 1 GB) slice by slice. The file is generated slab by slab; a child process opens it with
 * FastMriSource and reads every slice, so its peak RSS (VmHWM) measures the reader alone. h5py reads
 * the same slices in the same run for the time reference.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as h5 from 'h5wasm/node';
import { createComplexDataset, h5ready, writeSlab } from '../io/hdf5/h5';
import type { BenchResult, BenchSuite } from './types';

const PY = '/usr/bin/python3';

function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('io bench: cannot find the repository root');
    d = up;
  }
  return d;
}

async function generate(path: string, shape: [number, number, number, number]): Promise<void> {
  await h5ready();
  const [S, C, H, W] = shape;
  const f = new h5.File(path, 'w');
  try {
    const ds = createComplexDataset(f, 'kspace', shape, [1, C, H, W]);
    const slab = new Float32Array(2 * C * H * W);
    for (let s = 0; s < S; s++) {
      for (let i = 0; i < slab.length; i++) slab[i] = Math.sin(i * 0.001 + s);
      writeSlab(ds, [s, 0, 0, 0], [1, C, H, W], slab);
    }
  } finally {
    f.close();
  }
}

const CHILD = (root: string) => `
import { readFileSync } from 'node:fs';
import { FastMriSource } from ${JSON.stringify(join(root, 'src/io/fastmri.ts'))};
const kib = (k) => { try { return Number(new RegExp(k + ':\\\\s+(\\\\d+)').exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024; } catch { return null; } };
const src = await FastMriSource.open(process.argv[2]);
const opened = process.memoryUsage().rss;
// one output buffer for the whole scroll, as a viewer keeps one per pane
const out = src.readKspace(0);
const base = process.memoryUsage().rss;
let sampled = base;
const times = [];
for (let s = 0; s < src.slices; s++) {
  const t0 = performance.now();
  const k = src.readKspace(s, out);
  times.push(performance.now() - t0);
  if (k.length === 0) throw new Error('empty');
  sampled = Math.max(sampled, process.memoryUsage().rss);
}
src.close();
times.sort((a, b) => a - b);
console.log(JSON.stringify({ opened, base, peak: kib('VmHWM') ?? sampled, sampled, medianMs: times[times.length >> 1] }));
`;

const PY_READ = `
import sys, time, h5py
f = h5py.File(sys.argv[1], 'r'); k = f['kspace']; t = []
for s in range(k.shape[0]):
    t0 = time.perf_counter(); a = k[s]; t.append((time.perf_counter() - t0) * 1000)
t.sort(); print(t[len(t) // 2])
`;

export const ioBench: BenchSuite = {
  name: 'io',
  description: 'fastMRI slice reads of a 35×15×640×368 volume: peak RSS vs one slice, time vs h5py',
  async run({ quick, log }) {
    const shape: [number, number, number, number] = [quick ? 6 : 35, 15, 640, 368];
    const sliceBytes = shape[1] * shape[2] * shape[3] * 8;
    const dir = mkdtempSync(join(tmpdir(), 'io-bench-'));
    try {
      const file = join(dir, 'volume.h5');
      log(`generating ${shape.join('×')} complex64 (${((shape[0] * sliceBytes) / 2 ** 20).toFixed(0)} MiB)…`);
      await generate(file, shape);
      const root = repoRoot();
      const { build } = await import('esbuild');
      const entry = join(dir, 'child.ts');
      writeFileSync(entry, CHILD(root));
      const out = join(root, 'dist', 'io-bench-child.mjs');
      // bundled into the repository so that h5wasm resolves from its node_modules
      await build({
        entryPoints: [entry],
        outfile: out,
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'warning',
        absWorkingDir: root,
      });
      const r = JSON.parse(execFileSync(process.execPath, [out, file], { encoding: 'utf8' }).trim().split('\n').pop()!) as {
        opened: number;
        base: number;
        peak: number;
        medianMs: number;
      };
      let pyMs: number | null = null;
      if (existsSync(PY)) {
        try {
          pyMs = Number(execFileSync(PY, ['-c', PY_READ, file], { encoding: 'utf8' }).trim());
        } catch {
          log('h5py not available to /usr/bin/python3: no time reference');
        }
      }
      const mb = (b: number) => (b / 2 ** 20).toFixed(0);
      // measured from the moment the file is open: everything the slice reads add, buffers included
      const over = r.peak - r.opened;
      log(
        `peak RSS ${mb(r.peak)} MiB (after open ${mb(r.opened)} MiB, +${mb(over)} MiB = ${(over / sliceBytes).toFixed(2)}× one slice of ${mb(sliceBytes)} MiB)`,
      );
      const results: BenchResult[] = [
        {
          name: `fastMRI readKspace ${shape.slice(1).join('×')}`,
          ms: r.medianMs,
          reference: pyMs === null ? null : 'h5py',
          reference_ms: pyMs,
          ratio: pyMs ? r.medianMs / pyMs : null,
          note: `peak RSS ${mb(r.peak)} MiB: +${(over / sliceBytes).toFixed(2)}× one slice after open = 2 slice buffers (wasm read buffer, output) + ${mb(over - 2 * sliceBytes)} MiB fixed (goal: < 2× slice + fixed overhead)`,
        },
      ];
      return results;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
