/** The scan's header: DICOM tags / HDF5 and ISMRMRD attributes (scan.metadata), grouped and searchable. */
import { useEffect, useId, useState } from 'react';
import type { RequestResult, ScanInfo } from '../../src/contract/schemas';
import { errorText, useEngine } from '../state/engine-context';

type Meta = RequestResult<'scan.metadata'>;

export function MetadataBrowser({ scan }: { scan: ScanInfo | null }) {
  const api = useEngine();
  const id = useId();
  const [meta, setMeta] = useState<{ scanId: string; meta: Meta } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  useEffect(() => {
    if (!scan) return;
    let live = true;
    setError(null);
    api['scan.metadata']({ scanId: scan.scanId }).then(
      (m) => live && setMeta({ scanId: scan.scanId, meta: m }),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [api, scan]);
  const q = query.trim().toLowerCase();
  const groups =
    meta && scan && meta.scanId === scan.scanId
      ? meta.meta.groups
          .map((g) => ({
            ...g,
            entries: q
              ? g.entries.filter(
                  (e) => e.key.toLowerCase().includes(q) || e.value.toLowerCase().includes(q) || g.name.toLowerCase().includes(q),
                )
              : g.entries,
          }))
          .filter((g) => g.entries.length > 0)
      : [];
  const total = groups.reduce((a, g) => a + g.entries.length, 0);
  return (
    <div className="meta" data-testid="metadata">
      <div className="dock-bar">
        <label htmlFor={`${id}-q`} className="inline-label">
          Search
        </label>
        <input
          id={`${id}-q`}
          type="search"
          className="meta-search"
          placeholder="tag, attribute or value"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="metadata-search"
        />
        <span className="muted">{meta ? `${total} entries` : ''}</span>
      </div>
      {error && (
        <p className="field-error" role="alert">
          Could not read the header: {error}
        </p>
      )}
      <div className="table-scroll">
        <table className="meta-table">
          <tbody>
            {groups.map((g) => [
              <tr key={`g-${g.name}`} className="meta-group">
                <th colSpan={2} scope="colgroup">
                  {g.name}
                </th>
              </tr>,
              ...g.entries.map((e, i) => (
                <tr key={`${g.name}-${i}`} data-testid="metadata-row">
                  <th scope="row">{e.key}</th>
                  <td title={e.value}>{e.value}</td>
                </tr>
              )),
            ])}
          </tbody>
        </table>
        {meta && total === 0 && <p className="muted dock-empty">{q ? 'Nothing matches.' : 'No header entries.'}</p>}
      </div>
    </div>
  );
}
