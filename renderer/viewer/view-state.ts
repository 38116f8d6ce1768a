/**
 * The state every linked pane shares, and the pure maths of the mouse gestures. Zoom is relative to
 * "fit to pane" (so panes of any size agree and a resize keeps the framing); translation is in image
 * pixels; window/level is in the engine's intensity units. Greyscale panes (ground truth,
 * reconstruction) share one window; the error map keeps its own. Pure: unit-tested.
 */
export type PaneRole = 'grey' | 'error' | 'kspace' | 'phase';
export const PANE_ROLES: readonly PaneRole[] = ['grey', 'error', 'kspace', 'phase'];

export interface Voi {
  center: number;
  width: number;
}

export interface ViewState {
  zoom: number;
  pan: { x: number; y: number };
  /** per role; absent until the first image of a role sets its default */
  vois: Partial<Record<PaneRole, Voi>>;
}

export const INITIAL_VIEW: ViewState = { zoom: 1, pan: { x: 0, y: 0 }, vois: {} };
export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 32;

export function fitScale(paneW: number, paneH: number, cols: number, rows: number): number {
  if (paneW <= 0 || paneH <= 0 || cols <= 0 || rows <= 0) return 1;
  return Math.min(paneW / cols, paneH / rows);
}

export function voiOf(v: ViewState, role: PaneRole): Voi | null {
  return v.vois[role] ?? null;
}

export function withVoi(v: ViewState, role: PaneRole, voi: Voi): ViewState {
  return { ...v, vois: { ...v.vois, [role]: voi } };
}

/**
 * cornerstone's transform: canvas = (p − size/2 + pan)·scale + canvas/2 (no rotation or flips here).
 * Image points are continuous pixel coordinates (0..cols, 0..rows).
 */
export function imageToCanvas(
  p: { x: number; y: number },
  img: { cols: number; rows: number },
  canvas: { width: number; height: number },
  scale: number,
  pan: { x: number; y: number },
): { x: number; y: number } {
  return {
    x: (p.x - img.cols / 2 + pan.x) * scale + canvas.width / 2,
    y: (p.y - img.rows / 2 + pan.y) * scale + canvas.height / 2,
  };
}

export function canvasToImage(
  c: { x: number; y: number },
  img: { cols: number; rows: number },
  canvas: { width: number; height: number },
  scale: number,
  pan: { x: number; y: number },
): { x: number; y: number } {
  const s = scale > 0 ? scale : 1;
  return {
    x: (c.x - canvas.width / 2) / s - pan.x + img.cols / 2,
    y: (c.y - canvas.height / 2) / s - pan.y + img.rows / 2,
  };
}

/** Drag for window/level: right widens the window, down raises the level (cornerstone-tools' convention). */
export function windowLevelDrag(voi: Voi, dx: number, dy: number, range: number): Voi {
  const k = (range > 0 ? range : 1) / 400;
  return { center: voi.center + dy * k, width: Math.max((range > 0 ? range : 1) * 1e-4, voi.width + dx * k) };
}

/** Drag for zoom: up zooms in. */
export function zoomDrag(zoom: number, dy: number): number {
  return clampZoom(zoom * Math.exp(-dy / 150));
}

export function clampZoom(z: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
}

/** Drag for pan: screen pixels → image pixels at the current scale. */
export function panDrag(pan: { x: number; y: number }, dx: number, dy: number, scale: number): { x: number; y: number } {
  const s = scale > 0 ? scale : 1;
  return { x: pan.x + dx / s, y: pan.y + dy / s };
}

/**
 * Wheel → slice steps: a mouse notch (|Δ| ≥ threshold, whatever the platform's pixels per notch) is
 * one slice; small trackpad deltas accumulate until they add up to one.
 */
export function wheelSteps(acc: number, deltaY: number, threshold = 50): { steps: number; acc: number } {
  if (Math.abs(deltaY) >= threshold) return { steps: Math.sign(deltaY), acc: 0 };
  const total = acc + deltaY;
  if (Math.abs(total) >= threshold) return { steps: Math.sign(total), acc: 0 };
  return { steps: 0, acc: total };
}
