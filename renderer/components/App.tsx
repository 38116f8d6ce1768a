/**
 * The workstation: connects to the engine (Electron IPC or the server's WebSocket), opens the last
 * scan (the demo on first launch) and wires the panels to the app state. Job events come in through
 * transport.onEvent and are matched to our jobs by id in the reducer. Global shortcuts live here.
 */
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { appBridge } from '../api/app-bridge';
import { connect, type Connection } from '../api/connect';
import type { AnyEvent, ReconMethodName, ReconSummary } from '../../src/contract/schemas';
import { initialState, isActive, paneResults, reducer, type JobRequest, type NoticeArea } from '../state/app-state';
import { downloadBlob } from '../state/download';
import { EngineContext, errorText } from '../state/engine-context';
import { methodLabel } from '../state/format';
import { clearRecent, loadLastScan, loadRecent, pushRecent, saveLastScan, type OpenParams } from '../state/last-scan';
import { validateMaskForm, type CustomMask, type MaskField } from '../state/mask-form';
import { specLabel, validateMethod } from '../state/method-form';
import { AnnotationStore } from '../viewer/annotations';
import { CompareView } from '../viewer/CompareView';
import { composeFigure } from '../viewer/figure';
import { imageIdOf } from '../viewer/image-ids';
import { ViewLink } from '../viewer/link';
import { initImageLoader } from '../viewer/loader';
import { SliceStore } from '../viewer/slice-store';
import { Analysis, type PaneSource } from './Analysis';
import { ConnectionScreen } from './ConnectionScreen';
import { ExportPanel } from './ExportPanel';
import { Header } from './Header';
import { HelpOverlay } from './HelpOverlay';
import { MaskPanel } from './MaskPanel';
import { MetadataBrowser } from './MetadataBrowser';
import { MethodsPanel } from './MethodsPanel';
import { MetricsTable } from './MetricsTable';
import { methodColor, Plots } from './Plots';
import { ScanPanel } from './ScanPanel';
import { TrainingDashboard } from './training/TrainingDashboard';

type Tab = 'metrics' | 'plots' | 'analysis' | 'header' | 'export' | 'training';
const TABS: [Tab, string][] = [
  ['metrics', 'Metrics'],
  ['plots', 'Plots'],
  ['analysis', 'Profile & ROI'],
  ['header', 'Header / tags'],
  ['export', 'Export'],
  ['training', 'Training'],
];

// memoised here so that scrolling (which re-renders App) skips them while their props stand still
const HeaderM = memo(Header);
const MetricsTableM = memo(MetricsTable);
const PlotsM = memo(Plots);

/**
 * `value`, once it has stood still for `ms`: what panels beside the viewer (mask preview, metrics,
 * plots, profile/ROI) show for the slice. Scrolling moves the panes every frame; those panels catch up
 * when the user stops, instead of re-rendering (and refetching) on every step.
 */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, settled, ms]);
  return settled;
}
const SETTLE_MS = 150;

const NO_METHODS: never[] = [];
const NO_TYPES: never[] = [];
let seq = 0;
const nextKey = () => `j${Date.now().toString(36)}-${(seq++).toString(36)}`;

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return type !== 'checkbox' && type !== 'radio' && type !== 'button' && type !== 'range';
}

export function App() {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [conn, setConn] = useState<Connection | null>(null);
  const [recent, setRecent] = useState<string[]>(() => loadRecent());
  const [busy, setBusy] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [maximized, setMaximized] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('metrics');
  const [dragging, setDragging] = useState(false);
  const link = useMemo(() => new ViewLink(), []);
  const slices = useMemo(() => new SliceStore(), []);
  const settledSlice = useSettled(state.slice, SETTLE_MS);
  const notes = useMemo(() => new AnnotationStore(), []);
  const maskCanvas = useRef<HTMLCanvasElement>(null);
  const panesRoot = useRef<HTMLDivElement>(null);
  const stateRef = useRef(state);
  stateRef.current = state;

  const openScan = useCallback(
    async (c: Connection, params: OpenParams): Promise<boolean> => {
      dispatch({ type: 'openStarted' });
      try {
        const scan = await c.api['scan.open'](params);
        if (stateRef.current.scan?.scanId !== scan.scanId) {
          link.forgetWindows();
          notes.clearMeasurements();
        }
        dispatch({ type: 'opened', scan });
        saveLastScan(params);
        if ('path' in params) setRecent((r) => pushRecent(r, params.path));
        return true;
      } catch (e) {
        const why = errorText(e);
        const what = 'demo' in params ? 'the demo scan' : params.path;
        // engine messages usually name the file already
        const message =
          'path' in params && why.includes(params.path) ? `Could not open the file: ${why}` : `Could not open ${what}: ${why}`;
        dispatch({ type: 'openFailed', message });
        return false;
      }
    },
    [link, notes],
  );

  // connect, read engine.info, open the last (or the demo) scan
  useEffect(() => {
    let live = true;
    const offs: (() => void)[] = [];
    (async () => {
      let c: Connection;
      try {
        c = await connect();
      } catch (e) {
        if (live) dispatch({ type: 'connectFailed', message: errorText(e) });
        return;
      }
      if (!live) return;
      initImageLoader(c.api);
      offs.push(
        c.transport.onEvent((ev: AnyEvent) => {
          const now = Date.now();
          if (ev.event === 'job.progress') dispatch({ type: 'jobProgress', payload: ev.payload, now });
          else if (ev.event === 'job.result') dispatch({ type: 'jobResult', payload: ev.payload });
          else if (ev.event === 'job.error') dispatch({ type: 'jobError', payload: ev.payload });
        }),
      );
      if (c.transport.onClose) offs.push(c.transport.onClose(() => dispatch({ type: 'connectionLost' })));
      try {
        const info = await c.api['engine.info']({});
        if (!live) return;
        setConn(c);
        dispatch({ type: 'connected', info, transport: c.transport.kind });
        const last = loadLastScan();
        if (last && 'path' in last) {
          if (await openScan(c, last)) return;
        }
        if (info.demoAvailable) await openScan(c, { demo: true });
      } catch (e) {
        if (live) dispatch({ type: 'connectFailed', message: `The engine did not answer: ${errorText(e)}` });
      }
    })();
    return () => {
      live = false;
      offs.forEach((f) => f());
    };
  }, [openScan]);

  const maskCheck = useMemo(
    () => validateMaskForm(state.maskForm, state.info?.maskTypes, state.customMask),
    [state.maskForm, state.info, state.customMask],
  );
  const descOf = useCallback((m: string) => stateRef.current.info?.methodInfo.find((d) => d.method === m), []);
  const label = useCallback((r: ReconSummary) => specLabel(descOf(r.method.method), r.method), [descOf]);

  const startJobs = useCallback(
    async (reqs: JobRequest[], sweep?: { id: string; method: ReconMethodName; lambdas: number[] }) => {
      const s = stateRef.current;
      if (!conn || !s.scan || !maskCheck.ok || reqs.length === 0) return;
      dispatch({
        type: 'runRequested',
        jobs: reqs,
        now: Date.now(),
        sweep: sweep ? { ...sweep, scanId: s.scan.scanId } : undefined,
      });
      await Promise.all(
        reqs.map(async (r) => {
          try {
            const { jobId } = await conn.api['recon.start']({ scanId: s.scan!.scanId, mask: maskCheck.spec, method: r.method });
            dispatch({ type: 'runStarted', key: r.key, jobId });
          } catch (e) {
            dispatch({ type: 'runFailed', key: r.key, message: `Could not start ${r.label}: ${errorText(e)}` });
          }
        }),
      );
    },
    [conn, maskCheck],
  );

  const run = useCallback(
    (methods: readonly ReconMethodName[]) => {
      const s = stateRef.current;
      const reqs: JobRequest[] = [];
      for (const m of methods) {
        const desc = s.info?.methodInfo.find((d) => d.method === m);
        if (!desc) continue;
        const c = validateMethod(desc, s.methodForms[m]);
        if (c.ok) reqs.push({ key: nextKey(), method: c.spec, label: specLabel(desc, c.spec) });
      }
      void startJobs(reqs);
    },
    [startJobs],
  );

  const sweep = useCallback(
    (method: ReconMethodName, lambdas: number[]) => {
      const s = stateRef.current;
      const desc = s.info?.methodInfo.find((d) => d.method === method);
      if (!desc) return;
      const c = validateMethod(desc, s.methodForms[method]);
      if (!c.ok) return;
      const id = nextKey();
      const reqs = lambdas.map((lambda) => {
        const spec = { ...c.spec, lambda };
        return { key: nextKey(), method: spec, label: `${specLabel(desc, spec)} (sweep)`, sweepId: id };
      });
      void startJobs(reqs, { id, method, lambdas });
      setTab('plots');
    },
    [startJobs],
  );

  const cancel = useCallback(
    async (key: string) => {
      const job = stateRef.current.jobs.find((j) => j.key === key);
      if (!conn || !job?.jobId || job.cancelling || !isActive(job)) return;
      dispatch({ type: 'cancelRequested', key });
      try {
        const { cancelled } = await conn.api['job.cancel']({ jobId: job.jobId });
        dispatch({ type: 'cancelAnswered', key, cancelled });
      } catch {
        // the job is gone (finished and pruned): its result or error event already settled the UI
        dispatch({ type: 'cancelAnswered', key, cancelled: false });
      }
    },
    [conn],
  );
  const cancelAll = useCallback(() => {
    for (const j of stateRef.current.jobs) if (isActive(j)) void cancel(j.key);
  }, [cancel]);

  const setSlice = useCallback((slice: number) => dispatch({ type: 'slice', slice }), []);
  const stepSlice = useCallback((d: number) => dispatch({ type: 'slice', slice: stateRef.current.slice + d }), []);

  // drag and drop: upload in server mode, the file's path in Electron
  const openDropped = useCallback(
    async (files: File[]) => {
      if (!conn || files.length === 0) return;
      const file = files[0];
      const bridge = appBridge();
      if (bridge) {
        // several files dropped at once are a series: open their folder
        const path = bridge.pathForFile(file);
        const folder = files.length > 1 ? path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))) : path;
        if (folder) void openScan(conn, { path: folder });
        return;
      }
      if (!stateRef.current.info?.uploads) {
        dispatch({ type: 'openFailed', message: 'This engine does not accept uploads: type the file’s path instead.' });
        return;
      }
      const total = files.reduce((a, f) => a + f.size, 0);
      setBusy(`Uploading ${files.length > 1 ? `${files.length} files` : file.name} (${(total / 2 ** 20).toFixed(1)} MB)…`);
      try {
        const token = new URLSearchParams(window.location.search).get('token') ?? '';
        // several files share one upload folder on the engine's side, which then opens as a series
        const batch = files.length > 1 ? `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}` : null;
        let opened: { path?: string; folder?: string } = {};
        for (const f of files) {
          const res = await fetch(`/upload?name=${encodeURIComponent(f.name)}${batch ? `&batch=${batch}` : ''}`, {
            method: 'POST',
            headers: { 'X-Token': token },
            body: f,
          });
          const body = (await res.json().catch(() => ({}))) as { path?: string; folder?: string; error?: string };
          if (!res.ok || !body.path) throw new Error(body.error ?? `upload failed (HTTP ${res.status})`);
          opened = body;
        }
        setBusy(null);
        await openScan(conn, { path: batch ? opened.folder! : opened.path! });
      } catch (e) {
        setBusy(null);
        dispatch({ type: 'openFailed', message: `Could not upload ${file.name}: ${errorText(e)}` });
      }
    },
    [conn, openScan],
  );

  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) void openDropped(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [openDropped]);

  const runAll = useCallback(() => {
    const s = stateRef.current;
    run(s.selectedMethods);
  }, [run]);

  // Electron menu commands
  useEffect(() => {
    const bridge = appBridge();
    if (!bridge || !conn) return;
    return bridge.onMenuCommand((cmd, arg) => {
      if (cmd === 'open-path' && arg) void openScan(conn, { path: arg });
      else if (cmd === 'open-demo') void openScan(conn, { demo: true });
      else if (cmd === 'run') runAll();
      else if (cmd === 'cancel') cancelAll();
      else if (cmd === 'reset-view') link.reset();
    });
  }, [conn, openScan, runAll, cancelAll, link]);

  const toggleFullscreen = useCallback(() => {
    setMaximized((cur) => {
      if (cur) return null;
      const fromFocus = (document.activeElement as HTMLElement | null)?.closest?.('figure.pane') as HTMLElement | null;
      const fromCursor = notes.getCursor()?.el.closest('figure.pane') as HTMLElement | null;
      const pane = fromFocus ?? fromCursor;
      const id = pane?.dataset.testid ?? '';
      if (id === 'pane-target') return 'target';
      const m = /^pane-(recon|error)-(.+)$/.exec(id);
      if (m) return `${m[1]}:${m[2]}`;
      const first = paneResults(stateRef.current)[0];
      return first ? `recon:${first.method.method}` : 'target';
    });
  }, [notes]);

  // global shortcuts (ignored while typing in a field, except Ctrl+Enter and Escape)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        runAll();
        return;
      }
      if (e.key === 'Escape') {
        if (help) setHelp(false);
        else if (maximized) setMaximized(null);
        else if (stateRef.current.jobs.some(isActive)) cancelAll();
        else return;
        e.preventDefault();
        return;
      }
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      const k = e.key;
      const step = { ArrowUp: -1, PageUp: -1, ArrowDown: 1, PageDown: 1 }[k];
      if (step !== undefined) {
        e.preventDefault();
        stepSlice(step);
      } else if (k === 'e' || k === 'E') dispatch({ type: 'toggleErrors' });
      else if (k === 'r' || k === 'R') link.reset();
      else if (k === 'f' || k === 'F') toggleFullscreen();
      else if (k === '?') setHelp((h) => !h);
      else if (k === 'm' || k === 'M') notes.setTools({ magnifier: !notes.getTools().magnifier });
      else if (k === 'w' || k === 'W') notes.setTools({ tool: 'wl' });
      else if (k === 'p' || k === 'P') notes.setTools({ tool: 'profile' });
      else if (k === 'o' || k === 'O') notes.setTools({ tool: 'roi' });
      else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [help, maximized, runAll, cancelAll, stepSlice, link, notes, toggleFullscreen]);

  const latest = useMemo(() => paneResults(state), [state.results, state.latest, state.info, state.scan]);
  const methods = state.info?.methods ?? [];
  const sources: PaneSource[] = useMemo(() => {
    if (!state.scan) return [];
    const out: PaneSource[] = [
      {
        label: state.scan.hasTarget ? 'Ground truth' : 'Reference',
        imageId: imageIdOf({ kind: 'scan', scanId: state.scan.scanId, slice: settledSlice, view: 'target' }),
        color: '#e8e8e8',
        kind: 'image',
      },
    ];
    for (const r of latest) {
      if (settledSlice >= r.slices) continue;
      out.push({
        label: methodLabel(r.method.method),
        imageId: imageIdOf({ kind: 'result', resultId: r.resultId, slice: settledSlice, view: 'recon' }),
        color: methodColor(methods, r.method.method) === '#e8e8e8' ? '#bbbbbb' : methodColor(methods, r.method.method),
        kind: 'image',
      });
    }
    for (const r of latest)
      if (r.perSlice && settledSlice < r.slices)
        out.push({
          label: `Error · ${methodLabel(r.method.method)}`,
          imageId: imageIdOf({ kind: 'result', resultId: r.resultId, slice: settledSlice, view: 'error' }),
          color: '#ff6b3d',
          kind: 'error',
        });
    return out;
  }, [state.scan, settledSlice, latest, methods]);

  const figure = useCallback(async () => {
    const s = stateRef.current;
    if (!s.scan || !panesRoot.current) throw new Error('no scan open');
    const spec = maskCheck.ok ? maskCheck.spec : null;
    const c = composeFigure({
      root: panesRoot.current,
      scan: s.scan,
      slice: s.slice,
      results: paneResults(s),
      label,
      maskCanvas: maskCanvas.current,
      maskText: spec ? `mask ${spec.type} · R ${spec.acceleration}× · centre ${spec.centerFraction}` : 'mask —',
    });
    const blob = await new Promise<Blob | null>((res) => c.toBlob(res, 'image/png'));
    if (!blob) throw new Error('the canvas could not be encoded');
    downloadBlob(blob, `${s.scan.name.replace(/\.[^.]+$/, '')}-slice${s.slice + 1}-comparison.png`);
  }, [maskCheck, label]);

  // stable handlers, so the memoised panels skip re-rendering while the user scrolls slices
  const h = useMemo(
    () => ({
      open: (path: string) => conn && void openScan(conn, { path }),
      browse: () =>
        conn &&
        void appBridge()
          ?.openFileDialog()
          .then((p) => {
            if (p) void openScan(conn, { path: p });
          }),
      demo: () => conn && void openScan(conn, { demo: true }),
      clearRecent: () => {
        clearRecent();
        setRecent([]);
      },
      dismissOpen: () => dispatch({ type: 'dismiss', area: 'open' }),
      maskField: (field: MaskField, value: string) => dispatch({ type: 'maskField', field, value }),
      custom: (mask: CustomMask | null) => dispatch({ type: 'customMask', mask }),
      maskError: (text: string) => dispatch({ type: 'notice', notice: { kind: 'error', area: 'mask', text } }),
      dismissMask: () => dispatch({ type: 'dismiss', area: 'mask' }),
      methodField: (method: ReconMethodName, param: string, value: string) =>
        dispatch({ type: 'methodField', method, param, value }),
      toggle: (method: ReconMethodName, on: boolean) => dispatch({ type: 'toggleMethod', method, on }),
      cancel: (key: string) => void cancel(key),
      clearFinished: () => dispatch({ type: 'clearFinished' }),
      dismiss: (area: NoticeArea) => dispatch({ type: 'dismiss', area }),
      toggleErrors: () => dispatch({ type: 'toggleErrors' }),
      help: () => setHelp(true),
    }),
    [conn, openScan, cancel],
  );

  if (state.connection.status !== 'ready' || !conn) return <ConnectionScreen state={state.connection} />;
  const active = state.jobs.filter(isActive).length;
  const canRun = !!state.scan && maskCheck.ok && !state.opening && !state.connectionLost;

  return (
    <EngineContext.Provider value={conn.api}>
      <div className="app">
        <HeaderM
          info={state.info}
          transport={state.connection.transport}
          scan={state.scan}
          lost={state.connectionLost}
          active={active}
        />
        <aside className="sidebar" aria-label="Controls">
          <ScanPanel
            scan={state.scan}
            opening={state.opening}
            busyText={busy}
            notices={state.notices}
            recent={recent}
            canBrowse={!!appBridge()}
            canDrop={!!appBridge() || !!state.info?.uploads}
            onOpen={h.open}
            onBrowse={h.browse}
            onOpenDemo={state.info?.demoAvailable ? h.demo : null}
            onClearRecent={h.clearRecent}
            onDismiss={h.dismissOpen}
          />
          <MaskPanel
            form={state.maskForm}
            check={maskCheck}
            maskTypes={state.info?.maskTypes ?? NO_TYPES}
            scan={state.scan}
            slice={settledSlice}
            custom={state.customMask}
            notices={state.notices}
            onField={h.maskField}
            onCustom={h.custom}
            onError={h.maskError}
            onDismiss={h.dismissMask}
            canvasRef={maskCanvas}
          />
          <MethodsPanel
            methodInfo={state.info?.methodInfo ?? NO_METHODS}
            forms={state.methodForms}
            selected={state.selectedMethods}
            canRun={canRun}
            jobs={state.jobs}
            notices={state.notices}
            onField={h.methodField}
            onToggle={h.toggle}
            onRun={run}
            onSweep={sweep}
            onCancel={h.cancel}
            onCancelAll={cancelAll}
            onClearFinished={h.clearFinished}
            onDismiss={h.dismiss}
          />
        </aside>
        <main className="workspace">
          <div className="compare-wrap" ref={panesRoot}>
            <CompareView
              scan={state.scan}
              results={latest}
              slice={state.slice}
              slices={slices}
              link={link}
              notes={notes}
              showErrors={state.showErrors}
              maximized={maximized}
              onMaximize={setMaximized}
              onToggleErrors={h.toggleErrors}
              onSlice={setSlice}
              onSliceStep={stepSlice}
              onHelp={h.help}
            />
          </div>
          <section
            className={`dock ${maximized ? 'dock-min' : ''} ${tab === 'training' ? 'dock-tall' : ''}`}
            aria-label="Numbers and tools"
          >
            <div className="tabs" role="tablist" aria-label="Dock">
              {TABS.map(([t, l]) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  id={`tab-${t}`}
                  aria-selected={tab === t}
                  aria-controls={`tabpanel-${t}`}
                  className={tab === t ? 'on' : undefined}
                  onClick={() => setTab(t)}
                  data-testid={`tab-${t}`}
                >
                  {l}
                </button>
              ))}
            </div>
            <div className="tabpanel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === 'metrics' && (
                <MetricsTableM
                  latest={latest}
                  all={state.results}
                  slice={settledSlice}
                  label={label}
                  scanName={state.scan?.name ?? 'scan'}
                  onSlice={setSlice}
                />
              )}
              {tab === 'plots' && (
                <PlotsM latest={latest} all={state.results} sweeps={state.sweeps} methods={methods} slice={settledSlice} />
              )}
              {tab === 'analysis' && <Analysis sources={sources} notes={notes} />}
              {tab === 'header' && <MetadataBrowser scan={state.scan} />}
              {tab === 'training' && conn && (
                <TrainingDashboard
                  api={conn.api}
                  transport={conn.transport}
                  initialData={state.scan?.path}
                  initialOut={state.info ? `${state.info.defaultExportDir}/runs/run-1` : undefined}
                  onUseModel={(run) => {
                    // a trained run becomes the U-Net's model for the next reconstruction
                    h.methodField('unet', 'model', run);
                    setTab('metrics');
                  }}
                />
              )}
              {tab === 'export' && (
                <ExportPanel
                  scan={state.scan}
                  exportBase={state.info?.defaultExportDir}
                  results={latest}
                  label={label}
                  onFigure={figure}
                />
              )}
            </div>
          </section>
        </main>
        {help && <HelpOverlay onClose={() => setHelp(false)} />}
        {dragging && (
          <div className="drop-overlay" aria-hidden="true">
            Drop a scan to open it
          </div>
        )}
      </div>
    </EngineContext.Provider>
  );
}
