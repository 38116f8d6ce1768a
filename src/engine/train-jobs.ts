/**
 * Training jobs for the engine: train.start runs one training job at a time in its own worker thread
 * (dist/workers/train.mjs), so the engine never blocks; train.runs lists run folders. Events are
 * 'train.event' (steps, epochs with validation metrics, checkpoints, log lines) and one end per job:
 * 'train.done' (finished or cancelled at a checkpoint) or 'job.error'. Cancel and pause flip shared Int32
 * flags the trainer polls between steps (a paused job waits, its state 'paused', until resumed or
 * cancelled); a crashed worker becomes job.error with its message.
 *
 * This module stays free of tfjs: the engine's thread only reads files here, and everything that
 * needs the model code runs in the worker.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type {
  EventName,
  EventPayload,
  JobInfo,
  ParsedParams,
  RequestResult,
  TRAIN_BACKENDS,
  TRAIN_LOSSES,
  TRAIN_NORMS,
  TRAIN_OPTIMIZERS,
  TRAIN_SCHEDULES,
  TrainRun,
  TrainVal,
} from '../contract/schemas';
import type { BackendName } from '../backend';
import type { NormType } from '../models/unet';
import type { LossType } from '../train/losses';
import type { OptimizerName } from '../train/optim';
import type { ScheduleName } from '../train/schedule';
import { EngineFailure, oneLine } from './errors';
import { newId } from './ids';
import {
  FLAG_CANCEL,
  FLAG_COUNT,
  FLAG_PAUSE,
  type FromTrainWorker,
  type ToTrainWorker,
  type TrainJobParams,
} from './train-protocol';
import { workerPath } from './worker-path';

// the contract's choice lists mirror the trainer's; this fails to compile when they drift apart
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _choicesMatch: [
  Same<NormType, (typeof TRAIN_NORMS)[number]>,
  Same<OptimizerName, (typeof TRAIN_OPTIMIZERS)[number]>,
  Same<LossType, (typeof TRAIN_LOSSES)[number]>,
  Same<ScheduleName, (typeof TRAIN_SCHEDULES)[number]>,
  Same<BackendName, (typeof TRAIN_BACKENDS)[number]>,
] = [true, true, true, true, true];
void _choicesMatch;

type Emit = <N extends EventName>(event: N, payload: EventPayload<N>) => void;

/** the trainer's checkpoint names (src/models/weights.ts, not imported: it loads tfjs) */
const CKPT_RE = /^ckpt-(\d+)\.safetensors$/;
/** how much of metrics.jsonl train.runs reads (from the end) */
const TAIL_BYTES = 256 * 1024;
const MAX_RUNS = 500;
/** how long close() lets a cancelled job reach its checkpoint before terminating the worker */
const CLOSE_GRACE_MS = 3000;

interface TrainJob {
  info: JobInfo;
  out: string;
  worker: Worker;
  /** shared with the worker: FLAG_CANCEL, FLAG_PAUSE */
  flags: Int32Array;
  epochs: number;
  t0: number;
  steps: number;
  epoch: number;
  stepsPerEpoch: number | null;
  best: { epoch: number; nmse: number | null; psnr: number | null; ssim: number | null } | null;
  ended: boolean;
  /** resolves when the job has ended, however it ended */
  end: Promise<void>;
  markEnded: () => void;
}

export class TrainJobs {
  private readonly jobs = new Map<string, TrainJob>();
  private active: TrainJob | null = null;
  private starting = false;
  private closed = false;

  constructor(private readonly emit: Emit) {}

  has(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    if (!job || job.ended) return { cancelled: false };
    Atomics.store(job.flags, FLAG_CANCEL, 1);
    return { cancelled: true };
  }

  /** Pauses or resumes a job between steps; cancel still works while paused. */
  pause(jobId: string, paused: boolean): { paused: boolean } {
    const job = this.jobs.get(jobId);
    if (!job) throw new EngineFailure('not_found', `no training job ${jobId}`);
    if (job.ended || Atomics.load(job.flags, FLAG_CANCEL) !== 0) return { paused: false };
    Atomics.store(job.flags, FLAG_PAUSE, paused ? 1 : 0);
    job.info.state = paused ? 'paused' : 'running';
    return { paused };
  }

  async start(p: TrainJobParams): Promise<{ jobId: string }> {
    if (this.closed) throw new EngineFailure('bad_input', 'the engine is shutting down');
    if (this.active || this.starting) {
      const what = this.active ? ` (${this.active.info.jobId}: ${this.active.info.label})` : '';
      throw new EngineFailure('bad_input', `a training job is already running${what}; cancel it or wait for it to finish`);
    }
    const params: TrainJobParams = {
      ...p,
      out: resolve(p.out),
      ...(p.data !== undefined ? { data: resolve(p.data) } : {}),
      ...(p.val !== undefined ? { val: resolve(p.val) } : {}),
      ...(p.init !== undefined ? { init: resolve(p.init) } : {}),
    };
    checkPaths(params);
    this.starting = true;
    try {
      return await this.spawn(params);
    } finally {
      this.starting = false;
    }
  }

  private async spawn(params: TrainJobParams): Promise<{ jobId: string }> {
    const worker = new Worker(workerPath('train'));
    const flags = new Int32Array(new SharedArrayBuffer(FLAG_COUNT * Int32Array.BYTES_PER_ELEMENT));
    let ready: { epochs: number; model: string };
    try {
      ready = await new Promise<{ epochs: number; model: string }>((resolveReady, reject) => {
        const onMessage = (msg: FromTrainWorker) => {
          if (msg.type === 'ready') done(() => resolveReady(msg));
          else if (msg.type === 'error') done(() => reject(new EngineFailure('bad_input', oneLine(msg.error))));
        };
        const onError = (err: Error) =>
          done(() => reject(new EngineFailure('internal', `training worker failed: ${oneLine(err.message)}`)));
        const onExit = (code: number) =>
          done(() => reject(new EngineFailure('internal', `training worker exited with code ${code}`)));
        const done = (f: () => void) => {
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
          f();
        };
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        const msg: ToTrainWorker = { type: 'start', params, flags: flags.buffer as SharedArrayBuffer };
        worker.postMessage(msg);
      });
    } catch (e) {
      void worker.terminate();
      throw e;
    }
    if (this.closed) {
      void worker.terminate();
      throw new EngineFailure('bad_input', 'the engine is shutting down');
    }
    const jobId = newId('train');
    let markEnded!: () => void;
    const end = new Promise<void>((r) => (markEnded = r));
    const job: TrainJob = {
      info: {
        jobId,
        kind: 'train',
        label: `training · ${basename(params.out)}`,
        state: 'running',
        fraction: 0,
        startedAt: Date.now(),
        error: null,
      },
      out: params.out,
      worker,
      flags,
      epochs: ready.epochs,
      t0: performance.now(),
      steps: 0,
      epoch: 0,
      stepsPerEpoch: null,
      best: null,
      ended: false,
      end,
      markEnded,
    };
    this.active = job;
    this.jobs.set(jobId, job);
    this.prune();
    worker.on('message', (msg: FromTrainWorker) => this.onMessage(job, msg));
    worker.on('error', (err) => this.fail(job, `training worker failed: ${oneLine(err.message)}`, false));
    worker.on('exit', (code) => this.fail(job, `training worker exited unexpectedly (code ${code})`, false));
    // deferred so that the caller holds the job id before any event about it arrives
    setImmediate(() => {
      const go: ToTrainWorker = { type: 'go' };
      if (!job.ended) worker.postMessage(go);
    });
    return { jobId };
  }

  private onMessage(job: TrainJob, msg: FromTrainWorker): void {
    if (job.ended) return;
    const { jobId } = job.info;
    switch (msg.type) {
      case 'event': {
        const e = msg.event;
        if (e.type === 'step') {
          job.steps = e.step;
          job.epoch = e.epoch;
          if (job.stepsPerEpoch)
            job.info.fraction = Math.min(
              0.999,
              (e.epoch + Math.min(1, (e.step - e.epoch * job.stepsPerEpoch) / job.stepsPerEpoch)) / job.epochs,
            );
        } else if (e.type === 'epoch') {
          job.epoch = e.epoch + 1;
          job.stepsPerEpoch = e.epoch >= 0 ? Math.max(1, Math.round(e.step / (e.epoch + 1))) : null;
          job.info.fraction = Math.min(1, (e.epoch + 1) / job.epochs);
          if (e.val && (job.best === null || (e.val.psnr ?? -Infinity) > (job.best.psnr ?? -Infinity)))
            job.best = bestOf(e.epoch, e.val);
        }
        this.emit('train.event', { jobId, event: e });
        break;
      }
      case 'done': {
        const r = msg.result;
        job.info.state = r.cancelled ? 'cancelled' : 'done';
        if (!r.cancelled) job.info.fraction = 1;
        job.info.error = r.cancelled ? 'cancelled' : null;
        this.finish(job);
        this.emit('train.done', {
          jobId,
          out: job.out,
          steps: r.step,
          epochs: r.epoch,
          cancelled: r.cancelled,
          modelPath: r.modelPath,
          ...(job.best ? { bestVal: job.best } : {}),
          elapsedMs: performance.now() - job.t0,
        });
        break;
      }
      case 'error':
        this.fail(job, oneLine(msg.error), msg.cancelled);
        break;
      case 'ready':
        break;
    }
  }

  private fail(job: TrainJob, error: string, cancelled: boolean): void {
    if (job.ended) return;
    job.info.state = cancelled ? 'cancelled' : 'failed';
    job.info.error = cancelled ? 'cancelled' : error;
    this.finish(job);
    this.emit('job.error', { jobId: job.info.jobId, error: job.info.error, cancelled });
  }

  private finish(job: TrainJob): void {
    job.ended = true;
    if (this.active === job) this.active = null;
    job.worker.removeAllListeners('exit');
    job.worker.removeAllListeners('error');
    job.worker.on('error', () => {});
    void job.worker.terminate();
    job.markEnded();
  }

  private prune(): void {
    if (this.jobs.size <= 50) return;
    for (const [id, j] of this.jobs) {
      if (j.ended) this.jobs.delete(id);
      if (this.jobs.size <= 40) break;
    }
  }

  /** Run folders in `directory` (or the folder itself when it is one), newest first. */
  async runs(p: ParsedParams<'train.runs'>): Promise<RequestResult<'train.runs'>> {
    const dir = resolve(p.directory);
    let st;
    try {
      st = await stat(dir);
    } catch {
      throw new EngineFailure('not_found', `directory ${dir}: not found`);
    }
    if (!st.isDirectory()) throw new EngineFailure('bad_input', `${dir} is a file, not a folder`);
    const candidates: string[] = [];
    if (isRunFolder(dir)) candidates.push(dir);
    else {
      for (const d of (await readdir(dir, { withFileTypes: true })).slice(0, 5000)) {
        if (d.isDirectory() && !d.name.startsWith('.') && isRunFolder(join(dir, d.name))) candidates.push(join(dir, d.name));
        if (candidates.length >= MAX_RUNS) break;
      }
    }
    const runs = await Promise.all(candidates.map(readRun));
    runs.sort((a, b) => (b.modifiedAt ?? 0) - (a.modifiedAt ?? 0) || a.name.localeCompare(b.name));
    return { directory: dir, runs };
  }

  /** Cancels a running job, lets it reach its checkpoint briefly, then terminates its worker. */
  async close(): Promise<void> {
    this.closed = true;
    const job = this.active;
    if (!job) return;
    Atomics.store(job.flags, FLAG_CANCEL, 1);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.end, new Promise<void>((r) => (timer = setTimeout(r, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    if (!job.ended) this.fail(job, 'the engine closed', true);
  }
}

function bestOf(epoch: number, v: TrainVal): NonNullable<TrainJob['best']> {
  return { epoch, nmse: v.nmse, psnr: v.psnr, ssim: v.ssim };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isRunFolder(path: string): boolean {
  return existsSync(join(path, 'config.json')) || existsSync(join(path, 'metrics.jsonl')) || isDir(join(path, 'checkpoints'));
}

/** Cheap checks on the engine's thread, so that the commonest mistakes answer at once. */
function checkPaths(p: TrainJobParams): void {
  const bad = (m: string) => new EngineFailure('bad_input', m);
  if (p.data !== undefined && !existsSync(p.data)) throw bad(`data ${p.data}: not found`);
  if (p.val !== undefined && !existsSync(p.val)) throw bad(`val ${p.val}: not found`);
  if (p.init !== undefined && !existsSync(p.init)) throw bad(`init ${p.init}: not found`);
  if (existsSync(p.out) && !isDir(p.out)) throw bad(`out ${p.out} is a file, not a folder`);
  const ckpts = join(p.out, 'checkpoints');
  const hasCheckpoints = isDir(ckpts) && readdirSync(ckpts).some((f) => CKPT_RE.test(f));
  if (p.resume) {
    if (!existsSync(join(p.out, 'config.json'))) throw bad(`cannot resume: ${p.out} is not a run folder (no config.json)`);
  } else if (hasCheckpoints) {
    throw bad(`out ${p.out} already holds a run (checkpoints/); resume it or choose another folder`);
  }
}

type Json = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

function valFrom(v: unknown): TrainVal | null {
  if (v === null || typeof v !== 'object') return null;
  const o = obj(v);
  const z = obj(o.zf);
  return {
    loss: num(o.loss),
    nmse: num(o.nmse),
    psnr: num(o.psnr),
    ssim: num(o.ssim),
    zf: { nmse: num(z.nmse), psnr: num(z.psnr), ssim: num(z.ssim) },
    volumes: int(o.volumes) ?? 0,
  };
}

function summarizeConfig(c: Json): NonNullable<TrainRun['config']> {
  const model = obj(c.model);
  const unet = obj(model.config);
  const opt = obj(c.optimizer);
  const data = obj(c.data);
  if (typeof model.arch !== 'string' || typeof opt.name !== 'string')
    throw new Error('config.json is not a training configuration');
  return {
    model: model.arch,
    chans: int(unet.chans),
    pools: int(unet.numPoolLayers),
    norm: str(unet.norm),
    optimizer: opt.name,
    lr: num(opt.lr) ?? 0,
    epochs: int(c.epochs) ?? 0,
    batch: int(c.batch) ?? 0,
    loss: str(obj(c.loss).type) ?? '',
    data: Array.isArray(data.train) ? data.train.filter((x): x is string => typeof x === 'string') : [],
    init: str(c.init),
  };
}

async function readTail(path: string, bytes: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    // drop the first (possibly cut) line when not reading from the start
    return start > 0 ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    await fh.close();
  }
}

async function readRun(path: string): Promise<TrainRun> {
  const run: TrainRun = {
    path,
    name: basename(path),
    modifiedAt: null,
    config: null,
    last: null,
    checkpoints: 0,
    modelPath: null,
    finished: false,
  };
  const errors: string[] = [];
  const configPath = join(path, 'config.json');
  try {
    run.modifiedAt = (await stat(configPath)).mtimeMs;
    run.config = summarizeConfig(obj(JSON.parse(await readFile(configPath, 'utf8'))));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    errors.push(
      err.code === 'ENOENT'
        ? 'no config.json'
        : err instanceof SyntaxError
          ? `config.json is not valid JSON (${oneLine(err.message)})`
          : oneLine(err.message),
    );
  }
  try {
    const ckpts = (await readdir(join(path, 'checkpoints'))).filter((f) => CKPT_RE.test(f)).sort();
    run.checkpoints = ckpts.length;
    if (ckpts.length) run.modelPath = join(path, 'checkpoints', ckpts[ckpts.length - 1]);
  } catch {
    // no checkpoints yet
  }
  const exported = join(path, 'model.safetensors');
  if (existsSync(exported)) {
    run.modelPath = exported;
    run.finished = true;
  }
  const metricsPath = join(path, 'metrics.jsonl');
  if (existsSync(metricsPath)) {
    try {
      const last: NonNullable<TrainRun['last']> = { step: null, loss: null, epoch: null, trainLoss: null, val: null };
      const lines = (await readTail(metricsPath, TAIL_BYTES)).split('\n');
      let gotStep = false;
      let gotEpoch = false;
      for (let i = lines.length - 1; i >= 0 && !(gotStep && gotEpoch); i--) {
        if (!lines[i].trim()) continue;
        let l: Json;
        try {
          l = obj(JSON.parse(lines[i]));
        } catch {
          continue;
        }
        if (l.type === 'step' && !gotStep) {
          gotStep = true;
          last.step = int(l.step);
          last.loss = num(l.loss);
        } else if (l.type === 'epoch' && !gotEpoch) {
          gotEpoch = true;
          last.epoch = int(l.epoch);
          last.trainLoss = num(l.trainLoss);
          last.val = valFrom(l.val);
        }
      }
      if (gotStep || gotEpoch) run.last = last;
    } catch (e) {
      errors.push(`metrics.jsonl: ${oneLine((e as Error).message)}`);
    }
  }
  if (errors.length) run.error = errors.join('; ');
  return run;
}
