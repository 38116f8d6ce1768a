/**
 * Study browser: the open scan's facts, a path field (a path on the engine's machine; the native
 * dialog in Electron), drag and drop (anywhere on the window: uploaded in server mode, by path in
 * Electron), the recent files and the demo.
 */
import { memo, useId, useState, type FormEvent } from 'react';
import type { ScanInfo } from '../../src/contract/schemas';
import type { Notice as NoticeT } from '../state/app-state';
import { Notice } from './Notice';

export interface ScanPanelProps {
  scan: ScanInfo | null;
  opening: boolean;
  busyText: string | null;
  notices: NoticeT[];
  recent: string[];
  canBrowse: boolean;
  canDrop: boolean;
  onOpen(path: string): void;
  onBrowse(): void;
  onOpenDemo: (() => void) | null;
  onClearRecent(): void;
  onDismiss(): void;
}

const FORMAT_LABEL: Record<ScanInfo['format'], string> = {
  fastmri: 'fastMRI HDF5',
  ismrmrd: 'ISMRMRD',
  dicom: 'DICOM',
  nifti: 'NIfTI',
};

export const ScanPanel = memo(function ScanPanel(p: ScanPanelProps) {
  const { scan, opening } = p;
  const [path, setPath] = useState('');
  const pathId = useId();
  const hintId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = path.trim();
    if (t) p.onOpen(t);
  };
  return (
    <section className="panel" aria-labelledby={`${pathId}-h`}>
      <div className="panel-head">
        <h2 id={`${pathId}-h`}>Study</h2>
        {p.onOpenDemo && (
          <button type="button" className="small" onClick={p.onOpenDemo} disabled={opening} data-testid="open-demo">
            Demo scan
          </button>
        )}
      </div>
      {scan ? (
        <dl className="facts" data-testid="scan-facts">
          <dt>File</dt>
          <dd className="facts-name" title={scan.path}>
            {scan.name}
          </dd>
          <dt>Format</dt>
          <dd data-testid="scan-format">{FORMAT_LABEL[scan.format] ?? scan.format}</dd>
          <dt>Size</dt>
          <dd title="k-space columns (phase encode) × rows (readout); image width × height">
            k {scan.kspaceShape[1]}×{scan.kspaceShape[0]} · img {scan.imageShape[1]}×{scan.imageShape[0]}
          </dd>
          <dt>Coils</dt>
          <dd>{scan.coils}</dd>
          <dt>Slices</dt>
          <dd>{scan.slices}</dd>
          <dt>Reference</dt>
          <dd>{scan.hasTarget ? scan.targetKey : 'fully sampled RSS'}</dd>
        </dl>
      ) : (
        <p className="muted">{opening ? 'Opening…' : 'No scan open.'}</p>
      )}
      <form className="open-form" onSubmit={submit}>
        <label htmlFor={pathId}>Open file or folder</label>
        <div className="row">
          <input
            id={pathId}
            data-testid="open-path"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="/path/to/scan.h5 or DICOM folder"
            aria-describedby={hintId}
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
          {p.canBrowse && (
            <button type="button" onClick={p.onBrowse} disabled={opening} data-testid="browse-button">
              Browse…
            </button>
          )}
          <button type="submit" data-testid="open-button" disabled={opening || path.trim() === ''}>
            {opening ? 'Opening…' : 'Open'}
          </button>
        </div>
        <p id={hintId} className="hint">
          fastMRI / ISMRMRD HDF5, DICOM file or folder, NIfTI — a path on the engine&apos;s machine
          {p.canDrop ? '; or drop a file anywhere on the window.' : '.'}
        </p>
      </form>
      {p.busyText && (
        <p className="muted busy" aria-live="polite" data-testid="busy">
          {p.busyText}
        </p>
      )}
      <Notice notice={p.notices.find((n) => n.area === 'open')} onDismiss={p.onDismiss} />
      {p.recent.length > 0 && (
        <div className="recent">
          <div className="panel-head">
            <h3>Recent</h3>
            <button type="button" className="link-button small-text" onClick={p.onClearRecent}>
              clear
            </button>
          </div>
          <ul data-testid="recent-list">
            {p.recent.map((r) => (
              <li key={r}>
                <button
                  type="button"
                  className="link-button recent-item"
                  title={r}
                  onClick={() => p.onOpen(r)}
                  disabled={opening}
                >
                  {r.split(/[\\/]/).filter(Boolean).pop() ?? r}
                  <span className="recent-dir">{r}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
});
