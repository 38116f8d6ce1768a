import type { ReconSummary } from '../../src/contract/schemas';
import { fmtNmse, fmtPsnr, fmtSsim, methodLabel } from '../state/format';

/** Volume row and per-slice rows (NMSE, PSNR, SSIM); the current slice is highlighted and rows are clickable. */
export function MetricsTable({
  result,
  slice,
  onSlice,
}: {
  result: ReconSummary | null;
  slice: number;
  onSlice(s: number): void;
}) {
  return (
    <section className="metrics" aria-label="Metrics">
      <div className="metrics-head">
        <h2>Metrics</h2>
        {result && (
          <span className="muted">
            {methodLabel(result.method.method)} · {result.mask.type} · R {result.mask.acceleration}×
          </span>
        )}
      </div>
      {!result ? (
        <p className="muted metrics-empty">Run a reconstruction to compare it with the reference.</p>
      ) : !result.volume || !result.perSlice ? (
        <p className="muted metrics-empty">This scan has no reference image: no metrics.</p>
      ) : (
        <div className="metrics-scroll">
          <table data-testid="metrics-table">
            <thead>
              <tr>
                <th scope="col">Slice</th>
                <th scope="col">NMSE</th>
                <th scope="col">PSNR (dB)</th>
                <th scope="col">SSIM</th>
              </tr>
            </thead>
            <tbody>
              <tr className="volume-row" data-testid="metrics-volume">
                <th scope="row">Volume</th>
                <td>{fmtNmse(result.volume.nmse)}</td>
                <td>{fmtPsnr(result.volume.psnr)}</td>
                <td>{fmtSsim(result.volume.ssim)}</td>
              </tr>
              {result.perSlice.map((m, i) => (
                <tr
                  key={i}
                  className={i === slice ? 'current' : undefined}
                  aria-current={i === slice ? 'true' : undefined}
                  data-slice={i}
                >
                  <th scope="row">
                    <button type="button" className="link-button" onClick={() => onSlice(i)} aria-label={`Show slice ${i + 1}`}>
                      {i + 1}
                    </button>
                  </th>
                  <td>{fmtNmse(m.nmse)}</td>
                  <td>{fmtPsnr(m.psnr)}</td>
                  <td>{fmtSsim(m.ssim)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
