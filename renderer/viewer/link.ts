/**
 * Linking: one ViewLink per compare view. Panes register their cornerstone elements with a role; every
 * change (gesture on any pane, reset) updates the shared ViewState and is pushed to every registered
 * element with setViewport, so zoom/pan/window apply everywhere (the error map keeps its own window
 * but shares zoom and pan). React overlays read the state through subscribe/getSnapshot.
 */
import cornerstone, { type Viewport } from 'cornerstone-core';
import type { MriImage } from './loader';
import { fitScale, INITIAL_VIEW, voiOf, type PaneRole, type ViewState, type Voi } from './view-state';

interface Registered {
  role: PaneRole;
  image: MriImage | null;
}

export class ViewLink {
  private state: ViewState = INITIAL_VIEW;
  private readonly panes = new Map<HTMLElement, Registered>();
  private readonly listeners = new Set<() => void>();

  getSnapshot = (): ViewState => this.state;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  register(el: HTMLElement, role: PaneRole): void {
    this.panes.set(el, { role, image: null });
  }
  unregister(el: HTMLElement): void {
    this.panes.delete(el);
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
    if (!voiOf(this.state, p.role)) {
      const voi = { ...image.mri.window };
      this.setState(p.role === 'error' ? { ...this.state, errorVoi: voi } : { ...this.state, voi });
    }
    cornerstone.displayImage(el, image, this.viewportFor(el, p));
  }

  update(change: (s: ViewState) => ViewState): void {
    this.setState(change(this.state));
    this.applyAll();
  }

  /** 'r': fit, centre and default windows again (taken from the images now shown). */
  reset(): void {
    let voi: Voi | null = null;
    let errorVoi: Voi | null = null;
    for (const p of this.panes.values()) {
      if (!p.image) continue;
      if (p.role === 'error') errorVoi ??= { ...p.image.mri.window };
      else if (p.image.imageId.endsWith('/target')) voi = { ...p.image.mri.window };
      else voi ??= { ...p.image.mri.window };
    }
    this.setState({ ...INITIAL_VIEW, voi, errorVoi });
    this.applyAll();
  }

  /** A new scan: forget windows so its own images set them. */
  forgetWindows(): void {
    this.setState({ ...this.state, voi: null, errorVoi: null });
  }

  /** Actual cornerstone scale of a pane (fit × zoom). */
  scaleOf(el: HTMLElement): number {
    const img = this.imageOf(el);
    if (!img) return 1;
    return fitScale(el.clientWidth, el.clientHeight, img.columns, img.rows) * this.state.zoom;
  }

  resized(el: HTMLElement): void {
    const p = this.panes.get(el);
    if (!p) return;
    try {
      cornerstone.resize(el, false);
    } catch {
      return; // not enabled yet
    }
    if (p.image) cornerstone.setViewport(el, this.viewportFor(el, p));
  }

  private viewportFor(el: HTMLElement, p: Registered): Partial<Viewport> {
    const img = p.image!;
    const voi = voiOf(this.state, p.role) ?? img.mri.window;
    const vp: Partial<Viewport> = {
      scale: fitScale(el.clientWidth, el.clientHeight, img.columns, img.rows) * this.state.zoom,
      translation: { ...this.state.pan },
      voi: { windowCenter: voi.center, windowWidth: voi.width },
      invert: false,
      pixelReplication: false,
      rotation: 0,
      hflip: false,
      vflip: false,
    };
    if (p.role === 'error') vp.colormap = 'hot';
    return vp;
  }

  private applyAll(): void {
    for (const [el, p] of this.panes) {
      if (!p.image) continue;
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
