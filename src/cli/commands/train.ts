import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError, requestedBackend } from '../../backend';
import { WeightsFileError, describeSpec } from '../../models/weights';
import { buildTrainConfig, cliFlag, type TrainConfigInput } from '../../train/config';
import { DataError } from '../../train/data';
import { TrainError, trainRun, type TrainConfig, type TrainEvent } from '../../train/trainer';
import { num, parse } from '../args';
import { UsageError } from '../errors';
import { progressBar } from '../output';

export const help = `mri-recon train --data DIR [--val DIR] --out RUN [options]
  Trains a fastMRI U-Net on scans in DIR (fastMRI .h5; any reader the engine knows) and writes a run
  folder: config.json, metrics.jsonl, checkpoints/, model.safetensors (use it with recon --model RUN).
  model       --model unet  --chans 32  --pools 4  --norm group|instance|batch|layer|none  --dropout 0
              --model varnet  --cascades 12  --chans 18  --pools 4  --sens-chans 8  --sens-pools 4
              (E2E-VarNet on the masked multi-coil k-space; --patch does not apply)
  data        --val DIR (default: --val-fraction 0.2 of DIR's volumes)  --max-slices N (per volume)
              --patch P (train on random P×P patches of the normalised slices)
  masks       --mask random|equispaced|…  --accel 4[,8]  --center 0.08[,0.04]
  optimiser   --optimizer adam|adamw|rmsprop|sgd  --lr 1e-3  --weight-decay W  --momentum M
              --schedule constant|step|cosine  --warmup N  --step-size N  --gamma G  --clip NORM
  loss        --loss l1|ssim|mix  --ssim-weight 0.84
  loop        --epochs N  --batch B (gradient accumulation)  --checkpoint-every N  --seed S
  runs        --resume (continue RUN from its newest checkpoint)  --init CKPT (fine-tune from our
              checkpoint / run folder or a fastMRI .safetensors)  --backend tensorflow|webgpu|wasm|cpu
  Ctrl-C stops after the current step and writes a checkpoint; --resume continues. On a terminal,
  p pauses after the current step and p again resumes.`;

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
  cascades: { type: 'string' },
  'sens-chans': { type: 'string' },
  'sens-pools': { type: 'string' },
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

/** Flags whose values are lists (`--accel 4,8`) and plain strings; every other flag is a number. */
const LIST_FLAGS = { accel: 'accelerations', center: 'centerFractions' } as const;
const STRING_FIELDS = new Set(['data', 'val', 'model', 'norm', 'mask', 'optimizer', 'schedule', 'loss', 'init', 'backend']);

/**
 * Builds the run configuration from command-line values (exported for tests): the strings become
 * typed input for buildTrainConfig, which owns the defaults and checks; errors name the CLI flag.
 */
export function configFrom(values: Record<string, unknown>): TrainConfig {
  const input: Record<string, unknown> = {};
  for (const [flag, raw] of Object.entries(values)) {
    if (raw === undefined || typeof raw === 'boolean' || flag === 'out' || flag === 'json' || flag === 'help') continue;
    const value = String(raw);
    if (flag in LIST_FLAGS) {
      input[LIST_FLAGS[flag as keyof typeof LIST_FLAGS]] = value.split(',').map((v) => num(v.trim(), flag));
      continue;
    }
    const field = flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    input[field] = STRING_FIELDS.has(field) ? value : num(value, flag);
  }
  if (!input.data) throw new UsageError('--data DIR is required');
  try {
    return buildTrainConfig(input as unknown as TrainConfigInput, { label: cliFlag });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** What watchPauseKey needs of stdin (a fake in tests). */
export interface KeyInput {
  isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/**
 * On an interactive terminal, `p` toggles pause. The terminal is put in raw mode to see single keys,
 * so Ctrl-C arrives as a byte, not SIGINT: it is passed to `onInterrupt`, as the signal would be.
 * Anything else (a pipe, a file, no TTY) is left alone and never pauses.
 */
export function watchPauseKey(input: KeyInput, onInterrupt: () => void): { isPaused(): boolean; dispose(): void } {
  let paused = false;
  if (!input.isTTY || !input.setRawMode) return { isPaused: () => false, dispose: () => {} };
  const onData = (chunk: Buffer | string) => {
    for (const ch of String(chunk)) {
      if (ch === '\u0003') onInterrupt();
      else if (ch === 'p' || ch === 'P') paused = !paused;
    }
  };
  input.setRawMode(true);
  input.on('data', onData);
  input.resume();
  return {
    isPaused: () => paused,
    dispose() {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
    },
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
  if (resume && !existsSync(join(out, 'config.json')))
    throw new UsageError(`--resume: ${out} is not a run folder (no config.json)`);
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
  const keys = watchPauseKey(process.stdin, onSigint);
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
        isPaused: keys.isPaused,
        onEvent: (e: TrainEvent) => {
          if (json) console.log(JSON.stringify(e));
          if (e.type === 'paused') {
            bar.done();
            process.stderr.write(e.paused ? `paused at step ${e.step} — press p to resume, Ctrl-C to cancel\n` : 'resumed\n');
          }
          if (e.type === 'step') {
            total = Math.max(total, e.step);
            bar.update(
              Math.min(1, (e.epoch + 0.5) / Math.max(1, config?.epochs ?? e.epoch + 1)),
              `epoch ${e.epoch} step ${e.step} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)}`,
            );
          } else if (e.type === 'epoch' && !json) {
            bar.done();
            const v = e.val;
            const val = v
              ? `val PSNR ${v.psnr.toFixed(2)} dB SSIM ${v.ssim.toFixed(4)} (zero-filled ${v.zf.psnr.toFixed(2)} / ${v.zf.ssim.toFixed(4)})`
              : 'no validation set';
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
    if (e instanceof TrainError || e instanceof WeightsFileError || e instanceof DataError || e instanceof BackendError)
      throw new UsageError(e.message);
    throw e;
  } finally {
    keys.dispose();
    process.off('SIGINT', onSigint);
  }
}
