import { useId } from 'react';
import type { ReconMethodName } from '../../src/contract/schemas';
import type { JobView, Notice as NoticeT } from '../state/app-state';
import { methodLabel } from '../state/format';
import { JobProgress } from './JobProgress';
import { Notice } from './Notice';

export interface ReconPanelProps {
  methods: readonly ReconMethodName[];
  method: ReconMethodName;
  onMethod(m: ReconMethodName): void;
  canRun: boolean;
  job: JobView | null;
  notices: NoticeT[];
  onRun(): void;
  onCancel(): void;
  onDismiss(area: NoticeT['area']): void;
}

/** Method picker (from engine.info), Run, and the running job's progress with Cancel. */
export function ReconPanel(p: ReconPanelProps) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Reconstruction</h2>
      <div className="row">
        <div className="field grow">
          <label htmlFor={`${id}-method`}>Method</label>
          <select
            id={`${id}-method`}
            data-testid="method"
            value={p.method}
            onChange={(e) => p.onMethod(e.target.value as ReconMethodName)}
            disabled={!!p.job}
          >
            {p.methods.map((m) => (
              <option key={m} value={m}>
                {methodLabel(m)}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="primary run-button"
          data-testid="run-button"
          onClick={p.onRun}
          disabled={!p.canRun}
          aria-describedby={`${id}-status`}
        >
          Run
        </button>
      </div>
      <div id={`${id}-status`}>{p.job && <JobProgress job={p.job} onCancel={p.onCancel} />}</div>
      <Notice notice={p.notices.find((n) => n.area === 'run')} onDismiss={() => p.onDismiss('run')} />
    </section>
  );
}
