import { useId, useState, type FormEvent } from 'react';
import type { ScanInfo } from '../../src/contract/schemas';
import type { Notice as NoticeT } from '../state/app-state';
import { Notice } from './Notice';

export interface ScanPanelProps {
  scan: ScanInfo | null;
  opening: boolean;
  notices: NoticeT[];
  onOpen(path: string): void;
  onOpenDemo: (() => void) | null;
}

/** Scan facts and the "Open file…" field (a path on the engine's machine in server mode). */
export function ScanPanel({ scan, opening, notices, onOpen, onOpenDemo }: ScanPanelProps) {
  const [path, setPath] = useState('');
  const pathId = useId();
  const hintId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = path.trim();
    if (p) onOpen(p);
  };
  return (
    <section className="panel" aria-labelledby={`${pathId}-h`}>
      <h2 id={`${pathId}-h`}>Scan</h2>
      {scan ? (
        <dl className="facts">
          <dt>File</dt>
          <dd className="facts-name" title={scan.path}>
            {scan.name}
          </dd>
          <dt>Slices</dt>
          <dd>{scan.slices}</dd>
          <dt>Coils</dt>
          <dd>{scan.coils}</dd>
          <dt>k-space</dt>
          <dd title="columns (phase encode) × rows (readout)">
            {scan.kspaceShape[1]} × {scan.kspaceShape[0]}
          </dd>
          <dt>Image</dt>
          <dd title="width × height">
            {scan.imageShape[1]} × {scan.imageShape[0]}
          </dd>
          <dt>Reference</dt>
          <dd>{scan.hasTarget ? scan.targetKey : 'fully sampled RSS'}</dd>
        </dl>
      ) : (
        <p className="muted">{opening ? 'Opening…' : 'No scan open.'}</p>
      )}
      <form className="open-form" onSubmit={submit}>
        <label htmlFor={pathId}>Open file…</label>
        <div className="row">
          <input
            id={pathId}
            data-testid="open-path"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="/path/to/scan.h5"
            aria-describedby={hintId}
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
          <button type="submit" data-testid="open-button" disabled={opening || path.trim() === ''}>
            {opening ? 'Opening…' : 'Open'}
          </button>
        </div>
        <p id={hintId} className="hint">
          fastMRI HDF5 file, as a path on the engine&apos;s machine.
          {onOpenDemo && (
            <>
              {' '}
              <button type="button" className="link-button" onClick={onOpenDemo} disabled={opening}>
                Open the demo scan
              </button>
            </>
          )}
        </p>
      </form>
      <Notice notice={notices.find((n) => n.area === 'open')} />
    </section>
  );
}
