/**
 * The measurement tools every linked pane shares: the active left-button tool, the magnifier, one
 * line profile and one rectangle ROI (in image pixel coordinates, so they appear at the same place in
 * every pane), and the cursor (for the pixel readout and the magnifier). A tiny external store read
 * with useSyncExternalStore; cursor moves notify only cursor listeners.
 */
import type { Pt } from './measure';

export type Tool = 'wl' | 'profile' | 'roi';

export interface Tools {
  tool: Tool;
  magnifier: boolean;
  line: { a: Pt; b: Pt } | null;
  roi: { a: Pt; b: Pt } | null;
}

export interface Cursor {
  /** image coordinates */
  p: Pt;
  /** the pane element it is over, and the position within it (CSS pixels) */
  el: HTMLElement;
  cx: number;
  cy: number;
}

export class AnnotationStore {
  private tools: Tools = { tool: 'wl', magnifier: false, line: null, roi: null };
  private cursor: Cursor | null = null;
  private readonly toolListeners = new Set<() => void>();
  private readonly cursorListeners = new Set<() => void>();

  getTools = (): Tools => this.tools;
  subscribeTools = (l: () => void): (() => void) => {
    this.toolListeners.add(l);
    return () => this.toolListeners.delete(l);
  };
  getCursor = (): Cursor | null => this.cursor;
  subscribeCursor = (l: () => void): (() => void) => {
    this.cursorListeners.add(l);
    return () => this.cursorListeners.delete(l);
  };

  setTools(patch: Partial<Tools>): void {
    this.tools = { ...this.tools, ...patch };
    for (const l of this.toolListeners) l();
  }
  setCursor(c: Cursor | null): void {
    if (c === null && this.cursor === null) return;
    this.cursor = c;
    for (const l of this.cursorListeners) l();
  }
  clearMeasurements(): void {
    this.setTools({ line: null, roi: null });
  }
}
