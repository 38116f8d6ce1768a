/**
 * The training loop and its run folder:
 *
 *   RUN/config.json          the TrainConfig (written once; `resume` reads it back)
 *   RUN/metrics.jsonl        one JSON line per optimiser step ({type:'step'}) and per epoch ({type:'epoch'})
 *   RUN/checkpoints/ckpt-<step>.safetensors   model + optimiser slots + RNG + position (last K kept)
 *   RUN/model.safetensors    the final model (what `recon --method unet --model RUN` loads)
 *
 * Crash safety. Every file is written atomically (temp + fsync + rename), so a reader never sees a
 * partial file under a real name. The metrics log is rewritten (atomically) before each checkpoint,
 * so it always holds every line up to the newest checkpoint; on resume it is cut back to exactly the
 * checkpoint (step lines ≤ its step, epoch lines of completed epochs), and the steps after it are
 * redone with the same masks (the RNG state is in the checkpoint) — no gap, no duplicate.
 *
 * A step: `batch` single-slice micro-steps (slices differ in size) with gradients accumulated, averaged,
 * optionally clipped by global norm, then one optimiser update. The learning rate is a pure function of
 * the step (schedule.ts). Validation after each epoch: fastMRI volume metrics (evaluateVolume) of the
 * de-normalised U-Net output and of zero-filled, with file-name-seeded masks.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ensureBackend } from '../backend';
import { writeFileAtomically } from '../io/atomic';
import type { ScanSource } from '../io/scan';
import { denormalize } from '../models/transforms';
import { applyTraining, predict } from '../models/unet';
import type { NamedArray } from '../models/safetensors';
import { VarNet } from '../models/varnet';
import {
  buildModel,
  checkpointName,
  describeSpec,
  encodeCheckpoint,
  latestCheckpoint,
  listCheckpoints,
  modelWeights,
  readWeightsFile,
  sameArchitecture,
  setModelWeights,
  setVarnetWeights,
  type ModelSpec,
} from '../models/weights';
import {
  datasetFromSources,
  makeSample,
  openDataset,
  splitByVolume,
  validationSeed,
  type Dataset,
  type MaskConfig,
  type Sample,
} from './data';
import { computeLoss, dataRange, type LossConfig } from './losses';
import { makeOptimizer, type OptimizerConfig, type TrainOptimizer } from './optim';
import { Rng, type RngState } from './rng';
import { learningRateAt, type ScheduleConfig } from './schedule';
import { validateVolumes, type ValMetrics } from './validation';
import { accumulatedStep, makeVarnetSample, validateVarnet, varnetTrainStep, type VarnetSample } from './varnet';

export type { ValMetrics } from './validation';

export class TrainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainError';
  }
}

export interface TrainConfig {
  version: 1;
  model: ModelSpec;
  data: {
    train: string[];
    /** validation scans; null = split `valFraction` of the training volumes off */
    val: string[] | null;
    valFraction: number;
    maxSlicesPerVolume?: number;
    valMaxSlicesPerVolume?: number;
    /** train on random square patches of this side (after normalising the whole slice); validation sees whole slices */
    patch?: number;
  };
  mask: MaskConfig;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  loss: LossConfig;
  epochs: number;
  /** slices per optimiser step (gradient accumulation) */
  batch: number;
  /** global-norm gradient clipping; null = off */
  clipNorm: number | null;
  /** checkpoint every N optimiser steps (and at each epoch end) */
  checkpointEvery: number;
  keepCheckpoints: number;
  seed: number;
  /** fine-tune from this checkpoint / fastMRI safetensors (weights only) */
  init: string | null;
  backend?: string;
}

export type TrainEvent =
  | { type: 'step'; step: number; epoch: number; loss: number; lr: number; gradNorm: number; slices: number; ms: number }
  | { type: 'epoch'; epoch: number; step: number; trainLoss: number; val: ValMetrics | null; ms: number }
  | { type: 'checkpoint'; step: number; epoch: number; path: string }
  | { type: 'log'; message: string }
  /** isPaused stopped the loop before its next step (step = steps done), or it went on (false; none after a cancel) */
  | { type: 'paused'; paused: boolean; step: number };

export interface TrainHooks {
  onEvent?: (e: TrainEvent) => void;
  /** polled before every step (the loop yields to the event loop first, so signal and key handlers run) */
  isCancelled?: () => boolean;
  /** polled before every step; while true the loop waits (polling both every 100 ms) */
  isPaused?: () => boolean;
}

export interface TrainOptions {
  out: string;
  /** required for a new run; for resume, taken from RUN/config.json */
  config?: TrainConfig;
  resume?: boolean;
  hooks?: TrainHooks;
  /** programmatic data (tests, other readers): replaces config.data paths */
  sources?: { train: ScanSource[]; val: ScanSource[] };
  /** stop after this many optimiser steps in this invocation (tests, benchmarks) */
  maxSteps?: number;
}

export interface TrainResult {
  step: number;
  epoch: number;
  cancelled: boolean;
  lastVal: ValMetrics | null;
  modelPath: string | null;
  backend: string;
}

interface Position {
  step: number;
  epoch: number;
  index: number;
  epochsCompleted: number;
}

type LogLine = { type: 'step'; step: number; epoch: number } | { type: 'epoch'; epoch: number; step: number };

export function checkTrainConfig(c: TrainConfig): TrainConfig {
  const posInt = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  };
  posInt(c.epochs, 'epochs');
  posInt(c.batch, 'batch');
  posInt(c.checkpointEvery, 'checkpointEvery');
  posInt(c.keepCheckpoints, 'keepCheckpoints');
  if (c.clipNorm !== null && !(c.clipNorm > 0)) throw new RangeError(`clipNorm must be positive, got ${c.clipNorm}`);
  if (!Number.isInteger(c.seed) || c.seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${c.seed}`);
  return c;
}

/** PyTorch's default conv init (kaiming_uniform with a = √5 → U(±1/√fan_in)), drawn from our RNG. */
export function initWeights(model: tfl.LayersModel, rng: Rng): void {
  for (const w of model.trainableWeights) {
    const shape = w.shape as number[];
    const name = w.originalName;
    if (!/\/(kernel|bias)$/.test(name)) continue;
    let fanIn: number;
    if (name.endsWith('/kernel')) {
      // conv HWIO: fan_in = kh·kw·in; transposed conv [kh, kw, out, in]: PyTorch uses dim 1 of [in, out, kh, kw] = out
      fanIn = shape[0] * shape[1] * shape[2];
    } else {
      const kernel = model.trainableWeights.find((k) => k.originalName === name.replace(/bias$/, 'kernel'));
      const ks = (kernel?.shape ?? [1, 1, 1]) as number[];
      fanIn = ks[0] * ks[1] * ks[2];
    }
    const bound = 1 / Math.sqrt(fanIn);
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (2 * rng.next() - 1) * bound;
    const t = tf.tensor(data, shape);
    w.write(t);
    t.dispose();
  }
  // a residual U-Net starts as the identity (zero-filled in, zero-filled out)
  if (model.layers.some((l) => l.name === 'residual')) {
    for (const w of model.getLayer('out_conv').weights) {
      const z = tf.zeros(w.shape as number[]);
      w.write(z);
      z.dispose();
    }
  }
}

function readJsonl(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a torn last line cannot happen with atomic rewrites; skip anything unparsable regardless
    }
  }
  return out;
}

/** The log lines a checkpoint at `pos` covers. */
export function truncateLog(lines: Record<string, unknown>[], pos: Position): Record<string, unknown>[] {
  return lines.filter((l) => {
    const x = l as unknown as LogLine;
    if (x.type === 'step') return x.step <= pos.step;
    if (x.type === 'epoch') return x.epoch < pos.epochsCompleted;
    return false;
  });
}

async function loadSources(
  config: TrainConfig,
  given: TrainOptions['sources'],
  rngSeed: number,
): Promise<{ train: Dataset; val: Dataset | null }> {
  const cap = config.data.maxSlicesPerVolume;
  const vcap = config.data.valMaxSlicesPerVolume;
  if (given) {
    if (given.train.length === 0) throw new TrainError('empty training set');
    return { train: datasetFromSources(given.train, cap), val: given.val.length ? datasetFromSources(given.val, vcap) : null };
  }
  const all = await openDataset(config.data.train);
  if (config.data.val && config.data.val.length) {
    const val = await openDataset(config.data.val);
    return { train: datasetFromSources(all.sources, cap), val: datasetFromSources(val.sources, vcap) };
  }
  if (all.sources.length < 2) return { train: datasetFromSources(all.sources, cap), val: null };
  const rng = new Rng(rngSeed ^ 0x5eed);
  const { train, val } = splitByVolume(all.sources, config.data.valFraction, () => rng.next());
  return { train: datasetFromSources(train, cap), val: datasetFromSources(val, vcap) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A macrotask turn: a step is synchronous, and SIGINT or a key press is only seen between turns. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export async function validate(model: tfl.LayersModel, val: Dataset, mask: MaskConfig, loss: LossConfig): Promise<ValMetrics> {
  return validateVolumes(val, (src, slice) => {
    const sample = makeSample(src, slice, mask, validationSeed(src), 0);
    const { h, w } = sample;
    const x = tf.tensor4d(sample.input, [1, h, w, 1]);
    const y = tf.tensor4d(sample.target, [1, h, w, 1]);
    const out = predict(model, x);
    const l = tf.tidy(() => computeLoss(loss, out, y, [dataRange(sample.target)]));
    const lossValue = l.dataSync()[0];
    const o = out.dataSync() as Float32Array;
    tf.dispose([x, y, out, l]);
    return {
      loss: lossValue,
      pred: denormalize(o, sample.mean, sample.std),
      gt: denormalize(sample.target, sample.mean, sample.std),
      zf: denormalize(sample.input, sample.mean, sample.std),
      h,
      w,
    };
  });
}

/**
 * One optimiser step: a forward / backward pass per sample (slices may differ in size), gradients
 * summed, averaged, clipped by global norm when `clipNorm` is set, applied. Leaves no tensors behind
 * once the optimiser's slots exist (after the first step). Returns the mean loss (NaN stops nothing
 * here: the caller decides) and the pre-clipping gradient norm.
 */
export function trainStep(
  model: tfl.LayersModel,
  vars: tf.Variable[],
  opt: TrainOptimizer,
  samples: Sample[],
  loss: LossConfig,
  clipNorm: number | null,
): { loss: number; gradNorm: number } {
  return accumulatedStep(
    vars,
    opt,
    samples.length,
    (i) => {
      const s = samples[i];
      const x = tf.tensor4d(s.input, [1, s.h, s.w, 1]);
      const y = tf.tensor4d(s.target, [1, s.h, s.w, 1]);
      return computeLoss(loss, applyTraining(model, x), y, [dataRange(s.target)]);
    },
    clipNorm,
  );
}

/** What the loop needs of a network: the U-Net (a LayersModel on image samples) or the VarNet (k-space samples). */
interface Trainee {
  vars: tf.Variable[];
  init(rng: Rng): void;
  setWeights(weights: Map<string, NamedArray>, what: string): void;
  weights(): NamedArray[];
  sample(
    source: ScanSource,
    slice: number,
    mask: MaskConfig,
    seed: number,
    choice: number,
    rng: Rng,
    patch?: number,
  ): Sample | VarnetSample;
  step(
    samples: (Sample | VarnetSample)[],
    opt: TrainOptimizer,
    loss: LossConfig,
    clipNorm: number | null,
  ): { loss: number; gradNorm: number };
  validate(val: Dataset, mask: MaskConfig, loss: LossConfig): Promise<ValMetrics>;
  dispose(): void;
}

function makeTrainee(spec: ModelSpec): Trainee {
  if (spec.arch === 'varnet') {
    const net = new VarNet(spec.config);
    return {
      vars: net.trainableVariables(),
      init: (rng) => {
        initWeights(net.sens, rng);
        for (const c of net.cascades) initWeights(c, rng);
      },
      setWeights: (w, what) => setVarnetWeights(net, w, what),
      weights: () => net.weights(),
      sample: (src, slice, mask, seed, choice) => makeVarnetSample(src, slice, mask, seed, choice),
      step: (samples, opt, loss, clip) =>
        varnetTrainStep(net, net.trainableVariables(), opt, samples as VarnetSample[], loss, clip),
      validate: (val, mask, loss) => validateVarnet(net, val, mask, loss, validationSeed),
      dispose: () => net.dispose(),
    };
  }
  const model = buildModel(spec);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    vars,
    init: (rng) => initWeights(model, rng),
    setWeights: (w, what) => setModelWeights(model, w, what),
    weights: () => modelWeights(model),
    sample: (src, slice, mask, seed, choice, rng, patch) => {
      const s = makeSample(src, slice, mask, seed, choice);
      return patch ? randomPatch(s, patch, rng) : s;
    },
    step: (samples, opt, loss, clip) => trainStep(model, vars, opt, samples as Sample[], loss, clip),
    validate: (val, mask, loss) => validate(model, val, mask, loss),
    dispose: () => model.dispose(),
  };
}

/** A random patch × patch window of a sample (the whole sample when it is smaller). */
export function randomPatch(s: Sample, patch: number, rng: Rng): Sample {
  const ph = Math.min(patch, s.h);
  const pw = Math.min(patch, s.w);
  const y0 = rng.int(s.h - ph + 1);
  const x0 = rng.int(s.w - pw + 1);
  if (ph === s.h && pw === s.w) return s;
  const cut = (a: Float32Array) => {
    const o = new Float32Array(ph * pw);
    for (let y = 0; y < ph; y++) o.set(a.subarray((y0 + y) * s.w + x0, (y0 + y) * s.w + x0 + pw), y * pw);
    return o;
  };
  return { ...s, input: cut(s.input), target: cut(s.target), h: ph, w: pw };
}

function epochOrder(seed: number, epoch: number, n: number): number[] {
  return new Rng((seed * 1000003 + 7919 * (epoch + 1)) >>> 0).permutation(n);
}

export async function trainRun(opts: TrainOptions): Promise<TrainResult> {
  const { out, hooks = {} } = opts;
  const emit = (e: TrainEvent) => hooks.onEvent?.(e);
  const configPath = join(out, 'config.json');
  const ckptDir = join(out, 'checkpoints');
  const logPath = join(out, 'metrics.jsonl');

  let config: TrainConfig;
  if (opts.resume) {
    if (!existsSync(configPath)) throw new TrainError(`cannot resume: ${configPath} not found`);
    try {
      config = JSON.parse(readFileSync(configPath, 'utf8')) as TrainConfig;
    } catch (e) {
      throw new TrainError(`cannot resume: ${configPath} is not valid JSON (${(e as Error).message})`);
    }
    if (opts.config && !sameArchitecture(opts.config.model, config.model)) {
      throw new TrainError(
        `cannot resume: the run's model is ${describeSpec(config.model)}, the options ask for ${describeSpec(opts.config.model)}`,
      );
    }
    if (opts.config) config = { ...config, epochs: opts.config.epochs };
  } else {
    if (!opts.config) throw new TrainError('a new run needs a config');
    config = opts.config;
    if (existsSync(ckptDir) && listCheckpoints(ckptDir).length > 0) {
      throw new TrainError(`${out} already holds a run (checkpoints/); use --resume or another --out`);
    }
  }
  checkTrainConfig(config);
  const { name: backend } = await ensureBackend(config.backend);
  mkdirSync(ckptDir, { recursive: true });
  for (const f of readdirSync(ckptDir)) if (f.endsWith('.tmp')) rmSync(join(ckptDir, f), { force: true });

  const data = await loadSources(config, opts.sources, config.seed);
  const net = makeTrainee(config.model);
  const opt: TrainOptimizer = makeOptimizer(config.optimizer);
  const rng = new Rng(config.seed);
  const pos: Position = { step: 0, epoch: 0, index: 0, epochsCompleted: 0 };
  let log: Record<string, unknown>[] = [];
  let lastVal: ValMetrics | null = null;

  try {
    const latest = opts.resume ? latestCheckpoint(ckptDir) : null;
    if (latest) {
      const ck = readWeightsFile(latest);
      if (!sameArchitecture(ck.spec, config.model)) {
        throw new TrainError(`${latest} is a ${describeSpec(ck.spec)}, the run's config is ${describeSpec(config.model)}`);
      }
      net.setWeights(ck.weights, latest);
      const t = ck.training as (Position & { rng: RngState; optimizer: string }) | null;
      if (!t) throw new TrainError(`${latest} has no training state`);
      if (t.optimizer !== config.optimizer.name)
        throw new TrainError(`${latest} was trained with ${t.optimizer}, the config says ${config.optimizer.name}`);
      if (ck.optimizer.length) await opt.setState(ck.optimizer);
      rng.setState(t.rng);
      Object.assign(pos, { step: t.step, epoch: t.epoch, index: t.index, epochsCompleted: t.epochsCompleted });
      log = truncateLog(readJsonl(logPath), pos);
      await writeFileAtomically(logPath, log.map((l) => JSON.stringify(l) + '\n').join(''));
      emit({ type: 'log', message: `resumed from ${latest} at step ${pos.step} (epoch ${pos.epoch}, slice ${pos.index})` });
    } else {
      if (opts.resume) emit({ type: 'log', message: 'no checkpoint yet: starting from scratch' });
      net.init(rng);
      if (config.init) {
        const init = readWeightsFile(config.init);
        if (!sameArchitecture(init.spec, config.model)) {
          throw new TrainError(
            `--init ${config.init} is a ${describeSpec(init.spec)}, the run's model is ${describeSpec(config.model)}`,
          );
        }
        net.setWeights(init.weights, config.init);
        emit({ type: 'log', message: `initialised from ${config.init}` });
      }
      await writeFileAtomically(configPath, JSON.stringify(config, null, 2) + '\n');
      await writeFileAtomically(logPath, '');
    }

    let lastFlush = performance.now();
    let lastCkptStep = latest ? pos.step : -1;
    const flushLog = () => writeFileAtomically(logPath, log.map((l) => JSON.stringify(l) + '\n').join(''));
    const checkpoint = async () => {
      await flushLog();
      lastFlush = performance.now();
      const path = join(ckptDir, checkpointName(pos.step));
      const training = { ...pos, rng: rng.getState(), optimizer: config.optimizer.name, savedAt: new Date().toISOString() };
      await writeFileAtomically(path, encodeCheckpoint(config.model, net.weights(), await opt.getState(), training));
      lastCkptStep = pos.step;
      const all = listCheckpoints(ckptDir);
      for (const old of all.slice(0, Math.max(0, all.length - config.keepCheckpoints))) rmSync(old, { force: true });
      emit({ type: 'checkpoint', step: pos.step, epoch: pos.epoch, path });
    };

    const train = data.train;
    let stepsThisRun = 0;
    let cancelled = false;
    outer: while (pos.epoch < config.epochs) {
      const order = epochOrder(config.seed, pos.epoch, train.items.length);
      let t0 = performance.now();
      let epochLoss = 0;
      let epochSteps = 0;
      while (pos.index < order.length) {
        await yieldToEventLoop();
        if (hooks.isPaused?.() && !hooks.isCancelled?.()) {
          emit({ type: 'paused', paused: true, step: pos.step });
          const pausedAt = performance.now();
          while (hooks.isPaused() && !hooks.isCancelled?.()) await sleep(100);
          t0 += performance.now() - pausedAt; // the epoch's time is training time
          if (!hooks.isCancelled?.()) emit({ type: 'paused', paused: false, step: pos.step });
        }
        if (hooks.isCancelled?.() || (opts.maxSteps !== undefined && stepsThisRun >= opts.maxSteps)) {
          cancelled = !!hooks.isCancelled?.();
          break outer;
        }
        const ts = performance.now();
        const lr = learningRateAt(config.optimizer.lr, config.schedule, pos.step);
        opt.setLearningRate(lr);
        const samples: (Sample | VarnetSample)[] = [];
        while (samples.length < config.batch && pos.index < order.length) {
          const item = train.items[order[pos.index]];
          const seed = rng.nextUint32();
          const choice = rng.int(config.mask.accelerations.length);
          samples.push(net.sample(train.sources[item.volume], item.slice, config.mask, seed, choice, rng, config.data.patch));
          pos.index++;
        }
        const { loss, gradNorm: norm } = net.step(samples, opt, config.loss, config.clipNorm);
        if (!Number.isFinite(loss)) {
          throw new TrainError(
            `loss is ${loss} at step ${pos.step} (epoch ${pos.epoch}); lower the learning rate or enable clipping`,
          );
        }
        const count = samples.length;
        pos.step++;
        stepsThisRun++;
        epochLoss += loss;
        epochSteps++;
        const ev = {
          type: 'step' as const,
          step: pos.step,
          epoch: pos.epoch,
          loss,
          lr,
          gradNorm: norm,
          slices: count,
          ms: performance.now() - ts,
        };
        log.push(ev);
        emit(ev);
        if (pos.step % config.checkpointEvery === 0) await checkpoint();
        else if (performance.now() - lastFlush > 10_000) {
          await flushLog();
          lastFlush = performance.now();
        }
      }
      lastVal = data.val ? await net.validate(data.val, config.mask, config.loss) : null;
      const ev = {
        type: 'epoch' as const,
        epoch: pos.epoch,
        step: pos.step,
        trainLoss: epochSteps ? epochLoss / epochSteps : NaN,
        val: lastVal,
        ms: performance.now() - t0,
      };
      log.push(ev);
      emit(ev);
      pos.epoch++;
      pos.index = 0;
      pos.epochsCompleted = pos.epoch;
      await checkpoint();
    }
    if (pos.step !== lastCkptStep) await checkpoint();
    else await flushLog();
    let modelPath: string | null = null;
    if (pos.epoch >= config.epochs && !cancelled) {
      modelPath = join(out, 'model.safetensors');
      await writeFileAtomically(modelPath, encodeCheckpoint(config.model, net.weights()));
    }
    return { step: pos.step, epoch: pos.epoch, cancelled, lastVal, modelPath, backend };
  } finally {
    opt.dispose();
    net.dispose();
    if (!opts.sources) {
      for (const s of data.train.sources) s.close();
      for (const s of data.val?.sources ?? []) s.close();
    }
  }
}
