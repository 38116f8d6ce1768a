/**
 * Worker thread entry for one training job (see train-protocol.ts): builds the run's configuration,
 * answers the handshake, runs trainRun and reports its events, small and JSON-safe (no tensors;
 * non-finite numbers become null).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { TrainEventPayload, TrainVal } from '../contract/schemas';
import { describeSpec } from '../models/weights';
import { buildTrainConfig, type TrainConfigInput } from '../train/config';
import { listScanFiles } from '../train/data';
import { trainRun, type TrainConfig, type TrainEvent, type ValMetrics } from '../train/trainer';
import { FLAG_CANCEL, FLAG_PAUSE, type FromTrainWorker, type ToTrainWorker, type TrainJobParams } from './train-protocol';

if (!parentPort) throw new Error('train.worker must run in a worker thread');
const port = parentPort;

function post(msg: FromTrainWorker): void {
  port.postMessage(msg);
}

let go: () => void = () => {};
const started = new Promise<void>((resolve) => (go = resolve));

const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);

function valOf(v: ValMetrics | null): TrainVal | null {
  if (!v) return null;
  return {
    loss: fin(v.loss),
    nmse: fin(v.nmse),
    psnr: fin(v.psnr),
    ssim: fin(v.ssim),
    zf: { nmse: fin(v.zf.nmse), psnr: fin(v.zf.psnr), ssim: fin(v.zf.ssim) },
    volumes: v.volumes,
  };
}

function toPayload(e: TrainEvent): TrainEventPayload {
  switch (e.type) {
    case 'step':
      return {
        type: 'step',
        step: e.step,
        epoch: e.epoch,
        loss: fin(e.loss),
        lr: e.lr,
        gradNorm: fin(e.gradNorm),
        slices: e.slices,
        ms: e.ms,
      };
    case 'epoch':
      return { type: 'epoch', epoch: e.epoch, step: e.step, trainLoss: fin(e.trainLoss), val: valOf(e.val), ms: e.ms };
    case 'checkpoint':
      return { type: 'checkpoint', step: e.step, epoch: e.epoch, path: e.path };
    case 'log':
      return { type: 'log', message: e.message.slice(0, 1000) };
    case 'paused':
      return { type: 'paused', paused: e.paused, step: e.step };
  }
}

function checkScans(path: string | undefined, field: string): void {
  if (path && listScanFiles(path).length === 0)
    throw new RangeError(`${field} ${path}: no scans found (.h5, .mrd, .nii, .nii.gz, .dcm)`);
}

/** The run's configuration; for resume, the run's own config.json (epochs may grow). */
function configure(p: TrainJobParams): TrainConfig {
  const { out, resume, maxSteps: _maxSteps, data, ...rest } = p;
  void _maxSteps;
  checkScans(data, 'data');
  checkScans(rest.val, 'val');
  if (!resume) return buildTrainConfig({ ...rest, data: data! } satisfies TrainConfigInput);
  const path = join(out, 'config.json');
  let run: TrainConfig;
  try {
    run = JSON.parse(readFileSync(path, 'utf8')) as TrainConfig;
  } catch (e) {
    throw new RangeError(`cannot resume: ${path} is not readable JSON (${(e as Error).message.split('\n')[0]})`);
  }
  if (!run || typeof run !== 'object' || !run.model || !run.data || !Array.isArray(run.data.train)) {
    throw new RangeError(`cannot resume: ${path} is not a training configuration`);
  }
  const archGiven = [rest.chans, rest.pools, rest.norm, rest.cascades, rest.sensChans, rest.sensPools].some(
    (x) => x !== undefined,
  );
  // options that name an architecture must match the run's (the trainer checks); otherwise the run rules
  const base = archGiven ? buildTrainConfig({ ...rest, data: data ?? run.data.train[0] }) : run;
  return { ...base, epochs: rest.epochs ?? run.epochs };
}

async function start(msg: Extract<ToTrainWorker, { type: 'start' }>): Promise<void> {
  const flags = new Int32Array(msg.flags);
  const isCancelled = () => Atomics.load(flags, FLAG_CANCEL) !== 0;
  const isPaused = () => Atomics.load(flags, FLAG_PAUSE) !== 0;
  const p = msg.params;
  let config: TrainConfig;
  try {
    config = configure(p);
  } catch (e) {
    post({ type: 'error', stage: 'config', error: (e as Error).message || String(e), cancelled: false });
    return;
  }
  const model = describeSpec(config.model);
  post({ type: 'ready', epochs: config.epochs, model });
  await started;
  post({ type: 'event', event: { type: 'start', out: p.out, epochs: config.epochs, resume: p.resume === true, model } });
  try {
    const res = await trainRun({
      out: p.out,
      config,
      resume: p.resume === true,
      ...(p.maxSteps !== undefined ? { maxSteps: p.maxSteps } : {}),
      hooks: { isCancelled, isPaused, onEvent: (e) => post({ type: 'event', event: toPayload(e) }) },
    });
    post({
      type: 'done',
      result: { step: res.step, epoch: res.epoch, cancelled: res.cancelled, modelPath: res.modelPath, backend: res.backend },
    });
  } catch (e) {
    const err = e as Error;
    post({
      type: 'error',
      stage: 'run',
      error: err.message || String(e),
      cancelled: isCancelled() && err.name === 'CancelledError',
    });
  }
}

port.on('message', (msg: ToTrainWorker) => {
  if (msg.type === 'start') void start(msg);
  else if (msg.type === 'go') go();
});
