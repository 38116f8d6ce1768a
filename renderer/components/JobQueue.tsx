/** The job queue: every job of this session with its progress, elapsed and remaining time, and Cancel. */
import { useEffect, useState } from 'react';
import type { JobView } from '../state/app-state';
import { fmtDuration } from '../state/format';

export function JobQueue({
  jobs,
  active,
  onCancel,
  onCancelAll,
  onClearFinished,
}: {
  jobs: JobView[];
  active: number;
  onCancel(key: string): void;
  onCancelAll(): void;
  onClearFinished(): void;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (active === 0) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [active]);
  if (jobs.length === 0) return null;
  return (
    <div className="jobs" aria-label="Job queue" role="region">
      <div className="panel-head">
        <h3>Jobs</h3>
        <span className="panel-actions">
          {active > 0 && (
            <button
              type="button"
              className="small danger"
              onClick={onCancelAll}
              data-testid="cancel-all"
              title="Cancel every running job (Esc)"
            >
              Cancel all
            </button>
          )}
          {jobs.length > active && (
            <button type="button" className="small" onClick={onClearFinished} data-testid="clear-jobs">
              Clear finished
            </button>
          )}
        </span>
      </div>
      <ul className="job-list" data-testid="job-list">
        {jobs.map((j) => (
          <JobRow key={j.key} job={j} now={now} onCancel={() => onCancel(j.key)} />
        ))}
      </ul>
    </div>
  );
}

function JobRow({ job, now, onCancel }: { job: JobView; now: number; onCancel(): void }) {
  const running = job.state === 'starting' || job.state === 'running';
  const pct = Math.round(job.fraction * 100);
  const elapsed = running ? Math.max(job.elapsedMs, now - job.startedAt) : job.elapsedMs;
  const remaining = !running || job.remainingMs === null ? null : Math.max(0, job.remainingMs - (now - job.updatedAt));
  const status =
    job.state === 'done'
      ? job.cached
        ? 'cached · instant'
        : `done · ${fmtDuration(job.elapsedMs)}`
      : job.state === 'failed'
        ? 'failed'
        : job.state === 'cancelled'
          ? 'cancelled'
          : `${pct}% · ${fmtDuration(elapsed)} · ${remaining === null ? '—' : `${fmtDuration(remaining)} left`}`;
  return (
    <li
      className={`job job-${job.state}`}
      data-testid={running ? 'progress' : 'job-done'}
      data-job-id={job.jobId ?? ''}
      data-state={job.state}
      data-method={job.method.method}
    >
      <div className="job-head">
        <span className="job-label" title={job.label}>
          {job.label}
        </span>
        {running ? (
          <button
            type="button"
            className="small danger"
            data-testid="cancel-button"
            onClick={onCancel}
            disabled={!job.jobId || job.cancelling}
            aria-label={`Cancel ${job.label}`}
          >
            {job.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : null}
      </div>
      {running && (
        <div
          className="progress"
          role="progressbar"
          aria-label={`${job.label} progress`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
        >
          <div className="progress-fill" style={{ width: `${pct}%` }} />
        </div>
      )}
      <div className="job-foot">
        <span className="job-status">{status}</span>
        {running && <span className="job-msg">{job.message}</span>}
      </div>
      {job.state === 'failed' && job.error && (
        <p className="job-error" role="alert" data-testid="job-error">
          {job.error}
        </p>
      )}
    </li>
  );
}
