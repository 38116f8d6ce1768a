import { useEffect, useState } from 'react';
import type { JobView } from '../state/app-state';
import { fmtDuration, methodLabel } from '../state/format';

/** Progress bar with elapsed and remaining time (counted down locally between events) and Cancel. */
export function JobProgress({ job, onCancel }: { job: JobView; onCancel(): void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const pct = Math.round(job.fraction * 100);
  const elapsed = Math.max(job.elapsedMs, now - job.startedAt);
  const remaining = job.remainingMs === null ? null : Math.max(0, job.remainingMs - (now - job.updatedAt));
  return (
    <div className="job" data-testid="progress" data-job-id={job.jobId ?? ''}>
      <div className="job-head">
        <span>{methodLabel(job.method)}</span>
        <span className="muted">{job.message}</span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Reconstruction progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="job-foot">
        <span>
          {pct}% · elapsed {fmtDuration(elapsed)} · remaining {fmtDuration(remaining)}
        </span>
        <button
          type="button"
          className="danger"
          data-testid="cancel-button"
          onClick={onCancel}
          disabled={!job.jobId || job.cancelling}
        >
          {job.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </div>
  );
}
