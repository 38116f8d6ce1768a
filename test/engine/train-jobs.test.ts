import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyEvent, EventPayload, TrainEventPayload } from '../../src/contract/schemas';
import { Engine } from '../../src/engine/engine';
import { latestCheckpoint, readWeightsFile } from '../../src/models/weights';
import { eventLog } from '../helpers/engine';
import { DEMO } from '../helpers/paths';

let engine: Engine;
let log: ReturnType<typeof eventLog>;
const tmp = mkdtempSync(join(tmpdir(), 'mri-train-jobs-'));

beforeAll(() => {
  engine = new Engine({ poolSize: 1 });
  log = eventLog(engine);
});
afterAll(async () => {
  log.stop();
  await engine.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** a tiny U-Net on two central slices of the demo scan, validated on one */
const tiny = (out: string, over: Record<string, unknown> = {}) => ({
  data: DEMO,
  val: DEMO,
  out,
  chans: 4,
  pools: 1,
  norm: 'instance',
  epochs: 1,
  batch: 1,
  maxSlices: 2,
  valMaxSlices: 1,
  patch: 64,
  lr: 3e-3,
  seed: 3,
  checkpointEvery: 1,
  backend: 'wasm',
  ...over,
});

function trainEvents(jobId: string): TrainEventPayload[] {
  return log.events
    .filter((e): e is Extract<AnyEvent, { event: 'train.event' }> => e.event === 'train.event' && e.payload.jobId === jobId)
    .map((e) => e.payload.event);
}

async function trainEnd(jobId: string, timeoutMs = 60_000): Promise<{ done?: EventPayload<'train.done'>; error?: string }> {
  const ev = await log.waitFor(
    (e) => (e.event === 'train.done' || e.event === 'job.error') && e.payload.jobId === jobId,
    timeoutMs,
  );
  if (ev.event === 'train.done') return { done: ev.payload };
  if (ev.event === 'job.error') return { error: ev.payload.error };
  throw new Error('unreachable');
}

describe('training jobs', () => {
  const run1 = join(tmp, 'runs', 'run1');

  it('trains a tiny model in a worker, streaming steps, an epoch with validation metrics, and train.done', async () => {
    const { jobId } = await engine.call('train.start', tiny(run1));
    expect(jobId).toMatch(/^train-/);
    const end = await trainEnd(jobId);
    expect(end.error).toBeUndefined();
    expect(end.done).toMatchObject({ out: run1, steps: 2, epochs: 1, cancelled: false });
    expect(end.done!.modelPath).toBe(join(run1, 'model.safetensors'));
    expect(end.done!.bestVal?.psnr).toBeGreaterThan(0);

    const evs = trainEvents(jobId);
    expect(evs[0]).toMatchObject({ type: 'start', epochs: 1, resume: false });
    const steps = evs.filter((e) => e.type === 'step');
    expect(steps.map((s) => s.step)).toEqual([1, 2]);
    for (const s of steps) {
      expect(Number.isFinite(s.loss)).toBe(true);
      expect(s.loss!).toBeGreaterThan(0);
      expect(s.lr).toBeCloseTo(3e-3);
    }
    const epoch = evs.find((e) => e.type === 'epoch');
    expect(epoch?.type === 'epoch' && epoch.val).toMatchObject({ volumes: 1 });
    if (epoch?.type === 'epoch' && epoch.val) {
      expect(epoch.val.psnr).toBeGreaterThan(10);
      expect(epoch.val.ssim).toBeGreaterThan(0);
      expect(epoch.val.zf.psnr).toBeGreaterThan(10);
    }
    expect(evs.some((e) => e.type === 'checkpoint')).toBe(true);
    // every event is small and plain
    for (const e of evs) expect(JSON.stringify(e).length).toBeLessThan(600);

    const jobs = await engine.call('job.list', {});
    expect(jobs.find((j) => j.jobId === jobId)).toMatchObject({ kind: 'train', state: 'done', fraction: 1 });
  });

  it('lists run folders with their config and last metrics, tolerating broken ones', async () => {
    const root = join(tmp, 'runs');
    mkdirSync(join(root, 'broken'), { recursive: true });
    writeFileSync(join(root, 'broken', 'config.json'), '{ not json');
    mkdirSync(join(root, 'not-a-run'), { recursive: true });
    const { runs, directory } = await engine.call('train.runs', { directory: root });
    expect(directory).toBe(root);
    expect(runs.map((r) => r.name).sort()).toEqual(['broken', 'run1']);
    const r1 = runs.find((r) => r.name === 'run1')!;
    expect(r1).toMatchObject({ path: run1, finished: true, modelPath: join(run1, 'model.safetensors') });
    expect(r1.config).toMatchObject({ model: 'unet', chans: 4, pools: 1, norm: 'instance', optimizer: 'adam', epochs: 1 });
    expect(r1.last).toMatchObject({ step: 2, epoch: 0 });
    expect(r1.last?.val?.psnr).toBeGreaterThan(10);
    expect(r1.checkpoints).toBeGreaterThan(0);
    expect(r1.error).toBeUndefined();
    const broken = runs.find((r) => r.name === 'broken')!;
    expect(broken.error).toMatch(/config\.json is not valid JSON/);
    expect(broken.config).toBeNull();
    // the run folder itself
    expect((await engine.call('train.runs', { directory: run1 })).runs.map((r) => r.name)).toEqual(['run1']);
    expect(await engine.request('train.runs', { directory: join(tmp, 'nope') })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('resumes a run from its checkpoint with more epochs', async () => {
    const { jobId } = await engine.call('train.start', { out: run1, resume: true, epochs: 2, backend: 'wasm' });
    const end = await trainEnd(jobId);
    expect(end.error).toBeUndefined();
    expect(end.done).toMatchObject({ steps: 4, epochs: 2, cancelled: false });
    const evs = trainEvents(jobId);
    expect(evs[0]).toMatchObject({ type: 'start', epochs: 2, resume: true });
    expect(evs.some((e) => e.type === 'log' && /resumed from .*ckpt-0+2\.safetensors at step 2/.test(e.message))).toBe(true);
    expect(evs.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : 0))).toEqual([3, 4]);
    const runs = (await engine.call('train.runs', { directory: run1 })).runs;
    expect(runs[0].last).toMatchObject({ step: 4, epoch: 1 });
    // learning, across the resume: the second epoch's training and validation losses are lower
    const epochs = log.events.flatMap((e) =>
      e.event === 'train.event' && e.payload.event.type === 'epoch' && e.payload.event.step <= 4 ? [e.payload.event] : [],
    );
    const [e0, e1] = [epochs.find((e) => e.epoch === 0)!, epochs.find((e) => e.epoch === 1)!];
    expect(e1.trainLoss!).toBeLessThan(e0.trainLoss!);
    expect(e1.val!.loss!).toBeLessThan(e0.val!.loss!);
  });

  it('fine-tunes from a finished run, adopting its architecture', async () => {
    const out = join(tmp, 'runs', 'tuned');
    const { jobId } = await engine.call('train.start', {
      data: DEMO,
      out,
      init: run1,
      maxSlices: 1,
      maxSteps: 1,
      epochs: 1,
      backend: 'wasm',
      lr: 1e-4,
    });
    const end = await trainEnd(jobId);
    expect(end.error).toBeUndefined();
    expect(end.done).toMatchObject({ steps: 1, cancelled: false });
    const evs = trainEvents(jobId);
    expect(evs[0]).toMatchObject({ type: 'start', model: expect.stringMatching(/chans 4/) });
    expect(evs.some((e) => e.type === 'log' && e.message.startsWith(`initialised from ${join(run1)}`))).toBe(true);
  });

  it('cancels mid-run at a loadable checkpoint, and refuses a second job meanwhile', async () => {
    const out = join(tmp, 'runs', 'run2');
    const { jobId } = await engine.call('train.start', tiny(out, { epochs: 100, checkpointEvery: 1000 }));
    const second = await engine.request('train.start', tiny(join(tmp, 'runs', 'run3')));
    expect(second).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(!second.ok && second.error.message).toMatch(/already running/);
    await log.waitFor((e) => e.event === 'train.event' && e.payload.jobId === jobId && e.payload.event.type === 'step');
    expect(await engine.call('job.cancel', { jobId })).toEqual({ cancelled: true });
    const end = await trainEnd(jobId);
    expect(end.done).toMatchObject({ cancelled: true, modelPath: null });
    expect(end.done!.steps).toBeGreaterThanOrEqual(1);
    const ckpt = latestCheckpoint(join(out, 'checkpoints'));
    expect(ckpt).toMatch(new RegExp(`ckpt-0*${end.done!.steps}\\.safetensors$`));
    const contents = readWeightsFile(ckpt!);
    expect(contents.spec.config).toMatchObject({ chans: 4, numPoolLayers: 1, norm: 'instance' });
    expect(contents.training).toMatchObject({ step: end.done!.steps });
    expect((await engine.call('job.list', {})).find((j) => j.jobId === jobId)?.state).toBe('cancelled');
    expect(await engine.call('job.cancel', { jobId })).toEqual({ cancelled: false });
  });

  it('pauses between steps, resumes, and cancels while paused at a checkpoint', async () => {
    const out = join(tmp, 'runs', 'paused');
    const { jobId } = await engine.call('train.start', tiny(out, { epochs: 100, checkpointEvery: 1000 }));
    const isStep = (e: AnyEvent) => e.event === 'train.event' && e.payload.jobId === jobId && e.payload.event.type === 'step';
    const pausedEvent = (paused: boolean, after = 0) =>
      log.waitFor(
        (e) =>
          log.events.indexOf(e) >= after &&
          e.event === 'train.event' &&
          e.payload.jobId === jobId &&
          e.payload.event.type === 'paused' &&
          e.payload.event.paused === paused,
      );
    const steps = () => trainEvents(jobId).filter((e) => e.type === 'step').length;
    await log.waitFor(isStep);

    expect(await engine.call('train.pause', { jobId, paused: true })).toEqual({ paused: true });
    expect((await engine.call('job.list', {})).find((j) => j.jobId === jobId)?.state).toBe('paused');
    const p1 = await pausedEvent(true);
    const at = p1.event === 'train.event' && p1.payload.event.type === 'paused' ? p1.payload.event : null;
    const stepsAtPause = steps();
    expect(at?.step).toBe(stepsAtPause);
    // several steps' time: nothing moves while paused
    await new Promise((r) => setTimeout(r, 1500));
    expect(steps()).toBe(stepsAtPause);
    expect(log.events.indexOf(p1)).toBe(log.events.findLastIndex((e) => e.event === 'train.event' && e.payload.jobId === jobId));

    const mark = log.events.length;
    expect(await engine.call('train.pause', { jobId, paused: false })).toEqual({ paused: false });
    expect((await engine.call('job.list', {})).find((j) => j.jobId === jobId)?.state).toBe('running');
    await pausedEvent(false, mark);
    await log.waitFor(
      (e) => isStep(e) && e.event === 'train.event' && e.payload.event.type === 'step' && e.payload.event.step > stepsAtPause,
    );

    // paused again, then cancelled: the job stops at a checkpoint of the step it paused at
    const mark2 = log.events.length;
    await engine.call('train.pause', { jobId, paused: true });
    await pausedEvent(true, mark2);
    const pausedAt = steps();
    expect(await engine.call('job.cancel', { jobId })).toEqual({ cancelled: true });
    const end = await trainEnd(jobId);
    expect(end.done).toMatchObject({ cancelled: true, steps: pausedAt, modelPath: null });
    expect(latestCheckpoint(join(out, 'checkpoints'))).toMatch(new RegExp(`ckpt-0*${pausedAt}\\.safetensors$`));
    expect((await engine.call('job.list', {})).find((j) => j.jobId === jobId)?.state).toBe('cancelled');
    // an ended job is not paused, and says so
    expect(await engine.call('train.pause', { jobId, paused: true })).toEqual({ paused: false });
  });

  it('refuses malformed pause requests, unknown jobs and reconstruction jobs with clear errors', async () => {
    const bad: [unknown, RegExp][] = [
      [{ jobId: 'train-x' }, /paused: .*expected boolean, received undefined/],
      [{ jobId: 'train-x', paused: 'yes' }, /paused: .*expected boolean, received string/],
      [{ jobId: '', paused: true }, /jobId/],
      [{ jobId: 'x'.repeat(201), paused: true }, /jobId/],
      [{ jobId: 42, paused: true }, /jobId/],
      [{ jobId: 'train-x', paused: true, extra: 1 }, /unrecognized key/i],
      [{ jobId: { $gt: '' }, paused: true }, /jobId/],
      ['pause', /expected object/i],
    ];
    for (const [params, re] of bad) {
      const out = await engine.request('train.pause', params);
      expect(out, JSON.stringify(params)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      if (!out.ok) {
        expect(out.error.message).toMatch(/^train\.pause: /);
        expect(out.error.message).toMatch(re);
      }
    }
    expect(await engine.request('train.pause', { jobId: 'train-nope', paused: true })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no job train-nope' },
    });
    const scan = await engine.call('scan.open', { demo: true });
    const recon = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 1 },
      method: { method: 'zf' },
    });
    const out = await engine.request('train.pause', { jobId: recon.jobId, paused: true });
    expect(out).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(!out.ok && out.error.message).toMatch(/reconstruction; only training jobs can be paused/);
    await log.jobEnd(recon.jobId);
  });

  it('reports a crashed worker as job.error, and close() stops a running job', async () => {
    const other = new Engine({ poolSize: 1 });
    const events = eventLog(other);
    try {
      const a = await other.call('train.start', tiny(join(tmp, 'runs', 'crash'), { epochs: 100 }));
      await events.waitFor((e) => e.event === 'train.event' && e.payload.jobId === a.jobId && e.payload.event.type === 'step');
      // simulate a crash: the worker dies without a word
      const worker = (other as unknown as { training: { active: { worker: { terminate(): Promise<number> } } } }).training.active
        .worker;
      await worker.terminate();
      const crashed = await events.waitFor((e) => e.event === 'job.error' && e.payload.jobId === a.jobId);
      expect(crashed.payload).toMatchObject({
        cancelled: false,
        error: expect.stringMatching(/training worker exited unexpectedly/),
      });
      expect((await other.call('job.list', {})).find((j) => j.jobId === a.jobId)?.state).toBe('failed');
      // the engine trains again after a crash; closing it cancels the job at a checkpoint
      const b = await other.call('train.start', tiny(join(tmp, 'runs', 'closing'), { epochs: 100 }));
      await events.waitFor((e) => e.event === 'train.event' && e.payload.jobId === b.jobId && e.payload.event.type === 'step');
      await other.close();
      const end = events.events.find((e) => (e.event === 'train.done' || e.event === 'job.error') && e.payload.jobId === b.jobId);
      expect(end?.event === 'train.done' ? end.payload.cancelled : end?.event === 'job.error' && end.payload.cancelled).toBe(
        true,
      );
    } finally {
      events.stop();
      await other.close();
    }
  });

  it('answers bad input with one-line errors', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const empty = join(tmp, 'empty');
    mkdirSync(empty, { recursive: true });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [tiny(join(tmp, 'x1'), { data: join(tmp, 'missing') }), 'bad_input', /data .*missing: not found/],
      [tiny(file), 'bad_input', /is a file, not a folder/],
      [tiny(join(tmp, 'x2'), { lr: 1e6 }), 'invalid_request', /lr: lr must be ≤ 10/],
      [tiny(join(tmp, 'x3'), { chans: 0 }), 'invalid_request', /chans/],
      [tiny(join(tmp, 'x4'), { data: empty }), 'bad_input', /no scans found/],
      [
        tiny(join(tmp, 'x5'), { accelerations: [4, 8], centerFractions: [0.08, 0.04, 0.02] }),
        'bad_input',
        /centerFractions needs one value or one per accelerations value/,
      ],
      [{ out: join(tmp, 'x6'), resume: true }, 'bad_input', /not a run folder/],
      [{ out: join(tmp, 'x7') }, 'invalid_request', /data is required/],
      [tiny(join(tmp, 'runs', 'run1')), 'bad_input', /already holds a run/],
    ];
    for (const [params, code, re] of cases) {
      const out = await engine.request('train.start', params);
      expect(out.ok, JSON.stringify(params)).toBe(false);
      if (!out.ok) {
        expect(out.error.code, out.error.message).toBe(code);
        expect(out.error.message).toMatch(re);
        expect(out.error.message).not.toMatch(/\n/);
      }
    }
    expect(existsSync(join(tmp, 'x4'))).toBe(false);
    // nothing is left running after the refusals
    expect((await engine.call('job.list', {})).filter((j) => j.state === 'running')).toEqual([]);
  });
});
