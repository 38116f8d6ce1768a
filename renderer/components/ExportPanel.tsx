/**
 * Export: chosen results → recon.export (DICOM / NIfTI / PNG / HDF5) into a folder on the engine's
 * machine, listing the files written; and the one-page comparison figure (PNG, composed here).
 */
import { useId, useState } from 'react';
import type { ReconSummary, ScanInfo } from '../../src/contract/schemas';
import { appBridge } from '../api/app-bridge';
import { errorText, useEngine } from '../state/engine-context';

type Format = 'dicom' | 'nifti' | 'png' | 'h5';
const FORMATS: [Format, string][] = [
  ['dicom', 'DICOM series'],
  ['nifti', 'NIfTI (.nii)'],
  ['png', 'PNG per slice'],
  ['h5', 'HDF5 (fastMRI)'],
];

/** `<engine's export folder>/<scan name>-recon`: a writable place on the engine's machine, never the data's own folder. */
export function defaultExportDir(scan: ScanInfo | null, base: string | undefined): string {
  if (!scan || !base) return '';
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  return `${base}${base.endsWith(sep) ? '' : sep}${scan.name.replace(/\.[^.]+$/, '')}-recon`;
}

export function ExportPanel({
  scan,
  exportBase,
  results,
  label,
  onFigure,
}: {
  scan: ScanInfo | null;
  /** the engine's default export folder (engine.info) */
  exportBase: string | undefined;
  results: ReconSummary[];
  label(r: ReconSummary): string;
  onFigure(): Promise<void>;
}) {
  const api = useEngine();
  const id = useId();
  const bridge = appBridge();
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const [format, setFormat] = useState<Format>('dicom');
  const [dir, setDir] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [out, setOut] = useState<{ ok: true; files: string[] } | { ok: false; error: string } | null>(null);
  const [figureMsg, setFigureMsg] = useState<string | null>(null);
  const chosen = picked ?? new Set(results.map((r) => r.resultId));
  const directory = dir ?? defaultExportDir(scan, exportBase);
  const ids = results.filter((r) => chosen.has(r.resultId)).map((r) => r.resultId);
  const run = async () => {
    setBusy(true);
    setOut(null);
    try {
      const r = await api['recon.export']({ resultIds: ids, format, directory: directory.trim() });
      setOut({ ok: true, files: r.files });
    } catch (e) {
      setOut({ ok: false, error: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="export" data-testid="export-panel">
      <div className="export-form">
        <fieldset>
          <legend>Results</legend>
          {results.length === 0 && <p className="muted">No results yet.</p>}
          {results.map((r) => (
            <label key={r.resultId} className="check">
              <input
                type="checkbox"
                checked={chosen.has(r.resultId)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(r.resultId);
                  else next.delete(r.resultId);
                  setPicked(next);
                }}
                data-testid={`export-pick-${r.method.method}`}
              />
              {label(r)}
            </label>
          ))}
        </fieldset>
        <div className="export-opts">
          <div className="row">
            <div className="field">
              <label htmlFor={`${id}-fmt`}>Format</label>
              <select
                id={`${id}-fmt`}
                value={format}
                onChange={(e) => setFormat(e.target.value as Format)}
                data-testid="export-format"
              >
                {FORMATS.map(([f, l]) => (
                  <option key={f} value={f}>
                    {l}
                  </option>
                ))}
              </select>
            </div>
            <div className="field grow">
              <label htmlFor={`${id}-dir`}>Folder (on the engine&apos;s machine)</label>
              <input
                id={`${id}-dir`}
                type="text"
                spellCheck={false}
                value={directory}
                onChange={(e) => setDir(e.target.value)}
                data-testid="export-dir"
              />
            </div>
            {bridge && (
              <button
                type="button"
                onClick={() => void bridge.chooseDirectory().then((d) => d && setDir(d))}
                data-testid="export-choose"
              >
                Choose…
              </button>
            )}
          </div>
          <div className="row">
            <button
              type="button"
              className="primary"
              onClick={() => void run()}
              disabled={busy || ids.length === 0 || !directory.trim()}
              data-testid="export-run"
            >
              {busy ? 'Exporting…' : `Export ${ids.length} result${ids.length === 1 ? '' : 's'}`}
            </button>
            <button
              type="button"
              onClick={() =>
                void onFigure().then(
                  () => setFigureMsg('Figure downloaded (comparison PNG).'),
                  (e: unknown) => setFigureMsg(`Could not make the figure: ${errorText(e)}`),
                )
              }
              disabled={!scan}
              data-testid="export-figure"
              title="One-page PNG: the panes as shown, the mask and the metrics"
            >
              Comparison figure (PNG)
            </button>
            {figureMsg && (
              <span className="muted" role="status">
                {figureMsg}
              </span>
            )}
          </div>
        </div>
      </div>
      <div className="export-out" aria-live="polite">
        {out?.ok === false && (
          <div className="notice notice-error" role="alert" data-testid="error-message" data-area="export">
            Export failed: {out.error}
          </div>
        )}
        {out?.ok && (
          <>
            <p className="muted">
              {out.files.length} file{out.files.length === 1 ? '' : 's'} written:
            </p>
            <ul className="file-list" data-testid="export-files">
              {out.files.slice(0, 200).map((f) => (
                <li key={f}>{f}</li>
              ))}
              {out.files.length > 200 && <li>… and {out.files.length - 200} more</li>}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
