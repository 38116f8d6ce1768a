/**
 * The training dashboard, self-contained: a form (new run / resume / fine-tune), Start, Pause /
 * Continue (named apart from resuming a run from its checkpoint) and Cancel, a progress line, live
 * curves (training loss per step on a log axis, validation PSNR / SSIM per epoch against the
 * zero-filled baseline, the learning rate) and the run folders with "use this model".
 * It talks to the engine only through the contract: train.start, train.pause, job.cancel, train.runs,
 * and the train.event / train.done / job.error events of the job it started.
 */
import { useCallback, useEffect, useId, useReducer, useRef, useState } from 'react';
import type { AnyEvent, EngineApi, TrainRun } from '../../../src/contract/schemas';
import type { Transport } from '../../api/transport';
import { errorText } from '../../state/engine-context';
import { fmtDuration, fmtPsnr, fmtSsim } from '../../state/format';
import {
  DEFAULT_FORM,
  IDLE,
  isActive,
  parentDir,
  trainReducer,
  validateTrainForm,
  type FormErrors,
  type TrainForm as Form,
  type EpochPoint,
  type TrainView,
} from '../../state/training';
import { RunsList } from './RunsList';
import { TrainingChart, type TrainingSeries } from './TrainingChart';
import { TrainingForm } from './TrainingForm';

export interface TrainingDashboardProps {
  /** the engine client (createApi(transport)); only train.start, train.pause, train.runs and job.cancel are used */
  api: Pick<EngineApi, 'train.start' | 'train.pause' | 'train.runs' | 'job.cancel'>;
  /** where the job's events arrive */
  transport: Pick<Transport, 'onEvent'>;
  /** "Use this model": receives a run folder (what MethodSpec.model accepts) */
  onUseModel?: (path: string) => void;
  /** pre-fills the training data field (e.g. the open scan's path) */
  initialData?: string;
  /** pre-fills the run folder; the runs list reads its parent folder */
  initialOut?: string;
}

const COLORS = { loss: '#4cc2ff', net: '#4ade80', zf: '#f2b441', lr: '#a78bfa' };

/** A validation metric per epoch for the network, beside the zero-filled baseline (dashed). */
function validationSeries(points: EpochPoint[], net: 'psnr' | 'ssim', zf: 'zfPsnr' | 'zfSsim'): TrainingSeries[] {
  return [
    { name: 'network', color: COLORS.net, points: points.map((p) => ({ x: p.epoch + 1, y: p[net] })) },
    { name: 'zero-filled', color: COLORS.zf, dashed: true, points: points.map((p) => ({ x: p.epoch + 1, y: p[zf] })) },
  ];
}

export function TrainingDashboard({ api, transport, onUseModel, initialData, initialOut }: TrainingDashboardProps) {
  const id = useId();
  const [form, setForm] = useState<Form>(() => ({ ...DEFAULT_FORM, data: initialData ?? '', out: initialOut ?? '' }));
  const [errors, setErrors] = useState<FormErrors>({});
  const [tried, setTried] = useState(false);
  const [view, dispatch] = useReducer(trainReducer, IDLE);
  const [runsDir, setRunsDir] = useState(() => (initialOut ? parentDir(initialOut) : ''));
  const [runs, setRuns] = useState<TrainRun[] | null>(null);
  const [runsLoading, setRunsLoading] = useState(false);
  const [runsError, setRunsError] = useState<string | null>(null);
  const now = useNow(isActive(view));

  // events of our job; those that arrive while train.start is still answering wait for its job id
  const early = useRef<AnyEvent[] | null>(null);
  useEffect(
    () =>
      transport.onEvent((ev) => {
        if (ev.event !== 'train.event' && ev.event !== 'train.done' && ev.event !== 'job.error') return;
        if (early.current) early.current.push(ev);
        else deliver(ev, dispatch);
      }),
    [transport],
  );

  const refreshRuns = useCallback(
    async (dir: string) => {
      if (!dir.trim()) return;
      setRunsLoading(true);
      try {
        const r = await api['train.runs']({ directory: dir.trim() });
        setRuns(r.runs);
        setRunsError(null);
      } catch (e) {
        setRuns(null);
        setRunsError(errorText(e));
      } finally {
        setRunsLoading(false);
      }
    },
    [api],
  );

  // list the runs on first show, and again whenever a job ends (its folder changed)
  const ended = view.status === 'done' || view.status === 'cancelled' || view.status === 'failed';
  const runsDirRef = useRef(runsDir);
  useEffect(() => {
    runsDirRef.current = runsDir;
  }, [runsDir]);
  useEffect(() => {
    void refreshRuns(runsDirRef.current);
  }, [refreshRuns, ended]);

  const change = (patch: Partial<Form>) => {
    const next = { ...form, ...patch };
    setForm(next);
    if (tried) setErrors(validateTrainForm(next).errors);
  };

  const start = async () => {
    setTried(true);
    const { params, errors: errs } = validateTrainForm(form);
    setErrors(errs);
    if (!params) return;
    early.current = [];
    dispatch({ type: 'starting', now: Date.now() });
    try {
      const { jobId } = await api['train.start'](params);
      dispatch({ type: 'started', jobId });
      const buffered = early.current ?? [];
      early.current = null;
      for (const ev of buffered) deliver(ev, dispatch);
      if (!runsDir.trim()) setRunsDir(parentDir(form.out));
    } catch (e) {
      early.current = null;
      dispatch({ type: 'startFailed', error: errorText(e) });
    }
  };

  const cancel = async () => {
    if (!view.jobId) return;
    dispatch({ type: 'cancelling' });
    try {
      await api['job.cancel']({ jobId: view.jobId });
    } catch (e) {
      dispatch({ type: 'error', jobId: view.jobId, error: errorText(e), cancelled: false, now: Date.now() });
    }
  };

  const togglePause = async () => {
    if (!view.jobId) return;
    const jobId = view.jobId;
    const want = !view.pauseWanted;
    dispatch({ type: 'pauseWanted', paused: want });
    try {
      const { paused } = await api['train.pause']({ jobId, paused: want });
      dispatch({ type: 'pauseWanted', paused });
    } catch (e) {
      dispatch({ type: 'pauseWanted', paused: !want });
      dispatch({ type: 'event', jobId, event: { type: 'log', message: `pause: ${errorText(e)}` }, now: Date.now() });
    }
  };

  const active = isActive(view);
  return (
    <section className="panel training" aria-labelledby={`${id}-h`} data-testid="training-dashboard">
      <div className="panel-head">
        <h2 id={`${id}-h`}>Training</h2>
        <span className="panel-actions">
          <button type="button" className="primary" disabled={active} onClick={() => void start()} data-testid="train-start">
            {view.status === 'starting' ? 'Starting…' : 'Start'}
          </button>
          <button
            type="button"
            disabled={!view.jobId || view.status !== 'running'}
            onClick={() => void togglePause()}
            aria-pressed={view.pauseWanted}
            title={view.pauseWanted ? 'Continue training from where it paused' : 'Pause after the current step'}
            data-testid="train-pause"
          >
            {view.pauseWanted ? 'Continue' : 'Pause'}
          </button>
          <button
            type="button"
            className="danger"
            disabled={!view.jobId || view.status !== 'running'}
            onClick={() => void cancel()}
            data-testid="train-cancel"
          >
            {view.status === 'cancelling' ? 'Cancelling…' : 'Cancel'}
          </button>
        </span>
      </div>
      <TrainingForm form={form} errors={errors} disabled={active} onChange={change} />
      {view.error && (
        <div className="notice notice-error" role="alert" data-testid="error-message" data-area="train">
          <span>{view.error}</span>
        </div>
      )}
      <ProgressLine view={view} now={now} />
      <div className="training-charts">
        <TrainingChart
          title="Training loss per step"
          testId="train-chart-loss"
          xLabel="step"
          yLabel="loss (log)"
          logY
          series={[{ name: 'training loss', color: COLORS.loss, points: view.steps.map((p) => ({ x: p.step, y: p.loss })) }]}
        />
        <TrainingChart
          title="Validation PSNR per epoch"
          testId="train-chart-psnr"
          xLabel="epoch"
          yLabel="PSNR (dB)"
          series={validationSeries(view.epochPoints, 'psnr', 'zfPsnr')}
        />
        <TrainingChart
          title="Validation SSIM per epoch"
          testId="train-chart-ssim"
          xLabel="epoch"
          yLabel="SSIM"
          series={validationSeries(view.epochPoints, 'ssim', 'zfSsim')}
        />
        <TrainingChart
          title="Learning rate per step"
          testId="train-chart-lr"
          xLabel="step"
          yLabel="learning rate"
          series={[{ name: 'learning rate', color: COLORS.lr, points: view.steps.map((p) => ({ x: p.step, y: p.lr })) }]}
        />
      </div>
      {view.log.length > 0 && (
        <details className="training-log">
          <summary>Log ({view.log.length})</summary>
          <ul>
            {view.log.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </details>
      )}
      <RunsList
        directory={runsDir}
        runs={runs}
        loading={runsLoading}
        error={runsError}
        busy={active}
        onDirectory={setRunsDir}
        onRefresh={() => void refreshRuns(runsDir)}
        onUseModel={onUseModel}
        onResume={(r) => change({ mode: 'resume', out: r.path, epochs: '' })}
        onFineTune={(r) => change({ mode: 'finetune', init: r.path, chans: '', pools: '' })}
      />
    </section>
  );
}

function deliver(ev: AnyEvent, dispatch: (a: Parameters<typeof trainReducer>[1]) => void): void {
  const now = Date.now();
  if (ev.event === 'train.event') dispatch({ type: 'event', jobId: ev.payload.jobId, event: ev.payload.event, now });
  else if (ev.event === 'train.done') dispatch({ type: 'done', payload: ev.payload, now });
  else if (ev.event === 'job.error')
    dispatch({ type: 'error', jobId: ev.payload.jobId, error: ev.payload.error, cancelled: ev.payload.cancelled, now });
}

function ProgressLine({ view, now }: { view: TrainView; now: number }) {
  if (view.status === 'idle') return <p className="hint training-progress">Fill in the data and run folder, then Start.</p>;
  const elapsed = view.startedAt === null ? null : (view.endedAt ?? now) - view.startedAt;
  const epochs = view.epochs ?? '?';
  const shownEpoch = Math.min(view.epoch + 1, view.epochs ?? Infinity);
  const fraction = view.epochs
    ? Math.min(1, view.epochPoints.length ? (view.epochPoints[view.epochPoints.length - 1].epoch + 1) / view.epochs : 0)
    : 0;
  const best = view.done?.bestVal;
  let status: string;
  switch (view.status) {
    case 'starting':
      status = 'starting…';
      break;
    case 'running':
      status = view.paused
        ? view.pauseWanted
          ? 'paused: Continue carries on, Cancel stops at a checkpoint'
          : 'continuing…'
        : view.pauseWanted
          ? 'pausing (after this step)…'
          : 'training';
      break;
    case 'cancelling':
      status = 'cancelling (after this step, at a checkpoint)…';
      break;
    case 'done':
      status = view.done?.modelPath ? 'finished' : 'stopped (step limit)';
      break;
    case 'cancelled':
      status = 'cancelled: resume continues from the last checkpoint';
      break;
    case 'failed':
      status = 'failed';
      break;
  }
  return (
    <div
      className="training-progress"
      role="status"
      aria-live="polite"
      data-testid="train-progress"
      data-status={view.status}
      data-paused={view.paused}
    >
      <div className="progress" aria-hidden="true">
        <div
          className="progress-fill"
          style={{ width: `${(view.status === 'done' && view.done?.modelPath ? 1 : fraction) * 100}%` }}
        />
      </div>
      <p className="small-text">
        <strong>{status}</strong> · epoch {shownEpoch}/{epochs} · step {view.step}
        {view.lastLoss !== null && ` · loss ${view.lastLoss.toPrecision(3)}`} · {fmtDuration(elapsed)}
        {best && ` · best val PSNR ${fmtPsnr(best.psnr)} dB, SSIM ${fmtSsim(best.ssim)} (epoch ${best.epoch + 1})`}
      </p>
      {view.model && <p className="small-text muted">{view.model}</p>}
      {view.checkpoint && (
        <p className="small-text muted training-path" title={view.checkpoint}>
          checkpoint: {view.checkpoint}
        </p>
      )}
      {view.done?.modelPath && (
        <p className="small-text muted training-path" title={view.done.modelPath}>
          model: {view.done.modelPath}
        </p>
      )}
    </div>
  );
}

/** Date.now(), ticking once a second while `live`. */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  return now;
}
