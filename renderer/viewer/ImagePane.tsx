/**
 * One cornerstone pane. The element is enabled on mount and disabled on unmount. The pane follows the
 * shared SliceStore imperatively: on a slice change it asks `idAt` for its image id, shows a cached
 * image at once through the linked viewport (or loads it through the 'mri' loader, cached and timed out,
 * dropping stale loads), and warms the neighbouring slices. None of that re-renders the pane: only the
 * overlays below (PaneOverlays) follow the slice and the shown image. Overlays are plain React on top,
 * with pointer events off: titles, metrics, window, the pixel value under the cursor, the shared
 * line/ROI, the magnifier and, for colour-mapped panes, a scale bar.
 */
import cornerstone from 'cornerstone-core';
import { memo, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { fmtValue, fmtWindow } from '../state/format';
import type { AnnotationStore } from './annotations';
import { attachInteractions } from './interaction';
import type { ViewLink } from './link';
import { loadMriImage, peekMriImage, prefetch, type MriImage } from './loader';
import { roiStats, valueAt } from './measure';
import { neighbourSlices, sliceText, type SliceSnapshot, type SliceStore } from './slice-store';
import { imageToCanvas, voiOf, type PaneRole } from './view-state';

export interface PaneViewOption {
  id: string;
  label: string;
  title: string;
}

export interface ImagePaneProps {
  /** identifies the pane to onView / onToggleMax */
  paneKey: string;
  testId: string;
  title: string;
  subtitle?: string;
  role: PaneRole;
  link: ViewLink;
  notes: AnnotationStore;
  slices: SliceStore;
  /** the image id at a slice (null: nothing there); keep it stable, a new function reloads the pane */
  idAt(slice: number): string | null;
  /** per-slice numbers for the top-right corner; keep it stable too */
  topRightAt?(slice: number): ReactNode;
  placeholder: string;
  onSliceStep(delta: number): void;
  views?: PaneViewOption[];
  view?: string;
  onView?(paneKey: string, view: string): void;
  maximized: boolean;
  hidden: boolean;
  onToggleMax(paneKey: string): void;
  className?: string;
}

type Status = { kind: 'empty' } | { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };
const EMPTY: Status = { kind: 'empty' };
const LOADING: Status = { kind: 'loading' };
const READY: Status = { kind: 'ready' };

/** The image a pane shows, for its overlays (changes with the slice, without re-rendering the pane). */
class ShownImage {
  private image: MriImage | null = null;
  private readonly listeners = new Set<() => void>();
  get = (): MriImage | null => this.image;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  set(image: MriImage | null): void {
    if (image === this.image) return;
    this.image = image;
    for (const l of [...this.listeners]) l();
  }
}

const paneLabel = (title: string, s: SliceSnapshot) =>
  `${title}, ${sliceText(s)}. Arrow keys change slice, plus and minus zoom, Enter full screen; drag to window, right-drag to zoom, middle-drag to pan.`;

export const ImagePane = memo(function ImagePane(props: ImagePaneProps) {
  const { paneKey, testId, role, link, notes, slices, idAt, onSliceStep } = props;
  const fig = useRef<HTMLElement>(null);
  const el = useRef<HTMLDivElement>(null);
  const [status, setStatusState] = useState<Status>(EMPTY);
  const statusRef = useRef<Status>(EMPTY);
  const shownImage = useMemo(() => new ShownImage(), []);
  const enabled = useRef(false);
  const shown = useRef<string | null>(null);
  const stepRef = useRef(onSliceStep);
  stepRef.current = onSliceStep;
  const maxRef = useRef(() => props.onToggleMax(paneKey));
  maxRef.current = () => props.onToggleMax(paneKey);
  const titleRef = useRef(props.title);
  titleRef.current = props.title;
  // the source this render shows: a slice notification reaching the previous effect (the compare view
  // publishes in a layout effect, before this pane's effect has switched to a new scan/result/view)
  // must not fetch the old source's image for the new slice
  const idAtRef = useRef(idAt);
  idAtRef.current = idAt;

  // enable / disable the element, wire gestures and resizing
  useEffect(() => {
    const node = el.current!;
    cornerstone.enable(node);
    enabled.current = true;
    link.register(node, role);
    const detach = attachInteractions(node, link, notes, {
      onSliceStep: (d) => stepRef.current(d),
      onToggleFullscreen: () => maxRef.current(),
    });
    const ro = new ResizeObserver(() => link.resized(node));
    ro.observe(node);
    return () => {
      ro.disconnect();
      detach();
      link.unregister(node);
      enabled.current = false;
      shown.current = null;
      shownImage.set(null);
      try {
        cornerstone.disable(node);
      } catch {
        // already gone
      }
    };
    // the role changes with the pane's view: handled below without re-enabling
  }, [link, notes, shownImage]);

  useEffect(() => {
    link.setRole(el.current!, role);
  }, [link, role]);

  useEffect(() => {
    el.current!.setAttribute('aria-label', paneLabel(props.title, slices.getSnapshot()));
  }, [props.title, slices]);

  // follow the slice: show the image of the current slice, load it if needed, warm the neighbours
  useEffect(() => {
    const node = el.current!;
    const figure = fig.current!;
    // data-image-id (what is shown) is written here, not by React: it changes on every slice
    figure.dataset.imageId ??= '';
    let live = true;
    let wanted: string | null | undefined; // undefined: nothing asked yet
    const setStatus = (s: Status) => {
      const cur = statusRef.current;
      if (cur.kind === s.kind && (s.kind !== 'error' || (cur.kind === 'error' && cur.message === s.message))) return;
      statusRef.current = s;
      setStatusState(s);
    };
    const clear = () => {
      if (!shown.current) return;
      // cornerstone has no "clear": re-enable to drop the old picture
      cornerstone.disable(node);
      link.cleared(node);
      cornerstone.enable(node);
      shown.current = null;
      figure.dataset.imageId = '';
      shownImage.set(null);
    };
    const show = (id: string, img: MriImage, s: SliceSnapshot) => {
      link.display(node, img);
      shown.current = id;
      figure.dataset.imageId = id;
      shownImage.set(img);
      setStatus(READY);
      const ids: string[] = [];
      for (const n of neighbourSlices(s)) {
        const nid = idAt(n);
        if (nid) ids.push(nid);
      }
      if (ids.length) prefetch(ids);
    };
    const update = () => {
      if (idAtRef.current !== idAt) return; // stale: the effect for the new source runs next
      const s = slices.getSnapshot();
      node.setAttribute('aria-label', paneLabel(titleRef.current, s));
      const id = idAt(s.slice);
      if (id === wanted) return;
      wanted = id;
      if (!id) {
        clear();
        setStatus(EMPTY);
        return;
      }
      const ready = peekMriImage(id);
      if (ready) {
        show(id, ready, s);
        return;
      }
      // keep the old picture up while the next one loads
      if (statusRef.current.kind !== 'ready') setStatus(LOADING);
      loadMriImage(id).then(
        (img) => {
          if (live && enabled.current && wanted === id) show(id, img, slices.getSnapshot());
        },
        (e: unknown) => {
          if (!live || wanted !== id) return;
          clear();
          setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
        },
      );
    };
    update();
    const off = slices.subscribe(update);
    return () => {
      live = false;
      off();
    };
  }, [idAt, slices, link, shownImage]);

  return (
    <figure
      ref={fig}
      className={`pane pane-role-${role} ${props.maximized ? 'pane-max' : ''} ${props.className ?? ''}`}
      data-testid={testId}
      data-status={status.kind}
      hidden={props.hidden}
    >
      <figcaption className="pane-head">
        <span className="pane-title">{props.title}</span>
        {props.subtitle && <span className="pane-sub">{props.subtitle}</span>}
        <span className="pane-tools">
          {props.views && props.views.length > 1 && (
            <span className="seg" role="group" aria-label={`${props.title}: view`}>
              {props.views.map((v) => (
                <button
                  key={v.id}
                  type="button"
                  className={v.id === props.view ? 'on' : undefined}
                  aria-pressed={v.id === props.view}
                  title={v.title}
                  aria-label={`${props.title}: ${v.title}`}
                  data-testid={`${testId}-view-${v.id}`}
                  onClick={() => props.onView?.(paneKey, v.id)}
                >
                  {v.label}
                </button>
              ))}
            </span>
          )}
          <button
            type="button"
            className="icon-button"
            onClick={() => props.onToggleMax(paneKey)}
            aria-pressed={props.maximized}
            aria-label={props.maximized ? `Restore ${props.title} (Escape)` : `Full screen: ${props.title} (F)`}
            title={props.maximized ? 'Restore (Esc)' : 'Full screen (F, double-click)'}
            data-testid={`${testId}-max`}
          >
            {props.maximized ? '⤡' : '⤢'}
          </button>
        </span>
      </figcaption>
      <div className="pane-body">
        <div ref={el} className="pane-image" tabIndex={0} role="img" />
        <PaneOverlays
          el={el}
          shownImage={shownImage}
          slices={slices}
          link={link}
          notes={notes}
          role={role}
          topRightAt={props.topRightAt}
        />
        {status.kind === 'empty' && <div className="pane-placeholder">{props.placeholder}</div>}
        {status.kind === 'loading' && (
          <div className="pane-placeholder" aria-live="polite">
            Loading…
          </div>
        )}
        {status.kind === 'error' && (
          <div className="pane-error" role="alert" data-testid="error-message" data-area="pane">
            {status.message}
          </div>
        )}
      </div>
    </figure>
  );
});

/** Everything drawn over the image that follows the slice, the shown image or the linked view. */
const PaneOverlays = memo(function PaneOverlays({
  el: elRef,
  shownImage,
  slices,
  link,
  notes,
  role,
  topRightAt,
}: {
  el: React.RefObject<HTMLDivElement | null>;
  shownImage: ShownImage;
  slices: SliceStore;
  link: ViewLink;
  notes: AnnotationStore;
  role: PaneRole;
  topRightAt?(slice: number): ReactNode;
}) {
  const img = useSyncExternalStore(shownImage.subscribe, shownImage.get);
  const s = useSyncExternalStore(slices.subscribe, slices.getSnapshot);
  const view = useSyncExternalStore(link.subscribe, link.getSnapshot);
  const el = elRef.current;
  const voi = voiOf(view, role);
  const topRight = topRightAt?.(s.slice);
  return (
    <>
      {img && el && <Annotations el={el} img={img} link={link} notes={notes} />}
      {img && el && <MagnifierLayer el={el} notes={notes} />}
      {topRight ? <div className="overlay overlay-tr">{topRight}</div> : null}
      <div className="overlay overlay-bl" aria-hidden="true">
        {img && <Readout img={img} notes={notes} />}
        {voi && img ? <span className="wl">{`W ${fmtWindow(voi.width)}  L ${fmtWindow(voi.center)}`}</span> : null}
      </div>
      <div className="overlay overlay-br" aria-hidden="true">
        {img ? (
          <>
            <span>{sliceText(s)}</span>
            <span className="overlay-sub" title={`${img.columns}×${img.rows}`}>
              zoom {(view.zoom * 100).toFixed(0)}%
            </span>
          </>
        ) : null}
      </div>
      {img && voi && (role === 'error' || role === 'phase') && (
        <ScaleBar role={role} lo={voi.center - voi.width / 2} hi={voi.center + voi.width / 2} />
      )}
    </>
  );
});

/** The value of the pixel under the cursor (whichever pane it is over), in this pane's image units. */
function Readout({ img, notes }: { img: MriImage; notes: AnnotationStore }) {
  const cursor = useSyncExternalStore(notes.subscribeCursor, notes.getCursor);
  if (!cursor) return null;
  const v = valueAt({ data: img.mri.data, width: img.columns, height: img.rows }, cursor.p);
  if (v === null) return null;
  return (
    <span className="readout" data-testid="pixel-readout">
      ({Math.floor(cursor.p.x)}, {Math.floor(cursor.p.y)}) = {fmtValue(v)}
    </span>
  );
}

/** The shared line profile and ROI, drawn in this pane's canvas coordinates, with the ROI's statistics. */
function Annotations({ el, img, link, notes }: { el: HTMLElement; img: MriImage; link: ViewLink; notes: AnnotationStore }) {
  const tools = useSyncExternalStore(notes.subscribeTools, notes.getTools);
  const view = useSyncExternalStore(link.subscribe, link.getSnapshot);
  if (!tools.line && !tools.roi) return null;
  const scale = link.scaleOf(el);
  const size = { width: el.clientWidth, height: el.clientHeight };
  const dims = { cols: img.columns, rows: img.rows };
  const c = (p: { x: number; y: number }) => imageToCanvas(p, dims, size, scale, view.pan);
  let roi: ReactNode = null;
  if (tools.roi) {
    const a = c(tools.roi.a);
    const b = c(tools.roi.b);
    const st = roiStats({ data: img.mri.data, width: img.columns, height: img.rows }, tools.roi.a, tools.roi.b);
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    roi = (
      <g>
        <rect x={x} y={y} width={Math.abs(b.x - a.x)} height={Math.abs(b.y - a.y)} className="ann-roi" />
        {st && (
          <text x={x} y={Math.max(12, y - 4)} className="ann-text" data-testid="roi-stats">
            μ {fmtValue(st.mean)} σ {fmtValue(st.std)} (n {st.n})
          </text>
        )}
      </g>
    );
  }
  let line: ReactNode = null;
  if (tools.line) {
    const a = c(tools.line.a);
    const b = c(tools.line.b);
    line = (
      <g>
        <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} className="ann-line" />
        <circle cx={a.x} cy={a.y} r={3} className="ann-end" />
        <circle cx={b.x} cy={b.y} r={3} className="ann-end ann-end-b" />
      </g>
    );
  }
  return (
    <svg className="ann" width={size.width} height={size.height} aria-hidden="true">
      {roi}
      {line}
    </svg>
  );
}

const MAG = 150;
const MAG_ZOOM = 3;

/** A zoomed inset following the cursor, copied from this pane's own canvas. */
function MagnifierLayer({ el, notes }: { el: HTMLElement; notes: AnnotationStore }) {
  const tools = useSyncExternalStore(notes.subscribeTools, notes.getTools);
  const cursor = useSyncExternalStore(notes.subscribeCursor, notes.getCursor);
  const canvas = useRef<HTMLCanvasElement>(null);
  const on = tools.magnifier && cursor !== null && cursor.el === el;
  useEffect(() => {
    if (!on || !canvas.current || !cursor) return;
    const src = el.querySelector('canvas');
    const ctx = canvas.current.getContext('2d');
    if (!src || !ctx) return;
    const ratio = src.width / Math.max(1, el.clientWidth);
    const sw = (MAG / MAG_ZOOM) * ratio;
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, MAG, MAG);
    ctx.drawImage(src, cursor.cx * ratio - sw / 2, cursor.cy * ratio - sw / 2, sw, sw, 0, 0, MAG, MAG);
  });
  if (!on || !cursor) return null;
  const left = cursor.cx + 18 + MAG > el.clientWidth ? cursor.cx - 18 - MAG : cursor.cx + 18;
  const top = Math.max(0, Math.min(el.clientHeight - MAG, cursor.cy - MAG / 2));
  return (
    <canvas
      ref={canvas}
      className="magnifier"
      width={MAG}
      height={MAG}
      style={{ left, top }}
      data-testid="magnifier"
      aria-hidden="true"
    />
  );
}

/** The colour map's scale in image units (window low → high). */
function ScaleBar({ role, lo, hi }: { role: PaneRole; lo: number; hi: number }) {
  return (
    <div
      className={`scalebar scalebar-${role}`}
      aria-label={`colour scale ${fmtValue(lo)} to ${fmtValue(hi)}`}
      role="img"
      data-testid="scalebar"
    >
      <span className="scalebar-hi">{fmtValue(hi)}</span>
      <span className="scalebar-ramp" />
      <span className="scalebar-lo">{fmtValue(lo)}</span>
    </div>
  );
}
