import { describe, expect, test } from 'vitest';
import type { ReconSummary, ScanInfo } from '../../src/contract/schemas';
import {
  initialState,
  isActive,
  paneResults,
  reducer,
  sweepPoints,
  type AppState,
  type EngineInfo,
} from '../../renderer/state/app-state';

const info: EngineInfo = {
  version: '0',
  backend: 'x',
  threads: 2,
  methods: ['zf', 'cs-tv'],
  methodInfo: [
    { method: 'zf', label: 'Zero-filled', description: '', params: [], runnableAsIs: true },
    {
      method: 'cs-tv',
      label: 'CS · TV',
      description: '',
      params: [{ name: 'lambda', label: 'λ', kind: 'number', default: 0.003, min: 0, max: 1e6, log: true, help: '' }],
      runnableAsIs: true,
    },
  ],
  maskTypes: ['equispaced', 'random', 'custom'],
  demoAvailable: true,
  defaultExportDir: '/tmp/exports',
  uploads: true,
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
const summary = (resultId: string, method: 'zf' | 'cs-tv' = 'zf', lambda?: number): ReconSummary => ({
  resultId,
  scanId: 'scan-1',
  method: lambda === undefined ? { method } : { method, lambda },
  mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 1 },
  slices: 6,
  imageShape: [192, 160],
  volume: { nmse: 0.02, psnr: 21, ssim: 0.6 },
  perSlice: Array.from({ length: 6 }, () => ({ nmse: 0.02, psnr: 21, ssim: 0.6 })),
  mask1d: { dims: 1, width: 160, height: 192, numLowFrequencies: 13, acceleration: 3.9, sampledFraction: 0.26 },
  elapsedMs: 100,
  cached: false,
  hasPhase: false,
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
function started(s: AppState, key: string, jobId: string, method: 'zf' | 'cs-tv' = 'zf'): AppState {
  s = reducer(s, { type: 'runRequested', jobs: [{ key, method: { method }, label: method }], now: 0 });
  return reducer(s, { type: 'runStarted', key, jobId });
}

describe('app state', () => {
  test('engine.info decides mask types, method forms (engine defaults) and the Run-all selection', () => {
    const s = ready();
    expect(s.maskForm.type).toBe('random');
    expect(s.methodForms['cs-tv']).toEqual({ lambda: '0.003' });
    expect(s.selectedMethods).toEqual(['zf', 'cs-tv']);
    const off = reducer(s, { type: 'toggleMethod', method: 'zf', on: false });
    expect(off.selectedMethods).toEqual(['cs-tv']);
    expect(reducer(off, { type: 'toggleMethod', method: 'zf', on: true }).selectedMethods).toEqual(['zf', 'cs-tv']);
  });

  test('a new scan starts at its middle slice; slices are clamped', () => {
    let s = ready();
    expect(s.slice).toBe(3);
    s = reducer(s, { type: 'slice', slice: 99 });
    expect(s.slice).toBe(5);
    s = reducer(s, { type: 'slice', slice: -4 });
    expect(s.slice).toBe(0);
  });

  test('several jobs at once; progress and results go to the right job; other clients’ jobs are ignored', () => {
    let s = started(ready(), 'a', 'job-a', 'zf');
    s = started(s, 'b', 'job-b', 'cs-tv');
    expect(s.jobs.filter(isActive)).toHaveLength(2);
    s = reducer(s, progress('job-b', 0.5));
    s = reducer(s, progress('job-x', 0.9));
    expect(s.jobs.find((j) => j.key === 'b')!.fraction).toBe(0.5);
    expect(s.jobs.find((j) => j.key === 'a')!.fraction).toBe(0);
    s = reducer(s, { type: 'jobResult', payload: { jobId: 'job-a', result: summary('r-a') } });
    s = reducer(s, { type: 'jobResult', payload: { jobId: 'job-x', result: summary('r-x') } });
    expect(s.results.map((r) => r.resultId)).toEqual(['r-a']);
    expect(s.latest).toEqual({ zf: 'r-a' });
    s = reducer(s, { type: 'jobResult', payload: { jobId: 'job-b', result: summary('r-b', 'cs-tv') } });
    expect(paneResults(s).map((r) => r.resultId)).toEqual(['r-a', 'r-b']); // engine order
    expect(s.jobs.every((j) => j.state === 'done')).toBe(true);
  });

  test('a failed job is marked with its error; a cancelled one is marked cancelled', () => {
    let s = started(ready(), 'a', 'job-a');
    s = started(s, 'b', 'job-b');
    s = reducer(s, { type: 'jobError', payload: { jobId: 'job-a', error: 'boom', cancelled: false } });
    expect(s.jobs.find((j) => j.key === 'a')).toMatchObject({ state: 'failed', error: 'boom' });
    expect(s.notices.find((n) => n.area === 'run')?.kind).toBe('error');
    s = reducer(s, { type: 'jobError', payload: { jobId: 'job-b', error: 'cancelled', cancelled: true } });
    expect(s.jobs.find((j) => j.key === 'b')!.state).toBe('cancelled');
    expect(s.notices.find((n) => n.area === 'run')?.kind).toBe('info');
    expect(reducer(s, { type: 'clearFinished' }).jobs).toEqual([]);
  });

  test('cancel that comes too late: the result still shows, with a note', () => {
    let s = started(ready(), 'a', 'job-a');
    s = reducer(s, { type: 'cancelRequested', key: 'a' });
    s = reducer(s, { type: 'cancelAnswered', key: 'a', cancelled: false });
    expect(s.jobs[0].cancelTooLate).toBe(true);
    s = reducer(s, { type: 'jobResult', payload: { jobId: 'job-a', result: summary('r1') } });
    expect(s.latest.zf).toBe('r1');
    expect(s.notices.find((n) => n.area === 'run')?.text).toMatch(/before it could be cancelled/);
  });

  test('a start that fails marks the job and says why', () => {
    let s = ready();
    s = reducer(s, { type: 'runRequested', jobs: [{ key: 'a', method: { method: 'zf' }, label: 'zf' }], now: 0 });
    s = reducer(s, { type: 'runFailed', key: 'a', message: 'nope' });
    expect(s.jobs[0].state).toBe('failed');
    expect(s.notices.find((n) => n.area === 'run')?.text).toBe('nope');
  });

  test('sweep results feed the sweep, not the panes', () => {
    let s = ready();
    s = reducer(s, {
      type: 'runRequested',
      now: 0,
      jobs: [
        { key: 'k1', method: { method: 'cs-tv', lambda: 0.01 }, label: 'l', sweepId: 'sw' },
        { key: 'k2', method: { method: 'cs-tv', lambda: 0.001 }, label: 'l', sweepId: 'sw' },
      ],
      sweep: { id: 'sw', scanId: 'scan-1', method: 'cs-tv', lambdas: [0.01, 0.001] },
    });
    s = reducer(s, { type: 'runStarted', key: 'k1', jobId: 'j1' });
    s = reducer(s, { type: 'runStarted', key: 'k2', jobId: 'j2' });
    s = reducer(s, { type: 'jobResult', payload: { jobId: 'j1', result: summary('r1', 'cs-tv', 0.01) } });
    s = reducer(s, { type: 'jobResult', payload: { jobId: 'j2', result: summary('r2', 'cs-tv', 0.001) } });
    expect(s.latest['cs-tv']).toBeUndefined();
    s = reducer(s, { type: 'clearFinished' });
    expect(sweepPoints(s, s.sweeps[0]).map((p) => p.lambda)).toEqual([0.001, 0.01]);
  });

  test('a custom mask selects the custom type; a scan it does not fit drops it', () => {
    let s = ready();
    s = reducer(s, { type: 'customMask', mask: { data: new Uint8Array(160), shape: [160], source: 'drawn' } });
    expect(s.maskForm.type).toBe('custom');
    s = reducer(s, { type: 'opened', scan: { ...scan, scanId: 'scan-2', kspaceShape: [640, 368] } });
    expect(s.customMask).toBeNull();
    expect(s.maskForm.type).toBe('random');
    expect(s.latest).toEqual({});
  });

  test('an open failure keeps the open scan; a lost connection fails the running jobs', () => {
    let s = started(ready(), 'a', 'job-a');
    s = reducer(s, { type: 'openStarted' });
    s = reducer(s, { type: 'openFailed', message: 'bad file' });
    expect(s.scan?.scanId).toBe('scan-1');
    expect(s.notices.find((n) => n.area === 'open')?.text).toBe('bad file');
    s = reducer(s, { type: 'connectionLost' });
    expect(s.connectionLost).toBe(true);
    expect(s.jobs[0].state).toBe('failed');
  });
});

describe('default method selection', () => {
  test('"run all" starts with every method that runs as is, not one that needs a model first', () => {
    const withVarnet: EngineInfo = {
      ...info,
      methods: [...info.methods, 'varnet'],
      methodInfo: [...info.methodInfo, { method: 'varnet', label: 'VarNet', description: '', params: [], runnableAsIs: false }],
    };
    const s = reducer(initialState, { type: 'connected', info: withVarnet, transport: 'websocket' });
    expect(s.selectedMethods).toEqual(['zf', 'cs-tv']);
  });
});
