/**
 * The training dashboard's state, pure (unit-tested): the form (strings as typed, validated into
 * train.start params with one message per field) and the live view of one training job, folded from
 * its train.event / train.done / job.error events. Curves keep at most MAX_POINTS points: when full,
 * every other older point is dropped, so a long run still draws in constant time.
 */
import type { EventPayload, TrainEventPayload, TrainStartParams } from '../../src/contract/schemas';
import { TRAIN_LOSSES, TRAIN_NORMS, TRAIN_OPTIMIZERS } from '../../src/contract/schemas';

export const MAX_POINTS = 2000;
export const MAX_LOG = 40;

export type TrainMode = 'new' | 'resume' | 'finetune';
export type Norm = (typeof TRAIN_NORMS)[number];
export type Optimizer = (typeof TRAIN_OPTIMIZERS)[number];
export type Loss = (typeof TRAIN_LOSSES)[number];

export interface TrainForm {
  mode: TrainMode;
  data: string;
  val: string;
  out: string;
  init: string;
  chans: string;
  pools: string;
  norm: Norm;
  optimizer: Optimizer;
  lr: string;
  momentum: string;
  weightDecay: string;
  epochs: string;
  batch: string;
  loss: Loss;
  accelerations: string;
  maxSlices: string;
  patch: string;
}

export type TrainField = Exclude<keyof TrainForm, 'mode' | 'norm' | 'optimizer' | 'loss'>;

export const DEFAULT_FORM: TrainForm = {
  mode: 'new',
  data: '',
  val: '',
  out: '',
  init: '',
  chans: '32',
  pools: '4',
  norm: 'group',
  optimizer: 'adam',
  lr: '0.001',
  momentum: '',
  weightDecay: '',
  epochs: '10',
  batch: '1',
  loss: 'l1',
  accelerations: '4',
  maxSlices: '',
  patch: '',
};

export type FormErrors = Partial<Record<TrainField, string>>;

function parseNumber(raw: string): number | null {
  const t = raw.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : NaN;
}

/** Validates the form into train.start params; `errors` names each bad field (empty when ok). */
export function validateTrainForm(f: TrainForm): { params: TrainStartParams | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const p: Record<string, unknown> = {};
  const int = (field: TrainField, min: number, max: number, required = false) => {
    const n = parseNumber(f[field]);
    if (n === null) {
      if (required) errors[field] = 'required';
      return;
    }
    if (!Number.isInteger(n) || n < min || n > max) errors[field] = `a whole number in [${min}, ${max}]`;
    else p[field] = n;
  };
  const real = (field: TrainField, ok: (n: number) => boolean, message: string) => {
    const n = parseNumber(f[field]);
    if (n === null) return;
    if (Number.isNaN(n) || !ok(n)) errors[field] = message;
    else p[field] = n;
  };
  const path = (field: 'data' | 'val' | 'out' | 'init', required: boolean) => {
    const v = f[field].trim();
    if (v) p[field] = v;
    else if (required) errors[field] = 'required';
  };

  path('out', true);
  if (f.mode === 'resume') {
    p.resume = true;
    path('data', false);
    int('epochs', 1, 100_000);
  } else {
    path('data', true);
    path('val', false);
    if (f.mode === 'finetune') path('init', true);
    // fine-tuning adopts the source's architecture unless the fields say otherwise
    if (f.mode === 'new' || f.chans.trim() !== '' || f.pools.trim() !== '') {
      int('chans', 1, 1024, f.mode === 'new');
      int('pools', 1, 8, f.mode === 'new');
      p.norm = f.norm;
    }
    p.optimizer = f.optimizer;
    real('lr', (n) => n > 0 && n <= 10, 'a positive number ≤ 10');
    real('momentum', (n) => n >= 0 && n < 1, 'in [0, 1)');
    real('weightDecay', (n) => n >= 0 && n <= 1, 'in [0, 1]');
    int('epochs', 1, 100_000, true);
    int('batch', 1, 1024, true);
    p.loss = f.loss;
    int('maxSlices', 1, 100_000);
    int('patch', 8, 4096);
    const acc = parseAccelerations(f.accelerations);
    if (typeof acc === 'string') errors.accelerations = acc;
    else if (acc) p.accelerations = acc;
  }
  return Object.keys(errors).length ? { params: null, errors } : { params: p as TrainStartParams, errors };
}

/** "4, 8" → [4, 8]; blank → null (the engine's default); a message when malformed. */
export function parseAccelerations(raw: string): number[] | null | string {
  const t = raw.trim();
  if (!t) return null;
  const parts = t
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map(Number);
  if (parts.length > 8) return 'at most 8 values';
  if (parts.some((a) => !Number.isFinite(a) || a < 1 || a > 64)) return 'numbers in [1, 64], comma-separated';
  return parts;
}

/** The folder holding a path (renderer-side, no node:path): "/a/b/run" → "/a/b". */
export function parentDir(path: string): string {
  const t = path.trim().replace(/[\\/]+$/, '');
  const i = Math.max(t.lastIndexOf('/'), t.lastIndexOf('\\'));
  if (i < 0) return '';
  return i === 0 ? t.slice(0, 1) : t.slice(0, i);
}

// ---- the live view of one job ------------------------------------------------------------------

export type TrainStatus = 'idle' | 'starting' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface StepPoint {
  step: number;
  loss: number | null;
  lr: number;
}
export interface EpochPoint {
  epoch: number;
  step: number;
  trainLoss: number | null;
  psnr: number | null;
  ssim: number | null;
  zfPsnr: number | null;
  zfSsim: number | null;
}

export interface TrainView {
  status: TrainStatus;
  jobId: string | null;
  /** the job waits between steps (its 'paused' events) */
  paused: boolean;
  /** what was last asked of it (Pause / Resume): differs from `paused` until the job gets there */
  pauseWanted: boolean;
  out: string | null;
  model: string | null;
  /** the run's total epochs (known from the start event) */
  epochs: number | null;
  epoch: number;
  step: number;
  lastLoss: number | null;
  startedAt: number | null;
  endedAt: number | null;
  steps: StepPoint[];
  epochPoints: EpochPoint[];
  checkpoint: string | null;
  log: string[];
  error: string | null;
  done: EventPayload<'train.done'> | null;
}

export const IDLE: TrainView = {
  status: 'idle',
  jobId: null,
  paused: false,
  pauseWanted: false,
  out: null,
  model: null,
  epochs: null,
  epoch: 0,
  step: 0,
  lastLoss: null,
  startedAt: null,
  endedAt: null,
  steps: [],
  epochPoints: [],
  checkpoint: null,
  log: [],
  error: null,
  done: null,
};

export type TrainAction =
  | { type: 'starting'; now: number }
  | { type: 'started'; jobId: string }
  | { type: 'startFailed'; error: string }
  | { type: 'cancelling' }
  | { type: 'pauseWanted'; paused: boolean }
  | { type: 'event'; jobId: string; event: TrainEventPayload; now: number }
  | { type: 'done'; payload: EventPayload<'train.done'>; now: number }
  | { type: 'error'; jobId: string; error: string; cancelled: boolean; now: number };

/** Appends, halving the older points when the curve is full (the newest point is always kept). */
export function appendCapped<T>(points: readonly T[], p: T, max = MAX_POINTS): T[] {
  const next = [...points, p];
  if (next.length <= max) return next;
  const kept = next.filter((_, i) => i % 2 === 0 || i === next.length - 1);
  return kept;
}

const isLive = (s: TrainStatus) => s === 'starting' || s === 'running' || s === 'cancelling';

export function trainReducer(s: TrainView, a: TrainAction): TrainView {
  switch (a.type) {
    case 'starting':
      return { ...IDLE, status: 'starting', startedAt: a.now };
    case 'started':
      return s.status === 'starting' ? { ...s, status: 'running', jobId: a.jobId } : s;
    case 'startFailed':
      return { ...s, status: 'failed', error: a.error };
    case 'cancelling':
      return s.status === 'running' ? { ...s, status: 'cancelling' } : s;
    case 'pauseWanted':
      return s.status === 'running' ? { ...s, pauseWanted: a.paused } : s;
    case 'event': {
      if (a.jobId !== s.jobId || !isLive(s.status)) return s;
      const e = a.event;
      switch (e.type) {
        case 'start':
          return { ...s, out: e.out, epochs: e.epochs, model: e.model };
        case 'step':
          return {
            ...s,
            step: e.step,
            epoch: e.epoch,
            lastLoss: e.loss,
            steps: appendCapped(s.steps, { step: e.step, loss: e.loss, lr: e.lr }),
          };
        case 'epoch': {
          const v = e.val;
          const point: EpochPoint = {
            epoch: e.epoch,
            step: e.step,
            trainLoss: e.trainLoss,
            psnr: v?.psnr ?? null,
            ssim: v?.ssim ?? null,
            zfPsnr: v?.zf.psnr ?? null,
            zfSsim: v?.zf.ssim ?? null,
          };
          return { ...s, epoch: e.epoch + 1, epochPoints: [...s.epochPoints.filter((p) => p.epoch !== e.epoch), point] };
        }
        case 'checkpoint':
          return { ...s, checkpoint: e.path };
        case 'log':
          return { ...s, log: [...s.log, e.message].slice(-MAX_LOG) };
        case 'paused':
          // another client may have asked: the job's word wins
          return { ...s, paused: e.paused, pauseWanted: e.paused, step: Math.max(s.step, e.step) };
      }
      return s;
    }
    case 'done':
      if (a.payload.jobId !== s.jobId) return s;
      return {
        ...s,
        status: a.payload.cancelled ? 'cancelled' : 'done',
        paused: false,
        pauseWanted: false,
        done: a.payload,
        step: a.payload.steps,
        endedAt: a.now,
      };
    case 'error':
      if (a.jobId !== s.jobId) return s;
      return {
        ...s,
        status: a.cancelled ? 'cancelled' : 'failed',
        paused: false,
        pauseWanted: false,
        error: a.cancelled ? null : a.error,
        endedAt: a.now,
      };
  }
}

export function isActive(v: TrainView): boolean {
  return isLive(v.status);
}
