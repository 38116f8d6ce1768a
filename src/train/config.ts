/**
 * Building a TrainConfig from loosely typed input (the CLI's strings once parsed, the engine's
 * train.start request, the dashboard's form): every field optional except `data`, the same defaults
 * everywhere, and one RangeError naming the offending field for anything out of range.
 *
 * Messages name a field through `label` (identity by default), so a caller can speak its own
 * vocabulary: the CLI passes `cliFlag` and gets `--max-slices must be a positive integer, got 0`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MaskType } from '../kspace/masks/types';
import { MASK_TYPE_NAMES } from '../kspace/masks/validate';
import { NORM_TYPES, checkUnetConfig, type NormType } from '../models/unet';
import { DEFAULT_VARNET, checkVarnetConfig } from '../models/varnet';
import { readWeightsFile, type ModelSpec } from '../models/weights';
import { LOSS_TYPES, type LossType } from './losses';
import { OPTIMIZER_NAMES, type OptimizerName } from './optim';
import { SCHEDULES, type ScheduleName } from './schedule';
import type { TrainConfig } from './trainer';

/** Mask types a training run can draw (a custom mask has no meaning across scans of other sizes). */
export const TRAIN_MASK_TYPES = MASK_TYPE_NAMES.filter((t): t is Exclude<MaskType, 'custom'> => t !== 'custom');
export const MODEL_ARCHS = ['unet', 'varnet'] as const;

export interface TrainConfigInput {
  /** a scan file or a folder of scans (required) */
  data: string;
  /** validation scans; absent = split `valFraction` of the training volumes off */
  val?: string | null;
  valFraction?: number;
  maxSlices?: number;
  valMaxSlices?: number;
  patch?: number;

  model?: string;
  chans?: number;
  pools?: number;
  norm?: string;
  dropout?: number;
  /** VarNet: cascades and the sensitivity U-Net (chans / pools then size each cascade's U-Net) */
  cascades?: number;
  sensChans?: number;
  sensPools?: number;

  mask?: string;
  accelerations?: number[];
  centerFractions?: number[];

  optimizer?: string;
  lr?: number;
  weightDecay?: number;
  momentum?: number;
  schedule?: string;
  warmup?: number;
  stepSize?: number;
  gamma?: number;
  /** global-norm gradient clipping; absent / null = off */
  clip?: number | null;

  loss?: string;
  ssimWeight?: number;

  epochs?: number;
  batch?: number;
  checkpointEvery?: number;
  keepCheckpoints?: number;
  seed?: number;
  /** fine-tune from this checkpoint, run folder or fastMRI .safetensors */
  init?: string | null;
  backend?: string;
}

export type TrainConfigField = keyof TrainConfigInput;

export interface BuildOptions {
  /** how messages name a field (default: its input name) */
  label?: (field: TrainConfigField) => string;
}

/** The CLI's flag for each input field, for `buildTrainConfig(input, { label: cliFlag })`. */
export function cliFlag(field: TrainConfigField): string {
  const flags: Partial<Record<TrainConfigField, string>> = {
    valFraction: 'val-fraction',
    maxSlices: 'max-slices',
    valMaxSlices: 'val-max-slices',
    accelerations: 'accel',
    centerFractions: 'center',
    weightDecay: 'weight-decay',
    stepSize: 'step-size',
    ssimWeight: 'ssim-weight',
    checkpointEvery: 'checkpoint-every',
    keepCheckpoints: 'keep-checkpoints',
    sensChans: 'sens-chans',
    sensPools: 'sens-pools',
  };
  return `--${flags[field] ?? field}`;
}

export const TRAIN_DEFAULTS = {
  model: 'unet',
  chans: 32,
  pools: 4,
  norm: 'group',
  dropout: 0,
  mask: 'random',
  accelerations: [4],
  optimizer: 'adam',
  lr: 1e-3,
  schedule: 'constant',
  loss: 'l1',
  epochs: 10,
  batch: 1,
  valFraction: 0.2,
  checkpointEvery: 50,
  keepCheckpoints: 3,
  seed: 0,
} as const;

/** fastMRI's centre fraction for an acceleration: 0.04 from 8× up, else 0.08. */
export function defaultCenterFraction(acceleration: number): number {
  return acceleration >= 8 ? 0.04 : 0.08;
}

export function buildTrainConfig(input: TrainConfigInput, options: BuildOptions = {}): TrainConfig {
  const L = options.label ?? ((f: TrainConfigField) => f);
  const v = input;
  const fail = (message: string): never => {
    throw new RangeError(message);
  };
  const number = (field: TrainConfigField, fallback?: number): number => {
    const x = v[field];
    if (x === undefined || x === null) {
      if (fallback === undefined) return fail(`${L(field)} is required`);
      return fallback;
    }
    if (typeof x !== 'number' || !Number.isFinite(x)) return fail(`${L(field)} must be a number, got ${String(x)}`);
    return x;
  };
  const posInt = (field: TrainConfigField, fallback?: number): number => {
    const n = number(field, fallback);
    if (!Number.isInteger(n) || n < 1) fail(`${L(field)} must be a positive integer, got ${n}`);
    return n;
  };
  const nonNegInt = (field: TrainConfigField): number => {
    const n = number(field);
    if (!Number.isInteger(n) || n < 0) fail(`${L(field)} must be a non-negative integer, got ${n}`);
    return n;
  };
  const oneOf = <T extends string>(field: TrainConfigField, allowed: readonly T[], fallback: T): T => {
    const x = v[field] ?? fallback;
    if (typeof x !== 'string' || !(allowed as readonly string[]).includes(x))
      fail(`${L(field)} must be one of ${allowed.join(', ')}, got '${String(x)}'`);
    return x as T;
  };
  const list = (field: 'accelerations' | 'centerFractions', fallback: number[]): number[] => {
    const x = v[field];
    if (x === undefined) return fallback;
    if (!Array.isArray(x) || x.length === 0) return fail(`${L(field)} needs at least one value`);
    if (x.some((n) => typeof n !== 'number' || !Number.isFinite(n))) fail(`${L(field)} values must be numbers`);
    return [...x];
  };

  const data = v.data;
  if (typeof data !== 'string' || data === '') fail(`${L('data')} is required`);
  if (!existsSync(data)) fail(`${L('data')} ${data}: not found`);
  if (v.val && !existsSync(v.val)) fail(`${L('val')} ${v.val}: not found`);
  if (v.init && !existsSync(v.init)) fail(`${L('init')} ${v.init}: not found`);

  const arch = oneOf('model', MODEL_ARCHS, TRAIN_DEFAULTS.model);
  let spec: ModelSpec;
  const archGiven = v.chans !== undefined || v.pools !== undefined || v.norm !== undefined;
  if (v.init && !archGiven) {
    // fine-tuning without architecture options: adopt the init checkpoint's architecture
    try {
      spec = readWeightsFile(v.init).spec;
    } catch (e) {
      return fail(`${L('init')}: ${(e as Error).message}`);
    }
  } else if (arch === 'varnet') {
    const d = DEFAULT_VARNET;
    try {
      spec = {
        arch: 'varnet',
        config: checkVarnetConfig({
          numCascades: posInt('cascades', d.numCascades),
          chans: posInt('chans', d.chans),
          pools: posInt('pools', d.pools),
          sensChans: posInt('sensChans', d.sensChans),
          sensPools: posInt('sensPools', d.sensPools),
          maskCenter: true,
        }),
      };
    } catch (e) {
      return fail((e as Error).message);
    }
  } else {
    const chans = posInt('chans', TRAIN_DEFAULTS.chans);
    const pools = posInt('pools', TRAIN_DEFAULTS.pools);
    const dropProb = number('dropout', TRAIN_DEFAULTS.dropout);
    const norm = oneOf<NormType>('norm', NORM_TYPES, TRAIN_DEFAULTS.norm);
    spec = { arch: 'unet', config: checkUnetConfig({ inChans: 1, outChans: 1, chans, numPoolLayers: pools, dropProb, norm }) };
  }

  const mask = oneOf<(typeof TRAIN_MASK_TYPES)[number]>('mask', TRAIN_MASK_TYPES, TRAIN_DEFAULTS.mask);
  const accelerations = list('accelerations', [...TRAIN_DEFAULTS.accelerations]);
  const centerFractions = list('centerFractions', accelerations.map(defaultCenterFraction));
  if (centerFractions.length !== 1 && centerFractions.length !== accelerations.length) {
    fail(`${L('centerFractions')} needs one value or one per ${L('accelerations')} value`);
  }
  if (accelerations.some((a) => !(a >= 1 && a <= 64))) fail(`${L('accelerations')} values must be in [1, 64]`);
  if (centerFractions.some((c) => !(c > 0 && c < 1))) fail(`${L('centerFractions')} values must be in (0, 1)`);

  const lr = number('lr', TRAIN_DEFAULTS.lr);
  if (!(lr > 0)) fail(`${L('lr')} must be positive, got ${lr}`);
  const epochs = posInt('epochs', TRAIN_DEFAULTS.epochs);
  const valFraction = number('valFraction', TRAIN_DEFAULTS.valFraction);
  if (!(valFraction > 0 && valFraction < 1)) fail(`${L('valFraction')} must be in (0, 1)`);
  const clip = v.clip === undefined || v.clip === null ? null : number('clip');
  if (clip !== null && !(clip > 0)) fail(`${L('clip')} must be positive`);
  const seed = number('seed', TRAIN_DEFAULTS.seed);
  if (!Number.isInteger(seed) || seed < 0) fail(`${L('seed')} must be a non-negative integer`);
  const weightDecay = v.weightDecay === undefined ? undefined : number('weightDecay');
  if (weightDecay !== undefined && !(weightDecay >= 0)) fail(`${L('weightDecay')} must be ≥ 0, got ${weightDecay}`);
  const momentum = v.momentum === undefined ? undefined : number('momentum');
  if (momentum !== undefined && !(momentum >= 0 && momentum < 1)) fail(`${L('momentum')} must be in [0, 1), got ${momentum}`);
  const gamma = v.gamma === undefined ? undefined : number('gamma');
  if (gamma !== undefined && !(gamma > 0)) fail(`${L('gamma')} must be positive, got ${gamma}`);
  const ssimWeight = v.ssimWeight === undefined ? undefined : number('ssimWeight');
  if (ssimWeight !== undefined && !(ssimWeight >= 0 && ssimWeight <= 1))
    fail(`${L('ssimWeight')} must be in [0, 1], got ${ssimWeight}`);
  if (v.backend !== undefined && (typeof v.backend !== 'string' || v.backend === ''))
    fail(`${L('backend')} must be a backend name`);

  return {
    version: 1,
    model: spec,
    data: {
      train: [resolve(data)],
      val: v.val ? [resolve(v.val)] : null,
      valFraction,
      ...(v.maxSlices !== undefined ? { maxSlicesPerVolume: posInt('maxSlices') } : {}),
      ...(v.valMaxSlices !== undefined ? { valMaxSlicesPerVolume: posInt('valMaxSlices') } : {}),
      ...(v.patch !== undefined ? { patch: posInt('patch') } : {}),
    },
    mask: { type: mask, accelerations, centerFractions },
    optimizer: {
      name: oneOf<OptimizerName>('optimizer', OPTIMIZER_NAMES, TRAIN_DEFAULTS.optimizer),
      lr,
      ...(weightDecay !== undefined ? { weightDecay } : {}),
      ...(momentum !== undefined ? { momentum } : {}),
    },
    schedule: {
      name: oneOf<ScheduleName>('schedule', SCHEDULES, TRAIN_DEFAULTS.schedule),
      warmupSteps: v.warmup !== undefined ? nonNegInt('warmup') : 0,
      ...(v.stepSize !== undefined ? { stepSize: posInt('stepSize') } : {}),
      ...(gamma !== undefined ? { gamma } : {}),
    },
    loss: { type: oneOf<LossType>('loss', LOSS_TYPES, TRAIN_DEFAULTS.loss), ...(ssimWeight !== undefined ? { ssimWeight } : {}) },
    epochs,
    batch: posInt('batch', TRAIN_DEFAULTS.batch),
    clipNorm: clip,
    checkpointEvery: posInt('checkpointEvery', TRAIN_DEFAULTS.checkpointEvery),
    keepCheckpoints: posInt('keepCheckpoints', TRAIN_DEFAULTS.keepCheckpoints),
    seed,
    init: v.init ? resolve(v.init) : null,
    ...(v.backend ? { backend: v.backend } : {}),
  };
}
