/**
 * The compare grid: the ground truth and the latest result of every method side by side, with their
 * error maps underneath (toggle with 'e'), all linked (see link.ts): one slice slider (and the wheel on
 * any pane) moves all of them; zoom, pan and window/level are shared. Each pane can switch to its
 * k-space (or phase) and go full screen. The toolbar holds the measurement tools and window presets.
 */
import { useCallback, useId, useLayoutEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ReconSummary, ScanInfo } from '../../src/contract/schemas';
import { fmtPsnr, fmtSsim, methodLabel } from '../state/format';
import type { AnnotationStore, Tool } from './annotations';
import { imageIdOf, type ResultView, type ScanView } from './image-ids';
import { ImagePane, type PaneViewOption } from './ImagePane';
import type { ViewLink } from './link';
import { WINDOW_PRESETS, type WindowPreset } from './measure';
import type { SliceStore } from './slice-store';
import type { PaneRole } from './view-state';

export interface CompareViewProps {
  scan: ScanInfo | null;
  results: ReconSummary[];
  slice: number;
  /** where the panes read the slice from (this view publishes `slice` there) */
  slices: SliceStore;
  link: ViewLink;
  notes: AnnotationStore;
  showErrors: boolean;
  maximized: string | null;
  onMaximize(key: string | null): void;
  onToggleErrors(): void;
  onSlice(slice: number): void;
  onSliceStep(delta: number): void;
  onHelp(): void;
  /** set when a result's phase/k-space view was picked, for other views (export figure) */
  describe?: string;
}

const TARGET_VIEWS: PaneViewOption[] = [
  { id: 'target', label: 'Img', title: 'image' },
  { id: 'kspace', label: 'K', title: 'k-space (log magnitude)' },
];
const RESULT_VIEWS: PaneViewOption[] = [
  { id: 'recon', label: 'Img', title: 'image' },
  { id: 'kspace', label: 'K', title: 'k-space of the reconstruction' },
  { id: 'phase', label: 'Φ', title: 'phase (complex methods only)' },
];
// root-sum-of-squares and network outputs have no phase: no Φ button for them
const MAGNITUDE_VIEWS = RESULT_VIEWS.filter((v) => v.id !== 'phase');
const noImage = (): string | null => null;
const roleFor = (view: string): PaneRole =>
  view === 'kspace' ? 'kspace' : view === 'phase' ? 'phase' : view === 'error' ? 'error' : 'grey';

/**
 * Functions of the slice, one per key, kept across renders so the memoised panes skip re-rendering while
 * the slice changes (they follow it through the SliceStore). A key names everything its function reads.
 */
function useStableFns() {
  const fns = useRef(new Map<string, unknown>());
  return useCallback(<T,>(key: string, make: () => T): T => {
    let f = fns.current.get(key) as T | undefined;
    if (f === undefined) {
      if (fns.current.size > 256) fns.current.clear();
      f = make();
      fns.current.set(key, f);
    }
    return f;
  }, []);
}

export function CompareView(p: CompareViewProps) {
  const { scan, results, slice, slices, link, notes } = p;
  const id = useId();
  const [views, setViews] = useState<Record<string, string>>({});
  const [preset, setPreset] = useState<WindowPreset | ''>('');
  const tools = useSyncExternalStore(notes.subscribeTools, notes.getTools);
  const stable = useStableFns();
  const n = scan?.slices ?? 0;
  const sliceText = n ? `slice ${slice + 1}/${n}` : '';
  const withErrors = p.showErrors && results.some((r) => r.perSlice);
  const cols = Math.max(1, results.length) + 1;
  const setView = useCallback((key: string, v: string) => setViews((vs) => ({ ...vs, [key]: v })), []);
  const { maximized, onMaximize } = p;
  const toggle = useCallback((key: string) => onMaximize(maximized === key ? null : key), [maximized, onMaximize]);

  // the panes follow the slice through the store: publish before paint, in the same commit
  useLayoutEffect(() => slices.set(slice, n), [slices, slice, n]);

  const targetView = (views.target ?? 'target') as ScanView;
  const targetIdAt = scan
    ? stable(
        `scan|${scan.scanId}|${targetView}|${n}`,
        () => (s: number) =>
          s >= 0 && s < n ? imageIdOf({ kind: 'scan', scanId: scan.scanId, slice: s, view: targetView }) : null,
      )
    : noImage;
  const resultIdAt = (r: ReconSummary, view: ResultView) =>
    stable(
      `result|${r.resultId}|${view}|${r.slices}`,
      () => (s: number) => (s >= 0 && s < r.slices ? imageIdOf({ kind: 'result', resultId: r.resultId, slice: s, view }) : null),
    );
  const psnrAt = (r: ReconSummary) =>
    stable(`psnr|${r.resultId}`, () => (s: number): ReactNode => {
      const m = r.perSlice?.[s];
      return m ? (
        <>
          <span>PSNR {fmtPsnr(m.psnr)} dB</span>
          <span>SSIM {fmtSsim(m.ssim)}</span>
        </>
      ) : null;
    });
  const nmseAt = (r: ReconSummary) =>
    stable(`nmse|${r.resultId}`, () => (s: number): ReactNode => {
      const m = r.perSlice?.[s];
      return m ? <span>NMSE {m.nmse.toExponential(2)}</span> : null;
    });

  return (
    <section className="compare" aria-label="Compare view">
      <div className="viewer-toolbar" role="toolbar" aria-label="Viewer tools">
        <label htmlFor={`${id}-slice`}>Slice</label>
        <input
          id={`${id}-slice`}
          data-testid="slice-slider"
          type="range"
          min={0}
          max={Math.max(0, n - 1)}
          step={1}
          value={slice}
          disabled={n <= 1}
          aria-valuetext={sliceText}
          onChange={(e) => p.onSlice(Number(e.target.value))}
        />
        <output htmlFor={`${id}-slice`} className="slice-readout" data-testid="slice-readout">
          {n ? `${slice + 1} / ${n}` : '–'}
        </output>
        <span className="tb-sep" />
        <span className="seg" role="group" aria-label="Left-button tool">
          {(
            [
              ['wl', 'W/L', 'Window/level (left drag)'],
              ['profile', 'Profile', 'Line profile: drag a line on any pane'],
              ['roi', 'ROI', 'Rectangle ROI: drag a box on any pane'],
            ] as [Tool, string, string][]
          ).map(([t, label, title]) => (
            <button
              key={t}
              type="button"
              className={tools.tool === t ? 'on' : undefined}
              aria-pressed={tools.tool === t}
              title={title}
              data-testid={`tool-${t}`}
              onClick={() => notes.setTools({ tool: t })}
            >
              {label}
            </button>
          ))}
        </span>
        <button
          type="button"
          className={tools.magnifier ? 'on' : undefined}
          aria-pressed={tools.magnifier}
          title="Magnifier: a zoomed inset follows the cursor (M)"
          data-testid="tool-magnifier"
          onClick={() => notes.setTools({ magnifier: !tools.magnifier })}
        >
          Magnifier
        </button>
        {(tools.line || tools.roi) && (
          <button
            type="button"
            onClick={() => notes.clearMeasurements()}
            data-testid="clear-measurements"
            title="Remove the line and the ROI"
          >
            Clear
          </button>
        )}
        <span className="tb-sep" />
        <label htmlFor={`${id}-preset`}>Window</label>
        <select
          id={`${id}-preset`}
          className="tb-select"
          data-testid="window-preset"
          value={preset}
          onChange={(e) => {
            const v = e.target.value as WindowPreset;
            setPreset(v);
            link.applyPreset(v);
          }}
        >
          <option value="" disabled>
            preset…
          </option>
          {WINDOW_PRESETS.map((w) => (
            <option key={w.id} value={w.id} title={w.help}>
              {w.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className={p.showErrors ? 'on' : undefined}
          aria-pressed={p.showErrors}
          onClick={p.onToggleErrors}
          title="Show or hide the error maps (E)"
          data-testid="toggle-errors"
        >
          Error maps
        </button>
        <button
          type="button"
          onClick={() => {
            setPreset('');
            link.reset();
          }}
          title="Reset zoom, pan and window (R)"
          data-testid="reset-view"
        >
          Reset
        </button>
        <span className="tb-grow" />
        <button
          type="button"
          className="icon-button"
          onClick={p.onHelp}
          aria-label="Keyboard and mouse help (?)"
          title="Help (?)"
          data-testid="help-button"
        >
          ?
        </button>
      </div>
      <div
        className={`panes ${p.maximized ? 'has-max' : ''}`}
        style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, gridTemplateRows: withErrors ? '1fr 1fr' : '1fr' }}
        data-testid="panes"
      >
        <ImagePane
          paneKey="target"
          testId="pane-target"
          role={roleFor(targetView)}
          link={link}
          notes={notes}
          slices={slices}
          title={scan?.hasTarget ? 'Ground truth' : 'Reference'}
          subtitle={scan ? (scan.hasTarget ? (scan.targetKey ?? undefined) : 'fully sampled RSS') : undefined}
          idAt={targetIdAt}
          placeholder={scan ? '' : 'Open a scan'}
          onSliceStep={p.onSliceStep}
          views={TARGET_VIEWS}
          view={targetView}
          onView={setView}
          maximized={p.maximized === 'target'}
          hidden={p.maximized !== null && p.maximized !== 'target'}
          onToggleMax={toggle}
          className={withErrors ? 'span-rows' : undefined}
        />
        {results.length === 0 && (
          <div className="pane pane-empty" data-testid="pane-empty">
            <div className="pane-placeholder">{scan ? 'Run a reconstruction (Ctrl+Enter runs all methods)' : ''}</div>
          </div>
        )}
        {results.map((r) => {
          const key = `recon:${r.method.method}`;
          const v = (views[key] ?? 'recon') as ResultView;
          return (
            <ImagePane
              key={key}
              paneKey={key}
              testId={`pane-recon-${r.method.method}`}
              role={roleFor(v)}
              link={link}
              notes={notes}
              slices={slices}
              title={methodLabel(r.method.method)}
              subtitle={`${r.mask.type} · R ${r.mask.acceleration}×${r.method.lambda !== undefined ? ` · λ ${r.method.lambda}` : ''}`}
              idAt={resultIdAt(r, v)}
              placeholder=""
              topRightAt={psnrAt(r)}
              onSliceStep={p.onSliceStep}
              views={r.hasPhase ? RESULT_VIEWS : MAGNITUDE_VIEWS}
              view={v}
              onView={setView}
              maximized={p.maximized === key}
              hidden={p.maximized !== null && p.maximized !== key}
              onToggleMax={toggle}
            />
          );
        })}
        {withErrors &&
          results.map((r) => {
            const key = `error:${r.method.method}`;
            return (
              <ImagePane
                key={key}
                paneKey={key}
                testId={`pane-error-${r.method.method}`}
                role="error"
                link={link}
                notes={notes}
                slices={slices}
                title={`Error · ${methodLabel(r.method.method)}`}
                subtitle={`|${r.method.method} − reference|`}
                idAt={r.perSlice ? resultIdAt(r, 'error') : noImage}
                placeholder="No reference to compare with"
                topRightAt={nmseAt(r)}
                onSliceStep={p.onSliceStep}
                maximized={p.maximized === key}
                hidden={p.maximized !== null && p.maximized !== key}
                onToggleMax={toggle}
              />
            );
          })}
      </div>
    </section>
  );
}
