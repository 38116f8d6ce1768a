import type { ReconSummary } from '../../src/contract/schemas';
import { fmtDuration, fmtPsnr, fmtSsim, methodLabel } from '../state/format';

/** Finished runs of this scan; picking one shows it again (the engine keeps recent results). */
export function HistoryList({ history, current, onSelect }: { history: ReconSummary[]; current: string | null; onSelect(id: string): void }) {
  if (history.length === 0) return null;
  return (
    <section className="panel" aria-label="Runs">
      <h2>Runs</h2>
      <ul className="history" data-testid="history">
        {history.map((r) => (
          <li key={r.resultId}>
            <button type="button" className={`history-item ${r.resultId === current ? 'current' : ''}`} aria-pressed={r.resultId === current} onClick={() => onSelect(r.resultId)}>
              <span className="history-main">
                {methodLabel(r.method.method)} · {r.mask.type} {r.mask.acceleration}×
              </span>
              <span className="history-sub">
                PSNR {fmtPsnr(r.volume?.psnr)} · SSIM {fmtSsim(r.volume?.ssim)} · {r.cached ? 'cached' : fmtDuration(r.elapsedMs)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
