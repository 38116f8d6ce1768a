import type { ReconSummary } from '../../src/contract/schemas';
import { fmtDuration, fmtNmse, fmtPsnr, fmtSsim, methodLabel } from '../state/format';

/** Finished runs of this scan, side by side; picking one shows it again (the engine keeps recent results). */
export function HistoryList({
  history,
  current,
  onSelect,
}: {
  history: ReconSummary[];
  current: string | null;
  onSelect(id: string): void;
}) {
  return (
    <section className="runs" aria-label="Runs">
      <h2>Runs</h2>
      {history.length === 0 ? (
        <p className="muted metrics-empty">No runs yet for this scan.</p>
      ) : (
        <div className="metrics-scroll">
          <table data-testid="history">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Mask</th>
                <th scope="col">R (eff.)</th>
                <th scope="col">NMSE</th>
                <th scope="col">PSNR</th>
                <th scope="col">SSIM</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {history.map((r, i) => (
                <tr
                  key={r.resultId}
                  className={r.resultId === current ? 'current' : undefined}
                  aria-current={r.resultId === current ? 'true' : undefined}
                >
                  <th scope="row">
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => onSelect(r.resultId)}
                      aria-label={`Show run ${history.length - i}: ${methodLabel(r.method.method)} ${r.mask.acceleration}×`}
                    >
                      #{history.length - i} {methodLabel(r.method.method)}
                    </button>
                  </th>
                  <td>
                    {r.mask.type} · c {r.mask.centerFraction} · s {String(r.mask.seed ?? '—')}
                  </td>
                  <td>
                    {r.mask.acceleration}× ({r.mask1d.acceleration.toFixed(2)}×)
                  </td>
                  <td>{fmtNmse(r.volume?.nmse)}</td>
                  <td>{fmtPsnr(r.volume?.psnr)}</td>
                  <td>{fmtSsim(r.volume?.ssim)}</td>
                  <td>{r.cached ? 'cached' : fmtDuration(r.elapsedMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
