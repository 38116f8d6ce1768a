/**
 * Mouse and keyboard on an image pane: left drag = the active tool (window/level, line profile or
 * rectangle ROI), right drag (or ctrl+left) = zoom, middle drag (or shift+left) = pan, wheel = slice,
 * double-click = full screen. Pointer moves feed the cursor (pixel readout, magnifier). Every gesture
 * goes through the ViewLink / AnnotationStore, so it applies to all linked panes.
 */
import type { AnnotationStore } from './annotations';
import type { ViewLink } from './link';
import type { Pt } from './measure';
import { canvasToImage, clampZoom, panDrag, voiOf, wheelSteps, windowLevelDrag, withVoi, zoomDrag } from './view-state';

type Mode = 'wl' | 'zoom' | 'pan' | 'profile' | 'roi';

export interface InteractionCallbacks {
  onSliceStep(delta: number): void;
  onToggleFullscreen(): void;
}

function modeFor(e: PointerEvent, tool: 'wl' | 'profile' | 'roi'): Mode | null {
  if (e.button === 0) return e.shiftKey ? 'pan' : e.ctrlKey || e.metaKey ? 'zoom' : tool;
  if (e.button === 1) return 'pan';
  if (e.button === 2) return 'zoom';
  return null;
}

/** The image point under a pointer event (continuous pixel coordinates). */
export function pointerToImage(el: HTMLElement, link: ViewLink, clientX: number, clientY: number): Pt | null {
  const img = link.imageOf(el);
  if (!img) return null;
  const r = el.getBoundingClientRect();
  return canvasToImage(
    { x: clientX - r.left, y: clientY - r.top },
    { cols: img.columns, rows: img.rows },
    { width: el.clientWidth, height: el.clientHeight },
    link.scaleOf(el),
    link.getSnapshot().pan,
  );
}

export function attachInteractions(
  el: HTMLElement,
  link: ViewLink,
  notes: AnnotationStore,
  cb: InteractionCallbacks,
): () => void {
  let drag: { mode: Mode; x: number; y: number; id: number; start: Pt | null } | null = null;
  let wheelAcc = 0;

  const updateCursor = (e: PointerEvent) => {
    const p = pointerToImage(el, link, e.clientX, e.clientY);
    if (!p) return notes.setCursor(null);
    const r = el.getBoundingClientRect();
    notes.setCursor({ p, el, cx: e.clientX - r.left, cy: e.clientY - r.top });
  };

  const onDown = (e: PointerEvent) => {
    const mode = modeFor(e, notes.getTools().tool);
    if (!mode || !link.imageOf(el)) return;
    e.preventDefault();
    el.focus({ preventScroll: true });
    const start = mode === 'profile' || mode === 'roi' ? pointerToImage(el, link, e.clientX, e.clientY) : null;
    drag = { mode, x: e.clientX, y: e.clientY, id: e.pointerId, start };
    if (start) notes.setTools(mode === 'profile' ? { line: { a: start, b: start } } : { roi: { a: start, b: start } });
    el.setPointerCapture(e.pointerId);
    el.dataset.dragging = mode;
  };
  const onMove = (e: PointerEvent) => {
    updateCursor(e);
    if (!drag || e.pointerId !== drag.id) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    drag.x = e.clientX;
    drag.y = e.clientY;
    if (dx === 0 && dy === 0) return;
    const img = link.imageOf(el);
    if (!img) return;
    const role = link.roleOf(el) ?? 'grey';
    if (drag.mode === 'profile' || drag.mode === 'roi') {
      const p = pointerToImage(el, link, e.clientX, e.clientY);
      if (!p || !drag.start) return;
      notes.setTools(drag.mode === 'profile' ? { line: { a: drag.start, b: p } } : { roi: { a: drag.start, b: p } });
    } else if (drag.mode === 'wl') {
      const range = img.mri.max - img.mri.min;
      link.update((s) => withVoi(s, role, windowLevelDrag(voiOf(s, role) ?? img.mri.window, dx, dy, range)));
    } else if (drag.mode === 'zoom') {
      link.update((s) => ({ ...s, zoom: zoomDrag(s.zoom, dy) }));
    } else {
      const scale = link.scaleOf(el);
      link.update((s) => ({ ...s, pan: panDrag(s.pan, dx, dy, scale) }));
    }
  };
  const onUp = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    const d = drag;
    drag = null;
    delete el.dataset.dragging;
    if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
    // a click without a drag leaves no zero-length line or box behind
    const t = notes.getTools();
    if (d.mode === 'profile' && t.line && Math.hypot(t.line.b.x - t.line.a.x, t.line.b.y - t.line.a.y) < 1)
      notes.setTools({ line: null });
    if (d.mode === 'roi' && t.roi && (Math.abs(t.roi.b.x - t.roi.a.x) < 1 || Math.abs(t.roi.b.y - t.roi.a.y) < 1))
      notes.setTools({ roi: null });
  };
  const onLeave = () => {
    if (!drag) notes.setCursor(null);
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const dy = e.deltaMode === 1 ? e.deltaY * 40 : e.deltaMode === 2 ? e.deltaY * 400 : e.deltaY;
    const r = wheelSteps(wheelAcc, dy);
    wheelAcc = r.acc;
    if (r.steps !== 0) cb.onSliceStep(r.steps);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const step = { ArrowUp: -1, ArrowLeft: -1, PageUp: -1, ArrowDown: 1, ArrowRight: 1, PageDown: 1 }[e.key];
    if (step !== undefined) {
      e.preventDefault();
      e.stopPropagation(); // the window-level handler would step again
      cb.onSliceStep(step);
    } else if (e.key === '+' || e.key === '=') {
      link.update((s) => ({ ...s, zoom: clampZoom(s.zoom * 1.25) }));
    } else if (e.key === '-') {
      link.update((s) => ({ ...s, zoom: clampZoom(s.zoom / 1.25) }));
    } else if (e.key === 'Enter') {
      cb.onToggleFullscreen();
    }
  };
  const onDbl = (e: MouseEvent) => {
    e.preventDefault();
    cb.onToggleFullscreen();
  };
  const noMenu = (e: Event) => e.preventDefault();
  const noMiddleScroll = (e: MouseEvent) => {
    if (e.button === 1) e.preventDefault();
  };

  el.addEventListener('pointerdown', onDown);
  el.addEventListener('pointermove', onMove);
  el.addEventListener('pointerup', onUp);
  el.addEventListener('pointercancel', onUp);
  el.addEventListener('pointerleave', onLeave);
  el.addEventListener('wheel', onWheel, { passive: false });
  el.addEventListener('keydown', onKey);
  el.addEventListener('dblclick', onDbl);
  el.addEventListener('contextmenu', noMenu);
  el.addEventListener('mousedown', noMiddleScroll);
  return () => {
    el.removeEventListener('pointerdown', onDown);
    el.removeEventListener('pointermove', onMove);
    el.removeEventListener('pointerup', onUp);
    el.removeEventListener('pointercancel', onUp);
    el.removeEventListener('pointerleave', onLeave);
    el.removeEventListener('wheel', onWheel);
    el.removeEventListener('keydown', onKey);
    el.removeEventListener('dblclick', onDbl);
    el.removeEventListener('contextmenu', noMenu);
    el.removeEventListener('mousedown', noMiddleScroll);
  };
}
