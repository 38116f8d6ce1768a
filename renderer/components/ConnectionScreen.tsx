import type { AppState } from '../state/app-state';

/** Shown until the engine answers, or instead of the workstation when it cannot be reached. */
export function ConnectionScreen({ state }: { state: AppState['connection'] }) {
  return (
    <div className="connection-screen">
      <div className="connection-card">
        <h1>MRI Reconstruction Workstation</h1>
        {state.status === 'failed' ? (
          <>
            <div className="notice notice-error" role="alert" data-testid="error-message">
              <strong>Cannot connect to the engine.</strong>
              <p>{state.message}</p>
            </div>
            <p className="hint">
              In server mode, start the engine with <code>mri-recon serve</code> and open the exact address it prints (it carries
              the launch token). Reload this page to try again.
            </p>
          </>
        ) : (
          <p className="muted" aria-live="polite">
            Connecting to the engine…
          </p>
        )}
      </div>
    </div>
  );
}
