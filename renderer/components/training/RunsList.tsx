/** Run folders under a directory (train.runs): their model, last metrics, and what to do with them. */
import { useId } from 'react';
import type { TrainRun } from '../../../src/contract/schemas';
import { fmtPsnr, fmtSsim } from '../../state/format';

export function RunsList({
  directory,
  runs,
  loading,
  error,
  busy,
  onDirectory,
  onRefresh,
  onUseModel,
  onResume,
  onFineTune,
}: {
  directory: string;
  runs: TrainRun[] | null;
  loading: boolean;
  error: string | null;
  /** a job is running: resume / fine-tune are disabled */
  busy: boolean;
  onDirectory(dir: string): void;
  onRefresh(): void;
  onUseModel?: (path: string) => void;
  onResume(run: TrainRun): void;
  onFineTune(run: TrainRun): void;
}) {
  const id = useId();
  return (
    <section className="training-runs" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Runs</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          onRefresh();
        }}
      >
        <div className="field grow">
          <label htmlFor={`${id}-dir`}>Runs folder</label>
          <input
            id={`${id}-dir`}
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={directory}
            placeholder="a folder holding run folders"
            data-testid="train-runs-dir"
            onChange={(e) => onDirectory(e.target.value)}
          />
        </div>
        <button type="submit" className="small" disabled={!directory.trim() || loading} data-testid="train-runs-refresh">
          {loading ? 'Reading…' : 'Refresh'}
        </button>
      </form>
      {error && (
        <div className="notice notice-error" role="alert" data-testid="error-message" data-area="train-runs">
          <span>{error}</span>
        </div>
      )}
      {runs && runs.length === 0 && <p className="hint">No run folders here yet.</p>}
      {runs && runs.length > 0 && (
        <ul className="training-run-list" data-testid="train-runs">
          {runs.map((r) => {
            const c = r.config;
            const val = r.last?.val;
            return (
              <li
                key={r.path}
                className={`training-run${r.error ? ' training-run-broken' : ''}`}
                data-testid="train-run"
                data-path={r.path}
              >
                <div className="training-run-head">
                  <span className="training-run-name" title={r.path}>
                    {r.name}
                  </span>
                  <span className="muted small-text">
                    {r.finished
                      ? 'finished'
                      : r.checkpoints
                        ? `${r.checkpoints} checkpoint${r.checkpoints === 1 ? '' : 's'}`
                        : 'no checkpoint'}
                  </span>
                </div>
                {c && (
                  <p className="small-text training-run-config">
                    {c.model} · chans {c.chans ?? '—'} · pools {c.pools ?? '—'} · {c.norm ?? '—'} · {c.optimizer} lr {c.lr} ·{' '}
                    {c.epochs} epochs · batch {c.batch} · {c.loss}
                  </p>
                )}
                {r.last && (
                  <p className="small-text training-run-metrics">
                    step {r.last.step ?? '—'}
                    {r.last.loss !== null && ` · loss ${r.last.loss.toPrecision(3)}`}
                    {val &&
                      ` · val PSNR ${fmtPsnr(val.psnr)} dB (zero-filled ${fmtPsnr(val.zf.psnr)}) · SSIM ${fmtSsim(val.ssim)}`}
                  </p>
                )}
                {r.error && <p className="field-error small-text">{r.error}</p>}
                <div className="training-run-actions">
                  {onUseModel && (
                    <button
                      type="button"
                      className="small primary"
                      disabled={!r.modelPath}
                      onClick={() => onUseModel(r.path)}
                      aria-label={`Use the model of ${r.name}`}
                      data-testid="train-use-model"
                    >
                      Use this model
                    </button>
                  )}
                  <button
                    type="button"
                    className="small"
                    disabled={busy || !c}
                    onClick={() => onResume(r)}
                    aria-label={`Resume ${r.name}`}
                  >
                    Resume
                  </button>
                  <button
                    type="button"
                    className="small"
                    disabled={busy || !r.modelPath}
                    onClick={() => onFineTune(r)}
                    aria-label={`Fine-tune from ${r.name}`}
                  >
                    Fine-tune from
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
