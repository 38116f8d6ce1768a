import { describe, expect, test } from 'vitest';
import type { ReconSummary, ScanInfo } from '../../src/contract/schemas';
import { initialState, reducer, type AppState, type EngineInfo } from '../../renderer/state/app-state';

const info: EngineInfo = {
  version: '0',
  backend: 'x',
  threads: 2,
  methods: ['zf'],
  methodInfo: [{ method: 'zf', label: 'Zero-filled', description: '', params: [] }],
  maskTypes: ['equispaced', 'random'],
  demoAvailable: true,
  uploads: false,
};
const scan: ScanInfo = {
  scanId: 'scan-1',
  path: '/d.h5',
  name: 'd.h5',
  format: 'fastmri',
  slices: 6,
  coils: 4,
  kspaceShape: [192, 160],
  imageShape: [192, 160],
  hasTarget: true,
  targetKey: 'reconstruction_rss',
  attributes: {},
};
const summary = (resultId: string): ReconSummary => ({
  resultId,
  scanId: 'scan-1',
  method: { method: 'zf' },
  mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 1 },
  slices: 6,
  imageShape: [192, 160],
  volume: { nmse: 0.02, psnr: 21, ssim: 0.6 },
  perSlice: Array.from({ length: 6 }, () => ({ nmse: 0.02, psnr: 21, ssim: 0.6 })),
  mask1d: { dims: 1, width: 160, height: 192, numLowFrequencies: 13, acceleration: 3.9, sampledFraction: 0.26 },
  elapsedMs: 100,
  cached: false,
});

function ready(): AppState {
  let s = reducer(initialState, { type: 'connected', info, transport: 'websocket' });
  s = reducer(s, { type: 'opened', scan });
  return s;
}
const progress = (jobId: string, fraction: number) => ({
  type: 'jobProgress' as const,
  now: 1,
  payload: { jobId, fraction, message: 'm', elapsedMs: 10, remainingMs: 20 },
});

describe('app reducer', () => {
  test('engine.info decides the mask type and method on offer', () => {
    const s = ready();
    expect(s.maskForm.type).toBe('random');
    const t = reducer(
      { ...initialState, maskForm: { ...initialState.maskForm, type: 'poisson2d' } },
      { type: 'connected', info, transport: 'electron' },
    );
    expect(t.maskForm.type).toBe('equispaced');
  });

  test('a new scan starts at its middle slice; slices are clamped', () => {
    let s = ready();
    expect(s.slice).toBe(3);
    s = reducer(s, { type: 'slice', slice: 99 });
    expect(s.slice).toBe(5);
    s = reducer(s, { type: 'slice', slice: -3 });
    expect(s.slice).toBe(0);
  });

  test('a run: requested → started → progress → result; other jobs are ignored', () => {
    let s = reducer(ready(), { type: 'runRequested', method: 'zf', now: 0 });
    expect(reducer(s, { type: 'runRequested', method: 'zf', now: 0 })).toBe(s); // one at a time
    s = reducer(s, { type: 'runStarted', jobId: 'job-1' });
    expect(reducer(s, progress('job-other', 0.9))).toBe(s);
    s = reducer(s, progress('job-1', 0.5));
    expect(s.job?.fraction).toBe(0.5);
    s = reducer(s, { type: 'jobResult', payload: { jobId: 'job-1', result: summary('r1') } });
    expect(s.job).toBeNull();
    expect(s.result?.resultId).toBe('r1');
    expect(s.history.map((h) => h.resultId)).toEqual(['r1']);
  });

  test('a failed job leaves an alert; a cancelled one an info notice', () => {
    let s = reducer(ready(), { type: 'runRequested', method: 'zf', now: 0 });
    s = reducer(s, { type: 'runStarted', jobId: 'j' });
    const failed = reducer(s, { type: 'jobError', payload: { jobId: 'j', error: 'boom', cancelled: false } });
    expect(failed.notices).toEqual([{ kind: 'error', area: 'run', text: 'Reconstruction failed: boom' }]);
    const cancelled = reducer(s, { type: 'jobError', payload: { jobId: 'j', error: 'cancelled', cancelled: true } });
    expect(cancelled.notices[0].kind).toBe('info');
    expect(cancelled.job).toBeNull();
  });

  test('cancel that comes too late: the result still shows, with a note', () => {
    let s = reducer(ready(), { type: 'runRequested', method: 'zf', now: 0 });
    s = reducer(s, { type: 'runStarted', jobId: 'j' });
    s = reducer(s, { type: 'cancelRequested' });
    s = reducer(s, { type: 'cancelAnswered', cancelled: false });
    s = reducer(s, { type: 'jobResult', payload: { jobId: 'j', result: summary('r') } });
    expect(s.result?.resultId).toBe('r');
    expect(s.notices[0].text).toMatch(/finished before/);
  });

  test('an open failure keeps the open scan', () => {
    const s = reducer(reducer(ready(), { type: 'openStarted' }), { type: 'openFailed', message: 'nope' });
    expect(s.scan?.scanId).toBe('scan-1');
    expect(s.opening).toBe(false);
    expect(s.notices).toEqual([{ kind: 'error', area: 'open', text: 'nope' }]);
  });
});
