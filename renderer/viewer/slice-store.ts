/**
 * The slice every linked pane shows, outside React. The compare view publishes the app's slice here
 * (in a layout effect, once per change); each pane subscribes imperatively and swaps its cornerstone
 * image on the spot (a cached slice is shown with no React render and no promise hop), and only the
 * small overlays that print per-slice text re-render. Scrolling 7 panes therefore costs 7 displayImage
 * calls and a few text nodes, not a re-render of every pane.
 */
export interface SliceSnapshot {
  slice: number;
  /** slices in the volume (0 = no scan) */
  count: number;
}

export class SliceStore {
  private snap: SliceSnapshot = { slice: 0, count: 0 };
  private readonly listeners = new Set<() => void>();

  getSnapshot = (): SliceSnapshot => this.snap;
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  set(slice: number, count: number): void {
    if (slice === this.snap.slice && count === this.snap.count) return;
    this.snap = { slice, count };
    for (const l of [...this.listeners]) l();
  }
}

/** "slice 3/6" (empty without a scan) */
export function sliceText(s: SliceSnapshot): string {
  return s.count ? `slice ${s.slice + 1}/${s.count}` : '';
}

/** Slices worth prefetching around `s`, nearest first, inside the volume. */
export function neighbourSlices(s: SliceSnapshot): number[] {
  return [s.slice + 1, s.slice - 1, s.slice + 2, s.slice - 2].filter((x) => x >= 0 && x < s.count);
}
