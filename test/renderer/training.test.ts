import * as React from 'react';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test, vi } from 'vitest';
import type { TrainEventPayload } from '../../src/contract/schemas';
import { TrainStartSchema } from '../../src/contract/schemas';
import {
  DEFAULT_FORM,
  IDLE,
  appendCapped,
  parentDir,
  parseAccelerations,
  trainReducer,
  validateTrainForm,
  type TrainView,
} from '../../renderer/state/training';

describe('training form', () => {
  test('a new run: required paths, numbers parsed, params the contract accepts', () => {
    expect(validateTrainForm(DEFAULT_FORM).errors).toEqual({ out: 'required', data: 'required' });
    const { params, errors } = validateTrainForm({
      ...DEFAULT_FORM,
      data: ' /d ',
      out: '/runs/a',
      chans: '8',
      pools: '2',
      accelerations: '4, 8',
      momentum: '0.9',
      optimizer: 'sgd',
      patch: '96',
    });
    expect(errors).toEqual({});
    expect(params).toEqual({
      out: '/runs/a',
      data: '/d',
      chans: 8,
      pools: 2,
      norm: 'group',
      optimizer: 'sgd',
      lr: 0.001,
      momentum: 0.9,
      epochs: 10,
      batch: 1,
      loss: 'l1',
      patch: 96,
      accelerations: [4, 8],
    });
    expect(TrainStartSchema.safeParse(params).success).toBe(true);
  });
  test('bad numbers are named per field', () => {
    const { params, errors } = validateTrainForm({
      ...DEFAULT_FORM,
      data: '/d',
      out: '/o',
      lr: 'fast',
      chans: '0',
      accelerations: '4, 100',
      momentum: '1',
    });
    expect(params).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['accelerations', 'chans', 'lr', 'momentum']);
  });
  test('resume needs only the run folder; fine-tune needs a source and may keep its architecture', () => {
    expect(validateTrainForm({ ...DEFAULT_FORM, mode: 'resume', out: '/o', epochs: '' }).params).toEqual({
      out: '/o',
      resume: true,
    });
    expect(validateTrainForm({ ...DEFAULT_FORM, mode: 'finetune', data: '/d', out: '/o' }).errors).toEqual({ init: 'required' });
    const ft = validateTrainForm({
      ...DEFAULT_FORM,
      mode: 'finetune',
      data: '/d',
      out: '/o',
      init: '/r',
      chans: '',
      pools: '',
    }).params!;
    expect(ft).toMatchObject({ init: '/r' });
    expect(ft).not.toHaveProperty('chans');
    expect(TrainStartSchema.safeParse(ft).success).toBe(true);
  });
  test('helpers', () => {
    expect(parseAccelerations('')).toBeNull();
    expect(parseAccelerations('4 8')).toEqual([4, 8]);
    expect(parentDir('/a/b/run/')).toBe('/a/b');
    expect(parentDir('C:\\runs\\x')).toBe('C:\\runs');
    expect(parentDir('/run')).toBe('/');
    let pts: number[] = [];
    for (let i = 0; i < 50; i++) pts = appendCapped(pts, i, 10);
    expect(pts.length).toBeLessThanOrEqual(10);
    expect(pts[pts.length - 1]).toBe(49);
  });
});

describe('training view', () => {
  test('folds the events of its own job only', () => {
    let s: TrainView = trainReducer(IDLE, { type: 'starting', now: 0 });
    s = trainReducer(s, { type: 'started', jobId: 'j' });
    const ev = (event: TrainEventPayload, jobId = 'j') => (s = trainReducer(s, { type: 'event', jobId, event, now: 1 }));
    ev({ type: 'start', out: '/o', epochs: 2, resume: false, model: 'unet' });
    ev({ type: 'step', step: 1, epoch: 0, loss: 0.5, lr: 1e-3, gradNorm: 1, slices: 1, ms: 3 });
    ev({ type: 'step', step: 9, epoch: 0, loss: 0.1, lr: 1e-3, gradNorm: 1, slices: 1, ms: 3 }, 'other');
    ev({
      type: 'epoch',
      epoch: 0,
      step: 1,
      trainLoss: 0.5,
      ms: 10,
      val: { loss: 0.4, nmse: 0.01, psnr: 30, ssim: 0.8, zf: { nmse: 0.02, psnr: 25, ssim: 0.7 }, volumes: 1 },
    });
    ev({ type: 'checkpoint', step: 1, epoch: 0, path: '/o/checkpoints/ckpt-1' });
    expect(s).toMatchObject({
      status: 'running',
      epochs: 2,
      step: 1,
      epoch: 1,
      lastLoss: 0.5,
      checkpoint: '/o/checkpoints/ckpt-1',
    });
    expect(s.steps).toHaveLength(1);
    expect(s.epochPoints).toEqual([{ epoch: 0, step: 1, trainLoss: 0.5, psnr: 30, ssim: 0.8, zfPsnr: 25, zfSsim: 0.7 }]);
    s = trainReducer(s, {
      type: 'done',
      now: 5,
      payload: { jobId: 'j', out: '/o', steps: 1, epochs: 1, cancelled: true, modelPath: null, elapsedMs: 5 },
    });
    expect(s.status).toBe('cancelled');
  });
});

describe('training view: pause and resume', () => {
  test('the button asks, the job’s paused events say where it is, and the end clears both', () => {
    let s: TrainView = trainReducer(IDLE, { type: 'starting', now: 0 });
    s = trainReducer(s, { type: 'pauseWanted', paused: true });
    expect(s.pauseWanted).toBe(false); // nothing to pause before the job exists
    s = trainReducer(s, { type: 'started', jobId: 'j' });
    const ev = (event: TrainEventPayload, jobId = 'j') => (s = trainReducer(s, { type: 'event', jobId, event, now: 1 }));
    ev({ type: 'step', step: 3, epoch: 0, loss: 0.5, lr: 1e-3, gradNorm: 1, slices: 1, ms: 3 });
    s = trainReducer(s, { type: 'pauseWanted', paused: true });
    expect(s).toMatchObject({ status: 'running', pauseWanted: true, paused: false }); // pausing…
    ev({ type: 'paused', paused: true, step: 3 }, 'other');
    expect(s.paused).toBe(false);
    ev({ type: 'paused', paused: true, step: 3 });
    expect(s).toMatchObject({ status: 'running', pauseWanted: true, paused: true, step: 3 });
    s = trainReducer(s, { type: 'pauseWanted', paused: false });
    expect(s).toMatchObject({ pauseWanted: false, paused: true }); // resuming…
    ev({ type: 'paused', paused: false, step: 3 });
    expect(s).toMatchObject({ pauseWanted: false, paused: false });
    // paused again (by another client: the job's word wins), then cancelled while paused
    ev({ type: 'paused', paused: true, step: 3 });
    expect(s).toMatchObject({ pauseWanted: true, paused: true });
    s = trainReducer(s, { type: 'cancelling' });
    s = trainReducer(s, {
      type: 'done',
      now: 5,
      payload: { jobId: 'j', out: '/o', steps: 3, epochs: 0, cancelled: true, modelPath: null, elapsedMs: 5 },
    });
    expect(s).toMatchObject({ status: 'cancelled', paused: false, pauseWanted: false });
  });
});

describe('TrainingDashboard', () => {
  test('renders with every control labelled', async () => {
    // the unit-test transform compiles JSX to React.createElement (the app's build uses the automatic runtime)
    vi.stubGlobal('React', React);
    // imported by a computed path: the Node typecheck (tsconfig.node.json) has no JSX settings for .tsx
    const modulePath = '../../renderer/components/training/TrainingDashboard';
    const { TrainingDashboard } = (await import(/* @vite-ignore */ modulePath)) as {
      TrainingDashboard: React.FC<Record<string, unknown>>;
    };
    const api = {
      'train.start': async () => ({ jobId: 'x' }),
      'train.runs': async () => ({ directory: '/', runs: [] }),
      'job.cancel': async () => ({ cancelled: true }),
      'train.pause': async () => ({ paused: true }),
    };
    const html = renderToStaticMarkup(
      createElement(TrainingDashboard, {
        api,
        transport: { onEvent: () => () => {} },
        onUseModel: () => {},
        initialOut: '/runs/a',
      }),
    );
    expect(html).toContain('data-testid="training-dashboard"');
    const ids = [...html.matchAll(/<(?:input|select)[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(12);
    for (const id of ids) expect(html, id).toContain(`for="${id}"`);
    // radios are wrapped in their labels
    expect([...html.matchAll(/<input[^>]*type="radio"/g)]).toHaveLength(3);
    expect(html.match(/<input(?![^>]*\sid=)[^>]*>/g)?.every((tag) => tag.includes('type="radio"'))).toBe(true);
    expect(html.match(/<svg[^>]*role="img"/g)).toHaveLength(4);
    // Pause sits beside Cancel, both idle until a job runs
    expect(html).toMatch(/data-testid="train-pause"[^>]*>Pause</);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="train-pause"/);
  });
});
