import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BackendError, requestedBackend } from '../../backend';
import { WeightsFileError, readWeightsFile, describeSpec, type ModelSpec } from '../../models/weights';
import { NORM_TYPES, checkUnetConfig, type NormType } from '../../models/unet';
import type { MaskType } from '../../kspace/masks/types';
import { DataError } from '../../train/data';
import { LOSS_TYPES, type LossType } from '../../train/losses';
import { OPTIMIZER_NAMES, type OptimizerName } from '../../train/optim';
import { SCHEDULES, type ScheduleName } from '../../train/schedule';
import { TrainError, trainRun, type TrainConfig, type TrainEvent } from '../../train/trainer';
import { num, parse } from '../args';
import { UsageError } from '../errors';
import { progressBar } from '../output';

export const help = `mri-recon train --data DIR [--val DIR] --out RUN [options]
  Trains a fastMRI U-Net on scans in DIR (fastMRI .h5; any reader the engine knows) and writes a run
  folder: config.json, metrics.jsonl, checkpoints/, model.safetensors (use it with recon --model RUN).
  model       --model unet  --chans 32  --pools 4  --norm group|instance|batch|layer|none  --dropout 0
  data        --val DIR (default: --val-fraction 0.2 of DIR's volumes)  --max-slices N (per volume)
              --patch P (train on random P×P patches of the normalised slices)
  masks       --mask random|equispaced|…  --accel 4[,8]  --center 0.08[,0.04]
  optimiser   --optimizer adam|adamw|rmsprop|sgd  --lr 1e-3  --weight-decay W  --momentum M
              --schedule constant|step|cosine  --warmup N  --step-size N  --gamma G  --clip NORM
  loss        --loss l1|ssim|mix  --ssim-weight 0.84
  loop        --epochs N  --batch B (gradient accumulation)  --checkpoint-every N  --seed S
  runs        --resume (continue RUN from its newest checkpoint)  --init CKPT (fine-tune from our
              checkpoint / run folder or a fastMRI .safetensors)  --backend tensorflow|webgpu|wasm|cpu
  Ctrl-C stops after the current step and writes a checkpoint; --resume continues.`;

function list(value: string | undefined, name: string, fallback: number[]): number[] {
  if (value === undefined) return fallback;
  const parts = value.split(',').map((v) => num(v.trim(), name));
  if (parts.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return parts;
}

function oneOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[], fallback: T): T {
  const v = (value ?? fallback) as T;
  if (!allowed.includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return v;
}

function posInt(value: string | undefined, name: string, fallback: number): number {
  const n = num(value, name, fallback);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

const OPTIONS = {
  data: { type: 'string' },
  val: { type: 'string' },
  'val-fraction': { type: 'string' },
  'max-slices': { type: 'string' },
  patch: { type: 'string' },
  out: { type: 'string', short: 'o' },
  model: { type: 'string' },
  chans: { type: 'string' },
  pools: { type: 'string' },
  norm: { type: 'string' },
  dropout: { type: 'string' },
  mask: { type: 'string' },
  accel: { type: 'string' },
  center: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  'weight-decay': { type: 'string' },
  momentum: { type: 'string' },
  schedule: { type: 'string' },
  warmup: { type: 'string' },
  'step-size': { type: 'string' },
  gamma: { type: 'string' },
  clip: { type: 'string' },
  loss: { type: 'string' },
  'ssim-weight': { type: 'string' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  seed: { type: 'string' },
  resume: { type: 'boolean' },
  init: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Builds the run configuration from command-line values (exported for tests). */
export function configFrom(values: Record<string, unknown>): TrainConfig {
  const v = values as Record<string, string | undefined>;
  const data = v.data;
  if (!data) throw new UsageError('--data DIR is required');
  if (!existsSync(data)) throw new UsageError(`--data ${data}: not found`);
  if (v.val && !existsSync(v.val)) throw new UsageError(`--val ${v.val}: not found`);
  const arch = oneOf(v.model, 'model', ['unet', 'varnet'] as const, 'unet');
  if (arch === 'varnet') throw new UsageError('--model varnet is not available in this build (only unet)');
  let spec: ModelSpec;
  const archGiven = v.chans !== undefined || v.pools !== undefined || v.norm !== undefined;
  if (v.init && !archGiven) {
    // fine-tuning without architecture options: adopt the init checkpoint's architecture
    spec = readWeightsFile(v.init).spec;
  } else {
    let config;
    try {
      config = checkUnetConfig({
        inChans: 1,
        outChans: 1,
        chans: posInt(v.chans, 'chans', 32),
        numPoolLayers: posInt(v.pools, 'pools', 4),
        dropProb: num(v.dropout, 'dropout', 0),
        norm: oneOf<NormType>(v.norm, 'norm', NORM_TYPES, 'group'),
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    spec = { arch: 'unet', config };
  }
  const accelerations = list(v.accel, 'accel', [4]);
  const centerFractions = list(v.center, 'center', accelerations.map((a) => (a >= 8 ? 0.04 : 0.08)));
  if (centerFractions.length !== 1 && centerFractions.length !== accelerations.length) throw new UsageError('--center needs one value or one per --accel value');
  if (accelerations.some((a) => !(a >= 1 && a <= 64))) throw new UsageError('--accel values must be in [1, 64]');
  if (centerFractions.some((c) => !(c > 0 && c < 1))) throw new UsageError('--center values must be in (0, 1)');
  const lr = num(v.lr, 'lr', 1e-3);
  if (!(lr > 0)) throw new UsageError(`--lr must be positive, got '${v.lr}'`);
  const epochs = posInt(v.epochs, 'epochs', 10);
  const valFraction = num(v['val-fraction'], 'val-fraction', 0.2);
  if (!(valFraction > 0 && valFraction < 1)) throw new UsageError('--val-fraction must be in (0, 1)');
  const clip = v.clip === undefined ? null : num(v.clip, 'clip');
  if (clip !== null && !(clip > 0)) throw new UsageError('--clip must be positive');
  const seed = num(v.seed, 'seed', 0);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be a non-negative integer');
  return {
    version: 1,
    model: spec,
    data: {
      train: [resolve(data)],
      val: v.val ? [resolve(v.val)] : null,
      valFraction,
      ...(v['max-slices'] ? { maxSlicesPerVolume: posInt(v['max-slices'], 'max-slices', 1) } : {}),
      ...(v.patch ? { patch: posInt(v.patch, 'patch', 1) } : {}),
    },
    mask: { type: (v.mask ?? 'random') as MaskType, accelerations, centerFractions },
    optimizer: {
      name: oneOf<OptimizerName>(v.optimizer, 'optimizer', OPTIMIZER_NAMES, 'adam'),
      lr,
      ...(v['weight-decay'] !== undefined ? { weightDecay: num(v['weight-decay'], 'weight-decay') } : {}),
      ...(v.momentum !== undefined ? { momentum: num(v.momentum, 'momentum') } : {}),
    },
    schedule: {
      name: oneOf<ScheduleName>(v.schedule, 'schedule', SCHEDULES, 'constant'),
      warmupSteps: v.warmup !== undefined ? posInt(v.warmup, 'warmup', 1) : 0,
      ...(v['step-size'] !== undefined ? { stepSize: posInt(v['step-size'], 'step-size', 1) } : {}),
      ...(v.gamma !== undefined ? { gamma: num(v.gamma, 'gamma') } : {}),
    },
    loss: { type: oneOf<LossType>(v.loss, 'loss', LOSS_TYPES, 'l1'), ...(v['ssim-weight'] !== undefined ? { ssimWeight: num(v['ssim-weight'], 'ssim-weight') } : {}) },
    epochs,
    batch: posInt(v.batch, 'batch', 1),
    clipNorm: clip,
    checkpointEvery: posInt(v['checkpoint-every'], 'checkpoint-every', 50),
    keepCheckpoints: 3,
    seed,
    init: v.init ? resolve(v.init) : null,
    ...(v.backend ? { backend: v.backend } : {}),
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS, false);
  if (values.help) return (console.log(help), 0);
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const out = values.out as string | undefined;
  if (!out) throw new UsageError('--out RUN is required');
  if (values.backend) {
    try {
      requestedBackend(values.backend as string);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const resume = values.resume === true;
  if (resume && !existsSync(join(out, 'config.json'))) throw new UsageError(`--resume: ${out} is not a run folder (no config.json)`);
  let config: TrainConfig | undefined;
  try {
    // with --resume the run's own config rules; options (when given) must not contradict its architecture
    if (!resume || values.data) config = configFrom(values);
  } catch (e) {
    if (e instanceof WeightsFileError) throw new UsageError(e.message);
    throw e;
  }
  let stop = false;
  const onSigint = () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write('\nstopping after this step (Ctrl-C again to abort)…\n');
  };
  process.on('SIGINT', onSigint);
  let total = 0;
  const bar = progressBar('train');
  const json = values.json === true;
  try {
    const res = await trainRun({
      out,
      config,
      resume,
      hooks: {
        isCancelled: () => stop,
        onEvent: (e: TrainEvent) => {
          if (json) console.log(JSON.stringify(e));
          if (e.type === 'step') {
            total = Math.max(total, e.step);
            bar.update(Math.min(1, (e.epoch + 0.5) / Math.max(1, config?.epochs ?? e.epoch + 1)), `epoch ${e.epoch} step ${e.step} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)}`);
          } else if (e.type === 'epoch' && !json) {
            bar.done();
            const v = e.val;
            const val = v ? `val PSNR ${v.psnr.toFixed(2)} dB SSIM ${v.ssim.toFixed(4)} (zero-filled ${v.zf.psnr.toFixed(2)} / ${v.zf.ssim.toFixed(4)})` : 'no validation set';
            console.log(`epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, ${val}, ${(e.ms / 1000).toFixed(1)} s`);
          } else if (e.type === 'log' && !json) {
            bar.done();
            console.log(e.message);
          }
        },
      },
    });
    bar.done();
    if (!json) {
      const spec = config?.model;
      console.log(
        `${res.cancelled ? 'stopped' : 'finished'} at step ${res.step} (epoch ${res.epoch}) on ${res.backend}${spec ? `, ${describeSpec(spec)}` : ''}` +
          (res.modelPath ? `; model: ${res.modelPath}` : `; resume with --resume --out ${out}`),
      );
    }
    return res.cancelled ? 130 : 0;
  } catch (e) {
    bar.done();
    if (e instanceof TrainError || e instanceof WeightsFileError || e instanceof DataError || e instanceof BackendError) throw new UsageError(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
