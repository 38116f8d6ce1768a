import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/backend';
import { NORM_TYPES, buildUnet } from '../../src/models/unet';
import { datasetFromSources, makeSample, splitByVolume } from '../../src/train/data';
import { l1Loss, ssimValue } from '../../src/train/losses';
import { makeOptimizer, OPTIMIZER_NAMES } from '../../src/train/optim';
import { Rng } from '../../src/train/rng';
import { learningRateAt } from '../../src/train/schedule';
import { trainRun, trainStep, truncateLog, type TrainConfig } from '../../src/train/trainer';
import { ssim } from '../../src/metrics';
import { syntheticSource } from './synthetic';

const tmp = mkdtempSync(join(tmpdir(), 'mri-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

export function tinyConfig(over: Partial<TrainConfig> = {}): TrainConfig {
  return {
    version: 1,
    model: { arch: 'unet', config: { inChans: 1, outChans: 1, chans: 4, numPoolLayers: 2, dropProb: 0, norm: 'group' } },
    data: { train: [], val: null, valFraction: 0.5 },
    mask: { type: 'random', accelerations: [4], centerFractions: [0.25] },
    optimizer: { name: 'adam', lr: 1e-3 },
    schedule: { name: 'constant' },
    loss: { type: 'l1' },
    epochs: 1,
    batch: 1,
    clipNorm: 1,
    checkpointEvery: 2,
    keepCheckpoints: 3,
    seed: 1,
    init: null,
    ...over,
  };
}

describe('training', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('rng: deterministic, restorable', () => {
    const a = new Rng(42);
    a.next();
    const st = a.getState();
    const x = [a.nextUint32(), a.nextUint32()];
    const b = new Rng(st);
    expect([b.nextUint32(), b.nextUint32()]).toEqual(x);
    expect(new Rng(1).permutation(10).sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('schedules: warm-up, step, cosine', () => {
    expect(learningRateAt(1, { name: 'constant', warmupSteps: 4 }, 0)).toBeCloseTo(0.25);
    expect(learningRateAt(1, { name: 'constant', warmupSteps: 4 }, 10)).toBe(1);
    expect(learningRateAt(1, { name: 'step', stepSize: 10, gamma: 0.5 }, 25)).toBeCloseTo(0.25);
    expect(learningRateAt(1, { name: 'cosine', totalSteps: 100, minLr: 0 }, 50)).toBeCloseTo(0.5);
    expect(learningRateAt(1, { name: 'cosine', totalSteps: 100, minLr: 0.1 }, 100)).toBeCloseTo(0.1);
  });

  it('splits by volume, never by slice', () => {
    const r = new Rng(3);
    const { train, val } = splitByVolume(['a', 'b', 'c', 'd', 'e'], 0.4, () => r.next());
    expect(train.length + val.length).toBe(5);
    expect(val.length).toBe(2);
    expect(new Set([...train, ...val]).size).toBe(5);
  });

  it('SSIM loss matches the fastMRI metric on identical data ranges', () => {
    const src = syntheticSource('s', 1, 24, 24);
    const s = makeSample(src, 0, { type: 'random', accelerations: [4], centerFractions: [0.2] }, 5);
    const x = tf.tensor4d(s.input, [1, s.h, s.w, 1]);
    const y = tf.tensor4d(s.target, [1, s.h, s.w, 1]);
    // our metric on the shifted (non-negative) images with data range = max of gt
    const shift = 6;
    const gt = s.target.map((v) => v + shift);
    const pr = s.input.map((v) => v + shift);
    const range = Math.max(...gt);
    const ours = ssim(gt, pr, s.h, s.w, range);
    const v = tf.tidy(() => ssimValue(tf.add(x, shift), tf.add(y, shift), [range]).dataSync()[0]);
    // skimage crops the border (pad = 3) like the 'valid' pooling here: values agree closely
    expect(Math.abs(v - ours)).toBeLessThan(2e-3);
    expect(l1Loss(x, x).dataSync()[0]).toBe(0);
    tf.dispose([x, y]);
  });

  it('a warmed-up training step leaks no tensors', () => {
    const model = buildUnet({ inChans: 1, outChans: 1, chans: 4, numPoolLayers: 2, dropProb: 0.1, norm: 'batch' });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const opt = makeOptimizer({ name: 'adamw', lr: 1e-3 });
    const src = syntheticSource('leak', 2, 16, 16);
    const samples = [0, 1].map((i) => makeSample(src, i, { type: 'random', accelerations: [4], centerFractions: [0.25] }, i));
    trainStep(model, vars, opt, samples, { type: 'mix' }, 1);
    const before = tf.memory().numTensors;
    trainStep(model, vars, opt, samples, { type: 'mix' }, 1);
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    model.dispose();
  });

  describe('every optimiser × every norm trains without NaN', () => {
    const train = [syntheticSource('a', 2), syntheticSource('b', 2, 16, 16, 2, 2)];
    for (const optName of OPTIMIZER_NAMES) {
      it(optName, async () => {
        for (const norm of NORM_TYPES) {
          const losses: number[] = [];
          const cfg = tinyConfig({
            model: {
              arch: 'unet',
              config: { inChans: 1, outChans: 1, chans: 4, numPoolLayers: norm === 'batch' ? 1 : 2, dropProb: 0, norm },
            },
            optimizer: { name: optName, lr: optName === 'sgd' ? 1e-2 : 1e-3, momentum: 0.9 },
            checkpointEvery: 100,
            batch: 2,
          });
          const res = await trainRun({
            out: join(tmp, `${optName}-${norm}`),
            config: cfg,
            sources: { train, val: [] },
            hooks: { onEvent: (e) => e.type === 'step' && losses.push(e.loss) },
          });
          expect(res.step, `${optName}/${norm}`).toBe(2);
          expect(losses.every(Number.isFinite), `${optName}/${norm}: ${losses}`).toBe(true);
        }
      });
    }
  });

  it('validates with fastMRI volume metrics and writes the run folder', async () => {
    const out = join(tmp, 'val');
    const events: string[] = [];
    const res = await trainRun({
      out,
      config: tinyConfig({ epochs: 2, checkpointEvery: 3 }),
      sources: { train: [syntheticSource('t', 3)], val: [syntheticSource('v', 2, 16, 16, 2, 9)] },
      hooks: { onEvent: (e) => events.push(e.type) },
    });
    expect(res.lastVal).not.toBeNull();
    expect(Number.isFinite(res.lastVal!.psnr)).toBe(true);
    expect(Number.isFinite(res.lastVal!.zf.ssim)).toBe(true);
    expect(events.filter((e) => e === 'epoch')).toHaveLength(2);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'step').map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(res.modelPath).toBe(join(out, 'model.safetensors'));
    // truncation keeps exactly what a checkpoint covers
    expect(truncateLog(lines, { step: 4, epoch: 1, index: 1, epochsCompleted: 1 }).map((l) => `${l.type}${l.step}`)).toEqual([
      'step1',
      'step2',
      'step3',
      'epoch3',
      'step4',
    ]);
  });

  it('refuses an empty training set and an existing run without --resume', async () => {
    await expect(trainRun({ out: join(tmp, 'empty'), config: tinyConfig(), sources: { train: [], val: [] } })).rejects.toThrow(
      /empty/,
    );
    await expect(
      trainRun({ out: join(tmp, 'val'), config: tinyConfig(), sources: { train: [syntheticSource('t', 1)], val: [] } }),
    ).rejects.toThrow(/already holds a run/);
    expect(() => datasetFromSources([])).toThrow(/no slices/);
  });
});
