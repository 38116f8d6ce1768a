/**
 * Mouse and keyboard on an image pane: left drag = window/level, right drag (or ctrl+left) = zoom,
 * middle drag (or shift+left) = pan, wheel = slice. Every gesture goes through the ViewLink, so it
 * applies to all linked panes.
 */
import type { ViewLink } from './link';
import { clampZoom, panDrag, wheelSteps, windowLevelDrag, zoomDrag, type ViewState } from './view-state';

type Mode = 'wl' | 'zoom' | 'pan';

export interface InteractionCallbacks {
  onSliceStep(delta: number): void;
}

function modeFor(e: PointerEvent): Mode | null {
  if (e.button === 0) return e.shiftKey ? 'pan' : e.ctrlKey || e.metaKey ? 'zoom' : 'wl';
  if (e.button === 1) return 'pan';
  if (e.button === 2) return 'zoom';
  return null;
}

export function attachInteractions(el: HTMLElement, link: ViewLink, cb: InteractionCallbacks): () => void {
  let drag: { mode: Mode; x: number; y: number; id: number } | null = null;
  let wheelAcc = 0;

  const onDown = (e: PointerEvent) => {
    const mode = modeFor(e);
    if (!mode || !link.imageOf(el)) return;
    e.preventDefault();
    el.focus({ preventScroll: true });
    drag = { mode, x: e.clientX, y: e.clientY, id: e.pointerId };
    el.setPointerCapture(e.pointerId);
    el.dataset.dragging = mode;
  };
  const onMove = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    drag.x = e.clientX;
    drag.y = e.clientY;
    if (dx === 0 && dy === 0) return;
    const img = link.imageOf(el);
    if (!img) return;
    const role = link.roleOf(el);
    if (drag.mode === 'wl') {
      const range = img.mri.max - img.mri.min;
      link.update((s): ViewState => {
        if (role === 'error') return { ...s, errorVoi: windowLevelDrag(s.errorVoi ?? img.mri.window, dx, dy, range) };
        return { ...s, voi: windowLevelDrag(s.voi ?? img.mri.window, dx, dy, range) };
      });
    } else if (drag.mode === 'zoom') {
      link.update((s) => ({ ...s, zoom: zoomDrag(s.zoom, dy) }));
    } else {
      const scale = link.scaleOf(el);
      link.update((s) => ({ ...s, pan: panDrag(s.pan, dx, dy, scale) }));
    }
  };
  const onUp = (e: PointerEvent) => {
    if (!drag || e.pointerId !== drag.id) return;
    drag = null;
    delete el.dataset.dragging;
    if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
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
      cb.onSliceStep(step);
    } else if (e.key === '+' || e.key === '=') {
      link.update((s) => ({ ...s, zoom: clampZoom(s.zoom * 1.25) }));
    } else if (e.key === '-') {
      link.update((s) => ({ ...s, zoom: clampZoom(s.zoom / 1.25) }));
    }
  };
  const noMenu = (e: Event) => e.preventDefault();
  const noMiddleScroll = (e: MouseEvent) => {
    if (e.button === 1) e.preventDefault();
  };

  el.addEventListener('pointerdown', onDown);
  el.addEventListener('pointermove', onMove);
  el.addEventListener('pointerup', onUp);
  el.addEventListener('pointercancel', onUp);
  el.addEventListener('wheel', onWheel, { passive: false });
  el.addEventListener('keydown', onKey);
  el.addEventListener('contextmenu', noMenu);
  el.addEventListener('mousedown', noMiddleScroll);
  return () => {
    el.removeEventListener('pointerdown', onDown);
    el.removeEventListener('pointermove', onMove);
    el.removeEventListener('pointerup', onUp);
    el.removeEventListener('pointercancel', onUp);
    el.removeEventListener('wheel', onWheel);
    el.removeEventListener('keydown', onKey);
    el.removeEventListener('contextmenu', noMenu);
    el.removeEventListener('mousedown', noMiddleScroll);
  };
}
