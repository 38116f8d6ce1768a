/**
 * U-Net timings per tfjs backend against PyTorch on the CPU in the same invocation:
 *   fastMRI U-Net (chans 32, pools 4, instance norm) at 320² and the small one (chans 16, pools 3) at 64²,
 *   inference (one slice) and one training step (forward, L1, backward, Adam update).
 * PyTorch runs with as many threads as the tfjs backend uses (wasm in Node: 1), via
 * scripts/bench/unet_torch.py and Debian's python3-torch (/usr/bin/python3).
 * The `cpu` backend only runs the 64² case (a 320² inference takes minutes there).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, selectBackend, type BackendName } from '../backend';
import { packageRoot } from '../engine/worker-path';
import { buildUnet, predict } from '../models/unet';
import { makeOptimizer } from '../train/optim';
import { trainStep } from '../train/trainer';
import { timeMedian, type BenchResult, type BenchSuite } from './types';

const PYTHON = '/usr/bin/python3';

interface Case {
  name: string;
  chans: number;
  pools: number;
  size: number;
}

const CASES: Case[] = [
  { name: 'unet c32p4 320²', chans: 32, pools: 4, size: 320 },
  { name: 'unet c16p3 64²', chans: 16, pools: 3, size: 64 },
];

type TorchResults = Record<string, { infer_ms: number; train_ms: number; params: number }>;

function torchTimes(
  cases: Case[],
  threads: number,
  repeats: number,
  log: (l: string) => void,
): { version: string; results: TorchResults } | null {
  if (!existsSync(PYTHON)) return null;
  try {
    const out = execFileSync(
      PYTHON,
      [join(packageRoot(), 'scripts', 'bench', 'unet_torch.py'), JSON.stringify(cases), String(threads), String(repeats)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 15 * 60_000,
      },
    );
    const parsed = JSON.parse(out) as { torch: string; results: TorchResults };
    return { version: parsed.torch, results: parsed.results };
  } catch (e) {
    log(`PyTorch reference unavailable: ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

/** tfjs timings for one case on the active backend. */
export function tfjsTimes(c: Case, repeats: number): { inferMs: number; trainMs: number } {
  const model = buildUnet({ inChans: 1, outChans: 1, chans: c.chans, numPoolLayers: c.pools, dropProb: 0, norm: 'instance' });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = makeOptimizer({ name: 'adam', lr: 1e-3 });
  const n = c.size * c.size;
  const input = new Float32Array(n).map((_, i) => Math.sin(i * 0.37));
  const target = new Float32Array(n).map((_, i) => Math.cos(i * 0.11));
  const x = tf.tensor4d(input, [1, c.size, c.size, 1]);
  try {
    const inferMs = timeMedian(
      () => {
        const y = predict(model, x);
        y.dataSync();
        y.dispose();
      },
      repeats,
      1,
    );
    const sample = { input, target, h: c.size, w: c.size, mean: 0, std: 1, maxValue: 1 };
    const trainMs = timeMedian(() => void trainStep(model, vars, opt, [sample], { type: 'l1' }, null), repeats, 1);
    return { inferMs, trainMs };
  } finally {
    x.dispose();
    opt.dispose();
    model.dispose();
  }
}

export const unetBench: BenchSuite = {
  name: 'unet',
  description: 'fastMRI U-Net inference and training step per tfjs backend vs PyTorch CPU (same thread count)',
  async run({ quick, log }) {
    const repeats = quick ? 2 : 3;
    const rows: BenchResult[] = [];
    const available: BackendName[] = [];
    for (const b of BACKEND_NAMES) {
      try {
        await selectBackend(b);
        available.push(b);
      } catch (e) {
        log(`backend ${b}: not available (${(e as Error).message})`);
      }
    }
    // tfjs' wasm backend is single-threaded in Node; tensorflow / webgpu use their own parallelism
    const torch = torchTimes(CASES, 1, repeats, log);
    for (const b of available) {
      await selectBackend(b);
      for (const c of CASES) {
        if (b === 'cpu' && c.size > 64) continue;
        const t = tfjsTimes(c, repeats);
        log(`${b} ${c.name}: inference ${t.inferMs.toFixed(0)} ms, training step ${t.trainMs.toFixed(0)} ms`);
        const ref = torch?.results[c.name];
        const note = torch
          ? `PyTorch ${torch.version} CPU, 1 thread; tfjs ${b}`
          : 'PyTorch reference unavailable (/usr/bin/python3 with python3-torch)';
        rows.push(
          {
            name: `${c.name} inference [${b}]`,
            ms: t.inferMs,
            reference: ref ? 'pytorch' : null,
            reference_ms: ref?.infer_ms ?? null,
            ratio: ref ? t.inferMs / ref.infer_ms : null,
            note,
          },
          {
            name: `${c.name} training step [${b}]`,
            ms: t.trainMs,
            reference: ref ? 'pytorch' : null,
            reference_ms: ref?.train_ms ?? null,
            ratio: ref ? t.trainMs / ref.train_ms : null,
            note,
          },
        );
      }
    }
    // leave the process on the fastest backend
    if (available.length) await selectBackend(available[0]);
    return rows;
  },
};
