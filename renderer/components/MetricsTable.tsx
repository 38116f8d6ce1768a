/** Metrics of every method's latest run (or all runs): volume, this slice or every slice; sortable; CSV. */
import { useState } from 'react';
import type { ReconSummary } from '../../src/contract/schemas';
import { fmtDuration, fmtNmse, fmtPsnr, fmtSsim } from '../state/format';
import { buildRows, sortRows, toCsv, type Scope, type SortKey } from '../state/metrics-rows';
import { downloadText } from '../state/download';

const COLS: [SortKey, string][] = [
  ['run', 'Method'],
  ['slice', 'Slice'],
  ['nmse', 'NMSE'],
  ['psnr', 'PSNR (dB)'],
  ['ssim', 'SSIM'],
  ['time', 'Time'],
];

export function MetricsTable({
  latest,
  all,
  slice,
  label,
  scanName,
  onSlice,
}: {
  latest: ReconSummary[];
  all: ReconSummary[];
  slice: number;
  label(r: ReconSummary): string;
  scanName: string;
  onSlice(s: number): void;
}) {
  const [scope, setScope] = useState<Scope>('volume');
  const [which, setWhich] = useState<'latest' | 'all'>('latest');
  const [sort, setSort] = useState<{ key: SortKey | null; dir: 1 | -1 }>({ key: null, dir: 1 });
  const results = which === 'latest' ? latest : all;
  const rows = sortRows(buildRows(results, scope, slice, label), sort.key, sort.dir);
  const noRef = results.length > 0 && results.every((r) => !r.volume);
  const clickSort = (k: SortKey) =>
    setSort((s) =>
      s.key === k ? { key: k, dir: s.dir === 1 ? -1 : 1 } : { key: k, dir: k === 'psnr' || k === 'ssim' ? -1 : 1 },
    );
  return (
    <div className="metrics" data-testid="metrics">
      <div className="dock-bar">
        <span className="seg" role="group" aria-label="Rows">
          {(
            [
              ['volume', 'Volume'],
              ['slice', `Slice ${slice + 1}`],
              ['all', 'Every slice'],
            ] as [Scope, string][]
          ).map(([s, l]) => (
            <button
              key={s}
              type="button"
              className={scope === s ? 'on' : undefined}
              aria-pressed={scope === s}
              onClick={() => setScope(s)}
              data-testid={`scope-${s}`}
            >
              {l}
            </button>
          ))}
        </span>
        <span className="seg" role="group" aria-label="Runs">
          {(
            [
              ['latest', 'Latest per method'],
              ['all', 'All runs'],
            ] as ['latest' | 'all', string][]
          ).map(([s, l]) => (
            <button
              key={s}
              type="button"
              className={which === s ? 'on' : undefined}
              aria-pressed={which === s}
              onClick={() => setWhich(s)}
            >
              {l}
            </button>
          ))}
        </span>
        <span className="tb-grow" />
        <button
          type="button"
          data-testid="export-csv"
          disabled={all.length === 0}
          onClick={() => downloadText(toCsv(results, label), `${scanName.replace(/\.[^.]+$/, '')}-metrics.csv`)}
          title="Download every slice's metrics as CSV"
        >
          Export CSV
        </button>
      </div>
      {results.length === 0 ? (
        <p className="muted dock-empty">Run a reconstruction to compare it with the reference.</p>
      ) : noRef ? (
        <p className="muted dock-empty">This scan has no reference image: no metrics.</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="metrics-table">
            <thead>
              <tr>
                {COLS.map(([k, l]) => (
                  <th key={k} scope="col" aria-sort={sort.key === k ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                    <button type="button" className="sort-button" onClick={() => clickSort(k)} data-testid={`sort-${k}`}>
                      {l}
                      <span aria-hidden="true" className="sort-mark">
                        {sort.key === k ? (sort.dir === 1 ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={`${r.resultId}/${r.slice ?? 'v'}`}
                  className={`${r.slice === null ? 'volume-row' : ''} ${r.slice === slice ? 'current' : ''}`}
                  data-testid={r.slice === null ? 'metrics-volume' : 'metrics-slice'}
                  data-method={r.method}
                  data-slice={r.slice ?? ''}
                >
                  <th scope="row">{r.run}</th>
                  <td>
                    {r.slice === null ? (
                      'volume'
                    ) : (
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => onSlice(r.slice!)}
                        aria-label={`Show slice ${r.slice + 1}`}
                      >
                        {r.slice + 1}
                      </button>
                    )}
                  </td>
                  <td>{fmtNmse(r.nmse)}</td>
                  <td>{fmtPsnr(r.psnr)}</td>
                  <td>{fmtSsim(r.ssim)}</td>
                  <td>{fmtDuration(r.timeMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
