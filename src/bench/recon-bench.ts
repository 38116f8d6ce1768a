/**
 * End-to-end engine timing on the demo scan: zero-filled reconstruction of the whole volume through the
 * job system, against the same pipeline in numpy (fft2c per coil + RSS) run by the same invocation.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runRecon } from '../engine/await-job';
import { Engine, defaultDemoPath } from '../engine/engine';
import { packageRoot } from '../engine/worker-path';
import { timeMedianAsync, type BenchResult, type BenchSuite } from './types';

const PYTHON = '/usr/bin/python3';

function numpyZfMs(path: string, repeats: number): number | null {
  if (!existsSync(PYTHON)) return null;
  try {
    const out = execFileSync(PYTHON, [join(packageRoot(), 'scripts', 'bench', 'zf_reference.py'), path, String(repeats)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(out).ms as number;
  } catch {
    return null;
  }
}

export const reconBench: BenchSuite = {
  name: 'recon',
  description: 'zero-filled reconstruction of the demo volume through the engine (workers) vs numpy',
  async run({ quick, log }) {
    const repeats = quick ? 3 : 7;
    const engine = new Engine();
    const rows: BenchResult[] = [];
    try {
      const scan = await engine.call('scan.open', { demo: true });
      let i = 0;
      const ms = await timeMedianAsync(
        // a fresh seed each run defeats the result cache, so every run does the work
        () =>
          runRecon(engine, {
            scanId: scan.scanId,
            mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: ++i },
            method: { method: 'zf' },
          }),
        repeats,
      );
      log(`engine zf: ${ms.toFixed(1)} ms`);
      const ref = numpyZfMs(defaultDemoPath(), repeats);
      rows.push({
        name: `zf demo volume ${scan.slices}×${scan.coils}×${scan.kspaceShape.join('×')}`,
        ms,
        reference: ref === null ? null : 'numpy',
        reference_ms: ref,
        ratio: ref === null ? null : ms / ref,
        note:
          ref === null
            ? 'numpy reference unavailable (/usr/bin/python3 with numpy, h5py)'
            : 'includes reading k-space from HDF5 on both sides',
      });
    } finally {
      await engine.close();
    }
    return rows;
  },
};
