/**
 * Application state and its reducer (used with React's useReducer). Pure: no engine calls here; the
 * effects live in state/actions.ts and the components. Job events are matched to the running job by id,
 * so events of other clients' jobs (the server broadcasts) are ignored.
 */
import type { EventPayload, MaskType, ReconMethodName, ReconSummary, RequestResult, ScanInfo } from '../../src/contract/schemas';
import { DEFAULT_MASK_FORM, type MaskField, type MaskForm } from './mask-form';

export type EngineInfo = RequestResult<'engine.info'>;

export interface JobView {
  /** null between the click and the engine's answer */
  jobId: string | null;
  method: ReconMethodName;
  startedAt: number;
  fraction: number;
  message: string;
  elapsedMs: number;
  remainingMs: number | null;
  /** Date.now() of the last progress event, to count remaining time down between events */
  updatedAt: number;
  cancelling: boolean;
  /** Cancel was asked for but the engine said the job had already ended */
  cancelTooLate: boolean;
}

export interface Notice {
  kind: 'info' | 'error';
  area: 'open' | 'run' | 'connect';
  text: string;
}

export interface AppState {
  connection: { status: 'connecting' | 'ready' | 'failed'; message: string | null; transport: 'electron' | 'websocket' | null };
  info: EngineInfo | null;
  scan: ScanInfo | null;
  opening: boolean;
  maskForm: MaskForm;
  method: ReconMethodName;
  job: JobView | null;
  /** the reconstruction shown in the compare view */
  result: ReconSummary | null;
  /** finished reconstructions of the open scan, newest first */
  history: ReconSummary[];
  slice: number;
  notices: Notice[];
}

export const initialState: AppState = {
  connection: { status: 'connecting', message: null, transport: null },
  info: null,
  scan: null,
  opening: false,
  maskForm: DEFAULT_MASK_FORM,
  method: 'zf',
  job: null,
  result: null,
  history: [],
  slice: 0,
  notices: [],
};

export type Action =
  | { type: 'connected'; info: EngineInfo; transport: 'electron' | 'websocket' }
  | { type: 'connectFailed'; message: string }
  | { type: 'openStarted' }
  | { type: 'opened'; scan: ScanInfo }
  | { type: 'openFailed'; message: string }
  | { type: 'maskField'; field: MaskField; value: string }
  | { type: 'method'; method: ReconMethodName }
  | { type: 'runRequested'; method: ReconMethodName; now: number }
  | { type: 'runStarted'; jobId: string }
  | { type: 'runFailed'; message: string }
  | { type: 'cancelRequested' }
  | { type: 'cancelAnswered'; cancelled: boolean }
  | { type: 'jobProgress'; payload: EventPayload<'job.progress'>; now: number }
  | { type: 'jobResult'; payload: EventPayload<'job.result'> }
  | { type: 'jobError'; payload: EventPayload<'job.error'> }
  | { type: 'selectResult'; resultId: string }
  | { type: 'slice'; slice: number }
  | { type: 'dismiss'; area: Notice['area'] };

const withNotice = (s: AppState, n: Notice): Notice[] => [...s.notices.filter((x) => x.area !== n.area), n];
const without = (s: AppState, area: Notice['area']): Notice[] => s.notices.filter((x) => x.area !== area);
const clampSlice = (slice: number, n: number) => Math.max(0, Math.min(Math.max(0, n - 1), Math.round(slice)));
const sameJob = (s: AppState, jobId: string) => s.job !== null && s.job.jobId === jobId;

export function reducer(s: AppState, a: Action): AppState {
  switch (a.type) {
    case 'connected': {
      const methods = a.info.methods;
      const types = a.info.maskTypes;
      const method = methods.includes(s.method) ? s.method : (methods[0] ?? s.method);
      const maskType: MaskType = types.includes(s.maskForm.type) ? s.maskForm.type : (types[0] ?? s.maskForm.type);
      return {
        ...s,
        connection: { status: 'ready', message: null, transport: a.transport },
        info: a.info,
        method,
        maskForm: { ...s.maskForm, type: maskType },
        notices: without(s, 'connect'),
      };
    }
    case 'connectFailed':
      return {
        ...s,
        connection: { status: 'failed', message: a.message, transport: null },
        notices: withNotice(s, { kind: 'error', area: 'connect', text: a.message }),
      };
    case 'openStarted':
      return { ...s, opening: true, notices: without(s, 'open') };
    case 'opened': {
      const sameScan = s.scan?.scanId === a.scan.scanId;
      return {
        ...s,
        opening: false,
        scan: a.scan,
        result: sameScan ? s.result : null,
        history: sameScan ? s.history : [],
        slice: sameScan ? s.slice : Math.floor(a.scan.slices / 2),
        notices: without(s, 'open'),
      };
    }
    case 'openFailed':
      return { ...s, opening: false, notices: withNotice(s, { kind: 'error', area: 'open', text: a.message }) };
    case 'maskField':
      return { ...s, maskForm: { ...s.maskForm, [a.field]: a.value } };
    case 'method':
      return { ...s, method: a.method };
    case 'runRequested':
      if (s.job) return s;
      return {
        ...s,
        job: {
          jobId: null,
          method: a.method,
          startedAt: a.now,
          fraction: 0,
          message: 'starting…',
          elapsedMs: 0,
          remainingMs: null,
          updatedAt: a.now,
          cancelling: false,
          cancelTooLate: false,
        },
        notices: without(s, 'run'),
      };
    case 'runStarted':
      return s.job && s.job.jobId === null ? { ...s, job: { ...s.job, jobId: a.jobId, message: 'queued' } } : s;
    case 'runFailed':
      return { ...s, job: null, notices: withNotice(s, { kind: 'error', area: 'run', text: a.message }) };
    case 'cancelRequested':
      return s.job ? { ...s, job: { ...s.job, cancelling: true, message: 'cancelling…' } } : s;
    case 'cancelAnswered':
      // false: the job had already ended; its result/error event decides what is shown
      return s.job && !a.cancelled
        ? { ...s, job: { ...s.job, cancelling: false, cancelTooLate: true, message: 'already finished' } }
        : s;
    case 'jobProgress': {
      if (!sameJob(s, a.payload.jobId) || !s.job) return s;
      const p = a.payload;
      return {
        ...s,
        job: {
          ...s.job,
          fraction: p.fraction,
          message: s.job.cancelling ? s.job.message : p.message,
          elapsedMs: p.elapsedMs,
          remainingMs: p.remainingMs,
          updatedAt: a.now,
        },
      };
    }
    case 'jobResult': {
      if (!sameJob(s, a.payload.jobId)) return s;
      const r = a.payload.result;
      const cancelledLate = s.job?.cancelling === true || s.job?.cancelTooLate === true;
      return {
        ...s,
        job: null,
        result: s.scan && r.scanId === s.scan.scanId ? r : s.result,
        history:
          s.scan && r.scanId === s.scan.scanId
            ? [r, ...s.history.filter((h) => h.resultId !== r.resultId)].slice(0, 20)
            : s.history,
        slice: clampSlice(s.slice, r.slices),
        notices: cancelledLate
          ? withNotice(s, { kind: 'info', area: 'run', text: 'The reconstruction finished before it could be cancelled.' })
          : without(s, 'run'),
      };
    }
    case 'jobError': {
      if (!sameJob(s, a.payload.jobId)) return s;
      const n: Notice = a.payload.cancelled
        ? { kind: 'info', area: 'run', text: 'Reconstruction cancelled.' }
        : { kind: 'error', area: 'run', text: `Reconstruction failed: ${a.payload.error}` };
      return { ...s, job: null, notices: withNotice(s, n) };
    }
    case 'selectResult': {
      const r = s.history.find((h) => h.resultId === a.resultId);
      return r ? { ...s, result: r } : s;
    }
    case 'slice': {
      const n = s.scan?.slices ?? 0;
      return { ...s, slice: clampSlice(a.slice, n) };
    }
    case 'dismiss':
      return { ...s, notices: without(s, a.area) };
  }
}
