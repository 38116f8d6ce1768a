/**
 * The workstation: connects to the engine (Electron IPC or the server's WebSocket), opens the last
 * scan (the demo on first launch) and wires the panels to the app state. Job events come in through
 * transport.onEvent and are matched to the running job by id in the reducer.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { connect, type Connection } from '../api/connect';
import type { AnyEvent } from '../../src/contract/schemas';
import { initialState, reducer } from '../state/app-state';
import { EngineContext, errorText } from '../state/engine-context';
import { loadLastScan, saveLastScan, type OpenParams } from '../state/last-scan';
import { validateMaskForm } from '../state/mask-form';
import { initImageLoader } from '../viewer/loader';
import { ViewLink } from '../viewer/link';
import { CompareView } from '../viewer/CompareView';
import { Header } from './Header';
import { HistoryList } from './HistoryList';
import { MaskPanel } from './MaskPanel';
import { MetricsTable } from './MetricsTable';
import { ReconPanel } from './ReconPanel';
import { ScanPanel } from './ScanPanel';
import { ConnectionScreen } from './ConnectionScreen';

export function App() {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [conn, setConn] = useState<Connection | null>(null);
  const link = useMemo(() => new ViewLink(), []);
  const stateRef = useRef(state);
  stateRef.current = state;

  const openScan = useCallback(
    async (c: Connection, params: OpenParams): Promise<boolean> => {
      dispatch({ type: 'openStarted' });
      try {
        const scan = await c.api['scan.open'](params);
        if (stateRef.current.scan?.scanId !== scan.scanId) link.forgetWindows();
        dispatch({ type: 'opened', scan });
        saveLastScan(params);
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
    [link],
  );

  // connect, read engine.info, open the last (or the demo) scan
  useEffect(() => {
    let live = true;
    let unsubscribe: (() => void) | null = null;
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
      unsubscribe = c.transport.onEvent((ev: AnyEvent) => {
        const now = Date.now();
        if (ev.event === 'job.progress') dispatch({ type: 'jobProgress', payload: ev.payload, now });
        else if (ev.event === 'job.result') dispatch({ type: 'jobResult', payload: ev.payload });
        else if (ev.event === 'job.error') dispatch({ type: 'jobError', payload: ev.payload });
      });
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
      unsubscribe?.();
    };
  }, [openScan]);

  // 'r' resets the view anywhere outside a text field
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if ((e.key === 'r' || e.key === 'R') && !e.ctrlKey && !e.metaKey && !e.altKey) link.reset();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [link]);

  const maskCheck = useMemo(() => validateMaskForm(state.maskForm, state.info?.maskTypes), [state.maskForm, state.info]);

  const run = useCallback(async () => {
    const s = stateRef.current;
    if (!conn || !s.scan || s.job || !maskCheck.ok) return;
    dispatch({ type: 'runRequested', method: s.method, now: Date.now() });
    try {
      const { jobId } = await conn.api['recon.start']({
        scanId: s.scan.scanId,
        mask: maskCheck.spec,
        method: { method: s.method },
      });
      dispatch({ type: 'runStarted', jobId });
    } catch (e) {
      dispatch({ type: 'runFailed', message: `Could not start the reconstruction: ${errorText(e)}` });
    }
  }, [conn, maskCheck]);

  const cancel = useCallback(async () => {
    const job = stateRef.current.job;
    if (!conn || !job?.jobId || job.cancelling) return;
    dispatch({ type: 'cancelRequested' });
    try {
      const { cancelled } = await conn.api['job.cancel']({ jobId: job.jobId });
      dispatch({ type: 'cancelAnswered', cancelled });
    } catch {
      // the job is gone (finished and pruned): its result or error event already settled the UI
      dispatch({ type: 'cancelAnswered', cancelled: false });
    }
  }, [conn]);

  const setSlice = useCallback((slice: number) => dispatch({ type: 'slice', slice }), []);
  const stepSlice = useCallback((d: number) => dispatch({ type: 'slice', slice: stateRef.current.slice + d }), []);

  if (state.connection.status !== 'ready' || !conn) return <ConnectionScreen state={state.connection} />;

  return (
    <EngineContext.Provider value={conn.api}>
      <div className="app">
        <Header info={state.info} transport={state.connection.transport} scan={state.scan} />
        <aside className="sidebar" aria-label="Controls">
          <ScanPanel
            scan={state.scan}
            opening={state.opening}
            notices={state.notices}
            onOpen={(path) => void openScan(conn, { path })}
            onOpenDemo={state.info?.demoAvailable ? () => void openScan(conn, { demo: true }) : null}
          />
          <MaskPanel
            form={state.maskForm}
            check={maskCheck}
            maskTypes={state.info?.maskTypes ?? []}
            scan={state.scan}
            slice={state.slice}
            onField={(field, value) => dispatch({ type: 'maskField', field, value })}
          />
          <ReconPanel
            methods={state.info?.methods ?? []}
            method={state.method}
            onMethod={(method) => dispatch({ type: 'method', method })}
            canRun={!!state.scan && maskCheck.ok && !state.job && !state.opening}
            job={state.job}
            notices={state.notices}
            onRun={() => void run()}
            onCancel={() => void cancel()}
            onDismiss={(area) => dispatch({ type: 'dismiss', area })}
          />
        </aside>
        <main className="workspace">
          <CompareView
            scan={state.scan}
            result={state.result}
            slice={state.slice}
            link={link}
            onSlice={setSlice}
            onSliceStep={stepSlice}
          />
          <div className="bottom">
            <MetricsTable result={state.result} slice={state.slice} onSlice={setSlice} />
            <HistoryList
              history={state.history}
              current={state.result?.resultId ?? null}
              onSelect={(resultId) => dispatch({ type: 'selectResult', resultId })}
            />
          </div>
        </main>
      </div>
    </EngineContext.Provider>
  );
}
