/**
 * Linking: one ViewLink per compare view. Panes register their cornerstone elements with a role; every
 * change (gesture on any pane, reset, preset) updates the shared ViewState and is pushed to every
 * registered element with setViewport, so zoom/pan apply everywhere and window/level to every pane of
 * the same role (greyscale images share one window; error maps, k-space and phase keep their own).
 * React overlays read the state through subscribe/getSnapshot.
 */
import cornerstone, { type Viewport } from 'cornerstone-core';
import type { MriImage } from './loader';
import { presetWindow, type WindowPreset } from './measure';
import { fitScale, INITIAL_VIEW, voiOf, withVoi, type PaneRole, type ViewState, type Voi } from './view-state';

interface Registered {
  role: PaneRole;
  image: MriImage | null;
  /** the element's size, kept from resize notifications: reading clientWidth while scrolling forces a layout */
  size: { width: number; height: number } | null;
}

const COLORMAPS: Partial<Record<PaneRole, string>> = { error: 'hot', phase: 'hsv' };

export class ViewLink {
  private state: ViewState = INITIAL_VIEW;
  private readonly panes = new Map<HTMLElement, Registered>();
  private readonly listeners = new Set<() => void>();
  private pending = false;

  getSnapshot = (): ViewState => this.state;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  register(el: HTMLElement, role: PaneRole): void {
    this.panes.set(el, { role, image: null, size: null });
  }
  unregister(el: HTMLElement): void {
    this.panes.delete(el);
  }
  setRole(el: HTMLElement, role: PaneRole): void {
    const p = this.panes.get(el);
    if (p) p.role = role;
  }
  /** the pane's element was disabled (no image shown any more) */
  cleared(el: HTMLElement): void {
    const p = this.panes.get(el);
    if (p) p.image = null;
  }

  imageOf(el: HTMLElement): MriImage | null {
    return this.panes.get(el)?.image ?? null;
  }
  roleOf(el: HTMLElement): PaneRole | null {
    return this.panes.get(el)?.role ?? null;
  }

  /** Shows `image` in `el` with the linked viewport; the first image of a role defines its default window. */
  display(el: HTMLElement, image: MriImage): void {
    const p = this.panes.get(el);
    if (!p) return;
    p.image = image;
    if (!voiOf(this.state, p.role)) this.setState(withVoi(this.state, p.role, { ...image.mri.window }));
    cornerstone.displayImage(el, image, this.viewportFor(el, p));
  }

  update(change: (s: ViewState) => ViewState): void {
    this.setState(change(this.state));
    this.scheduleApply();
  }

  /** 'r': fit, centre and default windows again (taken from the images now shown; the reference first). */
  reset(): void {
    const vois: Partial<Record<PaneRole, Voi>> = {};
    for (const p of this.panes.values()) {
      if (!p.image) continue;
      if (p.role === 'grey' && p.image.imageId.endsWith('/target')) vois.grey = { ...p.image.mri.window };
      else vois[p.role] ??= { ...p.image.mri.window };
    }
    this.setState({ ...INITIAL_VIEW, vois });
    this.applyAll();
  }

  /** A window preset for the greyscale panes, computed from the reference image shown (or any greyscale one). */
  applyPreset(preset: WindowPreset): boolean {
    let src: MriImage | null = null;
    for (const p of this.panes.values()) {
      if (!p.image || p.role !== 'grey') continue;
      if (p.image.imageId.endsWith('/target')) {
        src = p.image;
        break;
      }
      src ??= p.image;
    }
    if (!src) return false;
    this.setState(withVoi(this.state, 'grey', presetWindow(src.mri.data, preset)));
    this.applyAll();
    return true;
  }

  /** A new scan: forget windows so its own images set them. */
  forgetWindows(): void {
    this.setState({ ...this.state, vois: {} });
  }

  /** Actual cornerstone scale of a pane (fit × zoom). */
  scaleOf(el: HTMLElement): number {
    const p = this.panes.get(el);
    const img = p?.image;
    if (!p || !img) return 1;
    const size = this.sizeOf(el, p);
    return fitScale(size.width, size.height, img.columns, img.rows) * this.state.zoom;
  }

  resized(el: HTMLElement): void {
    const p = this.panes.get(el);
    if (!p) return;
    p.size = { width: el.clientWidth, height: el.clientHeight };
    if (p.size.width === 0 || p.size.height === 0) return;
    try {
      cornerstone.resize(el, false);
    } catch {
      return; // not enabled yet
    }
    if (p.image) cornerstone.setViewport(el, this.viewportFor(el, p));
    this.setState({ ...this.state }); // overlays depend on the pane size
  }

  /** Every pane element with an image, for figure export. */
  shown(): { el: HTMLElement; image: MriImage; role: PaneRole }[] {
    const out: { el: HTMLElement; image: MriImage; role: PaneRole }[] = [];
    for (const [el, p] of this.panes) if (p.image) out.push({ el, image: p.image, role: p.role });
    return out;
  }

  private sizeOf(el: HTMLElement, p: Registered): { width: number; height: number } {
    // before the first resize notification: read it once
    return (p.size ??= { width: el.clientWidth, height: el.clientHeight });
  }

  private viewportFor(el: HTMLElement, p: Registered): Partial<Viewport> {
    const img = p.image!;
    const voi = voiOf(this.state, p.role) ?? img.mri.window;
    const size = this.sizeOf(el, p);
    const vp: Partial<Viewport> = {
      scale: fitScale(size.width, size.height, img.columns, img.rows) * this.state.zoom,
      translation: { ...this.state.pan },
      voi: { windowCenter: voi.center, windowWidth: voi.width },
      invert: false,
      pixelReplication: false,
      rotation: 0,
      hflip: false,
      vflip: false,
    };
    // set even when undefined: cornerstone merges viewports, and a pane back from phase must lose 'hsv'
    vp.colormap = COLORMAPS[p.role];
    return vp;
  }

  /** gestures fire faster than frames: apply once per animation frame */
  private scheduleApply(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.applyAll();
    });
  }

  private applyAll(): void {
    for (const [el, p] of this.panes) {
      if (!p.image || this.sizeOf(el, p).width === 0) continue;
      try {
        cornerstone.setViewport(el, this.viewportFor(el, p));
      } catch {
        // element disabled between frames: nothing to update
      }
    }
  }

  private setState(s: ViewState): void {
    this.state = s;
    for (const l of this.listeners) l();
  }
}
