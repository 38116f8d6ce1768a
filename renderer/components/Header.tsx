import type { ScanInfo } from '../../src/contract/schemas';
import type { EngineInfo } from '../state/app-state';

export function Header({
  info,
  transport,
  scan,
  lost,
  active,
}: {
  info: EngineInfo | null;
  transport: string | null;
  scan: ScanInfo | null;
  lost: boolean;
  active: number;
}) {
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">MRI Recon</span>
        <span className="brand-sub">workstation</span>
      </div>
      <div className="topbar-scan" aria-live="polite">
        {scan ? (
          <>
            <span className="topbar-scan-name">{scan.name}</span>
            <span className="muted">
              {scan.format} · {scan.slices} slices · {scan.coils} coils · {scan.imageShape[1]}×{scan.imageShape[0]}
            </span>
          </>
        ) : (
          <span className="muted">No scan open</span>
        )}
      </div>
      {active > 0 && (
        <span className="topbar-jobs" data-testid="active-jobs">
          {active} job{active === 1 ? '' : 's'} running
        </span>
      )}
      {lost ? (
        <div className="topbar-engine lost" role="alert" data-testid="connection-lost">
          <span className="dot dot-bad" aria-hidden="true" />
          Connection to the engine lost — reload the page
        </div>
      ) : (
        <div className="topbar-engine" title={info ? `${info.backend}` : undefined}>
          <span className={`dot ${info ? 'dot-ok' : ''}`} aria-hidden="true" />
          {info ? (
            <span>
              engine {info.version} · {info.threads} threads · {transport === 'electron' ? 'IPC' : 'WebSocket'}
            </span>
          ) : (
            <span>engine —</span>
          )}
        </div>
      )}
    </header>
  );
}
