/**
 * Application state and its reducer (used with React's useReducer). Pure: no engine calls here; the
 * effects live in the components. Many jobs can run at once (Run all, λ sweeps); job events are
 * matched to our jobs by id, so events of other clients' jobs (the server broadcasts) are ignored.
 */
import type {
  EventPayload,
  MaskType,
  MethodSpec,
  ReconMethodName,
  ReconSummary,
  RequestResult,
  ScanInfo,
} from '../../src/contract/schemas';
import { DEFAULT_MASK_FORM, type CustomMask, type MaskField, type MaskForm } from './mask-form';
import { defaultMethodForms, type MethodForms } from './method-form';

export type EngineInfo = RequestResult<'engine.info'>;

export type JobState = 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  /** local id, known before the engine answers */
  key: string;
  /** null between the click and the engine's answer */
  jobId: string | null;
  method: MethodSpec;
  label: string;
  /** the λ sweep this job belongs to, if any */
  sweepId: string | null;
  startedAt: number;
  fraction: number;
  message: string;
  elapsedMs: number;
  remainingMs: number | null;
  /** Date.now() of the last progress event, to count remaining time down between events */
  updatedAt: number;
  state: JobState;
  cancelling: boolean;
  /** Cancel was asked for but the engine said the job had already ended */
  cancelTooLate: boolean;
  error: string | null;
  resultId: string | null;
  cached: boolean;
}

export interface Sweep {
  id: string;
  scanId: string;
  method: ReconMethodName;
  lambdas: number[];
  /** job keys, one per λ, in the order of `lambdas` */
  jobKeys: string[];
  /** job key → resultId, filled as the jobs finish */
  resultIds: Record<string, string>;
}

export type NoticeArea = 'open' | 'run' | 'connect' | 'mask' | 'export' | 'sweep';
export interface Notice {
  kind: 'info' | 'error';
  area: NoticeArea;
  text: string;
}

export interface AppState {
  connection: { status: 'connecting' | 'ready' | 'failed'; message: string | null; transport: 'electron' | 'websocket' | null };
  connectionLost: boolean;
  info: EngineInfo | null;
  scan: ScanInfo | null;
  opening: boolean;
  maskForm: MaskForm;
  /** the hand-drawn or loaded mask ('custom' type) */
  customMask: CustomMask | null;
  methodForms: MethodForms;
  /** methods that "Run all" starts */
  selectedMethods: ReconMethodName[];
  jobs: JobView[];
  /** finished reconstructions of the open scan, newest first */
  results: ReconSummary[];
  /** per method: the resultId of its latest (non-sweep) run — the compare view's panes */
  latest: Partial<Record<ReconMethodName, string>>;
  sweeps: Sweep[];
  slice: number;
  showErrors: boolean;
  notices: Notice[];
}

export const initialState: AppState = {
  connection: { status: 'connecting', message: null, transport: null },
  connectionLost: false,
  info: null,
  scan: null,
  opening: false,
  maskForm: DEFAULT_MASK_FORM,
  customMask: null,
  methodForms: {},
  selectedMethods: [],
  jobs: [],
  results: [],
  latest: {},
  sweeps: [],
  slice: 0,
  showErrors: true,
  notices: [],
};

export interface JobRequest {
  key: string;
  method: MethodSpec;
  label: string;
  sweepId?: string | null;
}

export type Action =
  | { type: 'connected'; info: EngineInfo; transport: 'electron' | 'websocket' }
  | { type: 'connectFailed'; message: string }
  | { type: 'connectionLost' }
  | { type: 'openStarted' }
  | { type: 'opened'; scan: ScanInfo }
  | { type: 'openFailed'; message: string }
  | { type: 'maskField'; field: MaskField; value: string }
  | { type: 'customMask'; mask: CustomMask | null }
  | { type: 'methodField'; method: ReconMethodName; param: string; value: string }
  | { type: 'toggleMethod'; method: ReconMethodName; on: boolean }
  | { type: 'runRequested'; jobs: JobRequest[]; now: number; sweep?: Omit<Sweep, 'jobKeys' | 'resultIds'> }
  | { type: 'runStarted'; key: string; jobId: string }
  | { type: 'runFailed'; key: string; message: string }
  | { type: 'cancelRequested'; key: string }
  | { type: 'cancelAnswered'; key: string; cancelled: boolean }
  | { type: 'jobProgress'; payload: EventPayload<'job.progress'>; now: number }
  | { type: 'jobResult'; payload: EventPayload<'job.result'> }
  | { type: 'jobError'; payload: EventPayload<'job.error'> }
  | { type: 'clearFinished' }
  | { type: 'slice'; slice: number }
  | { type: 'toggleErrors'; on?: boolean }
  | { type: 'notice'; notice: Notice }
  | { type: 'dismiss'; area: NoticeArea };

const withNotice = (s: AppState, n: Notice): Notice[] => [...s.notices.filter((x) => x.area !== n.area), n];
const without = (s: AppState, area: NoticeArea): Notice[] => s.notices.filter((x) => x.area !== area);
const clampSlice = (slice: number, n: number) => Math.max(0, Math.min(Math.max(0, n - 1), Math.round(slice)));
const MAX_JOBS_SHOWN = 40;

export const isActive = (j: JobView) => j.state === 'starting' || j.state === 'running';

function patchJob(s: AppState, match: (j: JobView) => boolean, patch: (j: JobView) => Partial<JobView>): AppState {
  let hit = false;
  const jobs = s.jobs.map((j) => {
    if (!match(j)) return j;
    hit = true;
    return { ...j, ...patch(j) };
  });
  return hit ? { ...s, jobs } : s;
}

export function reducer(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'connected': {
      const types = a.info.maskTypes;
      const maskType: MaskType = types.includes(s.maskForm.type) ? s.maskForm.type : (types[0] ?? s.maskForm.type);
      const forms = defaultMethodForms(a.info.methodInfo);
      return {
        ...s,
        connection: { status: 'ready', message: null, transport: a.transport },
        connectionLost: false,
        info: a.info,
        maskForm: { ...s.maskForm, type: maskType },
        methodForms: { ...forms, ...s.methodForms },
        selectedMethods: s.selectedMethods.length
          ? s.selectedMethods.filter((m) => a.info.methods.includes(m))
          : a.info.methodInfo.filter((m) => m.runnableAsIs).map((m) => m.method),
        notices: without(s, 'connect'),
      };
    }
    case 'connectFailed':
      return {
        ...s,
        connection: { status: 'failed', message: a.message, transport: null },
        notices: withNotice(s, { kind: 'error', area: 'connect', text: a.message }),
      };
    case 'connectionLost':
      return {
        ...s,
        connectionLost: true,
        jobs: s.jobs.map((j) => (isActive(j) ? { ...j, state: 'failed', error: 'connection to the engine was lost' } : j)),
      };
    case 'openStarted':
      return { ...s, opening: true, notices: without(s, 'open') };
    case 'opened': {
      const sameScan = s.scan?.scanId === a.scan.scanId;
      const customFits =
        s.customMask !== null &&
        (s.customMask.shape.length === 1
          ? s.customMask.shape[0] === a.scan.kspaceShape[1]
          : s.customMask.shape[0] === a.scan.kspaceShape[0] && s.customMask.shape[1] === a.scan.kspaceShape[1]);
      return {
        ...s,
        opening: false,
        scan: a.scan,
        results: sameScan ? s.results : [],
        latest: sameScan ? s.latest : {},
        sweeps: sameScan ? s.sweeps : [],
        customMask: customFits ? s.customMask : null,
        maskForm: !customFits && s.maskForm.type === 'custom' ? { ...s.maskForm, type: 'random' } : s.maskForm,
        slice: sameScan ? s.slice : Math.floor(a.scan.slices / 2),
        notices: without(s, 'open'),
      };
    }
    case 'openFailed':
      return { ...s, opening: false, notices: withNotice(s, { kind: 'error', area: 'open', text: a.message }) };
    case 'maskField':
      return { ...s, maskForm: { ...s.maskForm, [a.field]: a.value } };
    case 'customMask':
      return {
        ...s,
        customMask: a.mask,
        maskForm: a.mask
          ? { ...s.maskForm, type: 'custom' }
          : s.maskForm.type === 'custom'
            ? { ...s.maskForm, type: 'random' }
            : s.maskForm,
        notices: without(s, 'mask'),
      };
    case 'methodField':
      return {
        ...s,
        methodForms: { ...s.methodForms, [a.method]: { ...(s.methodForms[a.method] ?? {}), [a.param]: a.value } },
      };
    case 'toggleMethod': {
      const has = s.selectedMethods.includes(a.method);
      if (a.on === has) return s;
      const order = s.info?.methods ?? [];
      const next = a.on ? [...s.selectedMethods, a.method] : s.selectedMethods.filter((m) => m !== a.method);
      return { ...s, selectedMethods: order.filter((m) => next.includes(m)) };
    }
    case 'runRequested': {
      if (a.jobs.length === 0) return s;
      const fresh: JobView[] = a.jobs.map((r) => ({
        key: r.key,
        jobId: null,
        method: r.method,
        label: r.label,
        sweepId: r.sweepId ?? null,
        startedAt: a.now,
        fraction: 0,
        message: 'starting…',
        elapsedMs: 0,
        remainingMs: null,
        updatedAt: a.now,
        state: 'starting',
        cancelling: false,
        cancelTooLate: false,
        error: null,
        resultId: null,
        cached: false,
      }));
      const sweeps = a.sweep
        ? [...s.sweeps.filter((w) => w.id !== a.sweep!.id), { ...a.sweep, jobKeys: a.jobs.map((j) => j.key), resultIds: {} }]
        : s.sweeps;
      return {
        ...s,
        jobs: [...fresh, ...s.jobs].slice(0, MAX_JOBS_SHOWN),
        sweeps,
        notices: without(s, a.sweep ? 'sweep' : 'run'),
      };
    }
    case 'runStarted':
      return patchJob(
        s,
        (j) => j.key === a.key && j.jobId === null,
        () => ({ jobId: a.jobId, state: 'running', message: 'queued' }),
      );
    case 'runFailed': {
      const next = patchJob(
        s,
        (j) => j.key === a.key,
        () => ({ state: 'failed', error: a.message, message: 'failed' }),
      );
      return { ...next, notices: withNotice(next, { kind: 'error', area: 'run', text: a.message }) };
    }
    case 'cancelRequested':
      return patchJob(
        s,
        (j) => j.key === a.key && isActive(j),
        () => ({ cancelling: true, message: 'cancelling…' }),
      );
    case 'cancelAnswered':
      // false: the job had already ended; its result/error event decides what is shown
      return a.cancelled
        ? s
        : patchJob(
            s,
            (j) => j.key === a.key && isActive(j),
            () => ({ cancelling: false, cancelTooLate: true, message: 'already finished' }),
          );
    case 'jobProgress': {
      const p = a.payload;
      return patchJob(
        s,
        (j) => j.jobId === p.jobId && isActive(j),
        (j) => ({
          fraction: p.fraction,
          message: j.cancelling || j.cancelTooLate ? j.message : p.message,
          elapsedMs: p.elapsedMs,
          remainingMs: p.remainingMs,
          updatedAt: a.now,
        }),
      );
    }
    case 'jobResult': {
      const job = s.jobs.find((j) => j.jobId === a.payload.jobId && isActive(j));
      if (!job) return s;
      const r = a.payload.result;
      const late = job.cancelling || job.cancelTooLate;
      const next = patchJob(
        s,
        (j) => j.key === job.key,
        () => ({
          state: 'done',
          fraction: 1,
          message: r.cached ? 'cached' : 'done',
          resultId: r.resultId,
          cached: r.cached,
          cancelling: false,
          elapsedMs: r.cached ? 0 : r.elapsedMs,
          remainingMs: 0,
        }),
      );
      const here = s.scan !== null && r.scanId === s.scan.scanId;
      return {
        ...next,
        results: here ? [r, ...s.results.filter((h) => h.resultId !== r.resultId)].slice(0, 64) : s.results,
        latest: here && !job.sweepId ? { ...s.latest, [r.method.method]: r.resultId } : s.latest,
        sweeps: job.sweepId
          ? s.sweeps.map((w) => (w.id === job.sweepId ? { ...w, resultIds: { ...w.resultIds, [job.key]: r.resultId } } : w))
          : s.sweeps,
        slice: here ? clampSlice(s.slice, r.slices) : s.slice,
        notices: late
          ? withNotice(s, { kind: 'info', area: 'run', text: `${job.label}: finished before it could be cancelled.` })
          : s.notices,
      };
    }
    case 'jobError': {
      const job = s.jobs.find((j) => j.jobId === a.payload.jobId && isActive(j));
      if (!job) return s;
      const cancelled = a.payload.cancelled;
      const next = patchJob(
        s,
        (j) => j.key === job.key,
        () => ({
          state: cancelled ? 'cancelled' : 'failed',
          error: cancelled ? null : a.payload.error,
          message: cancelled ? 'cancelled' : 'failed',
          cancelling: false,
        }),
      );
      const n: Notice = cancelled
        ? { kind: 'info', area: 'run', text: `${job.label}: cancelled.` }
        : { kind: 'error', area: 'run', text: `${job.label} failed: ${a.payload.error}` };
      return { ...next, notices: withNotice(s, n) };
    }
    case 'clearFinished':
      return { ...s, jobs: s.jobs.filter(isActive) };
    case 'slice': {
      const n = s.scan?.slices ?? 0;
      return { ...s, slice: clampSlice(a.slice, n) };
    }
    case 'toggleErrors':
      return { ...s, showErrors: a.on ?? !s.showErrors };
    case 'notice':
      return { ...s, notices: withNotice(s, a.notice) };
    case 'dismiss':
      return { ...s, notices: without(s, a.area) };
  }
}

/** The results the compare view shows: the latest run of each method, in the engine's method order. */
export function paneResults(s: Pick<AppState, 'results' | 'latest' | 'info' | 'scan'>): ReconSummary[] {
  const order = s.info?.methods ?? [];
  const out: ReconSummary[] = [];
  for (const m of order) {
    const id = s.latest[m];
    const r = id ? s.results.find((x) => x.resultId === id) : undefined;
    if (r && s.scan && r.scanId === s.scan.scanId) out.push(r);
  }
  return out;
}

/** λ sweep points that have finished: (λ, metrics, time) in λ order. */
export function sweepPoints(s: Pick<AppState, 'results'>, sweep: Sweep): { lambda: number; result: ReconSummary }[] {
  const pts: { lambda: number; result: ReconSummary }[] = [];
  sweep.jobKeys.forEach((k, i) => {
    const id = sweep.resultIds[k];
    const r = id ? s.results.find((x) => x.resultId === id) : undefined;
    if (r) pts.push({ lambda: sweep.lambdas[i], result: r });
  });
  return pts.sort((a, b) => a.lambda - b.lambda);
}
