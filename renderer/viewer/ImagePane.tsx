/**
 * One cornerstone pane. The element is enabled on mount and disabled on unmount; a new imageId loads
 * through the 'mri' loader (cached, timed out) and is displayed with the linked viewport. Stale loads
 * (the slice moved on) are dropped. Overlays are plain React on top, with pointer events off.
 */
import cornerstone from 'cornerstone-core';
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { fmtWindow } from '../state/format';
import { attachInteractions } from './interaction';
import type { ViewLink } from './link';
import { loadMriImage, prefetch } from './loader';
import { voiOf, type PaneRole } from './view-state';

export interface ImagePaneProps {
  testId: string;
  title: string;
  subtitle?: string;
  role: PaneRole;
  link: ViewLink;
  imageId: string | null;
  /** ids to warm the cache with after this one shows (neighbouring slices) */
  prefetchIds?: string[];
  placeholder: string;
  topRight?: ReactNode;
  sliceText: string;
  onSliceStep(delta: number): void;
}

type Status = { kind: 'empty' } | { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

export function ImagePane(props: ImagePaneProps) {
  const { testId, role, link, imageId, onSliceStep } = props;
  const el = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>({ kind: 'empty' });
  const enabled = useRef(false);
  const shown = useRef<string | null>(null);
  const stepRef = useRef(onSliceStep);
  stepRef.current = onSliceStep;
  const view = useSyncExternalStore(link.subscribe, link.getSnapshot);

  // enable / disable the element, wire gestures and resizing
  useEffect(() => {
    const node = el.current!;
    cornerstone.enable(node);
    enabled.current = true;
    link.register(node, role);
    const detach = attachInteractions(node, link, { onSliceStep: (d) => stepRef.current(d) });
    const ro = new ResizeObserver(() => link.resized(node));
    ro.observe(node);
    return () => {
      ro.disconnect();
      detach();
      link.unregister(node);
      enabled.current = false;
      shown.current = null;
      try {
        cornerstone.disable(node);
      } catch {
        // already gone
      }
    };
  }, [link, role]);

  // load and show the current image
  useEffect(() => {
    const node = el.current!;
    let live = true;
    if (!imageId) {
      if (shown.current) {
        // cornerstone has no "clear": re-enable to drop the old picture
        cornerstone.disable(node);
        link.cleared(node);
        cornerstone.enable(node);
        shown.current = null;
      }
      setStatus({ kind: 'empty' });
      return;
    }
    if (shown.current !== imageId) setStatus((s) => (s.kind === 'ready' ? s : { kind: 'loading' }));
    loadMriImage(imageId).then(
      (img) => {
        if (!live || !enabled.current) return;
        link.display(node, img);
        shown.current = imageId;
        setStatus({ kind: 'ready' });
        if (props.prefetchIds?.length) prefetch(props.prefetchIds);
      },
      (e: unknown) => {
        if (!live) return;
        setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => {
      live = false;
    };
    // prefetchIds change with imageId; listing them would refetch on every render
  }, [imageId, link]);

  const voi = voiOf(view, role);
  const img = el.current && status.kind === 'ready' ? link.imageOf(el.current) : null;
  return (
    <figure className={`pane pane-role-${role}`} data-testid={testId} data-status={status.kind}>
      <div
        ref={el}
        className="pane-image"
        tabIndex={0}
        role="img"
        aria-label={`${props.title}, ${props.sliceText}. Arrow keys change slice, plus and minus zoom; drag to window, right-drag to zoom, middle-drag to pan.`}
      />
      <figcaption className="overlay overlay-tl">
        <span className="overlay-title">{props.title}</span>
        {props.subtitle && <span className="overlay-sub">{props.subtitle}</span>}
      </figcaption>
      {props.topRight && <div className="overlay overlay-tr">{props.topRight}</div>}
      <div className="overlay overlay-bl" aria-hidden="true">
        {voi && img ? `W ${fmtWindow(voi.width)}  L ${fmtWindow(voi.center)}` : ''}
        {role === 'error' && img ? <span className="overlay-sub">colour map: hot</span> : null}
      </div>
      <div className="overlay overlay-br" aria-hidden="true">
        {img ? (
          <>
            <span>{props.sliceText}</span>
            <span className="overlay-sub">
              {img.columns}×{img.rows} · zoom {(view.zoom * 100).toFixed(0)}%
            </span>
          </>
        ) : null}
      </div>
      {status.kind === 'empty' && <div className="pane-placeholder">{props.placeholder}</div>}
      {status.kind === 'loading' && (
        <div className="pane-placeholder" aria-live="polite">
          Loading…
        </div>
      )}
      {status.kind === 'error' && (
        <div className="pane-error" role="alert" data-testid="error-message">
          {status.message}
        </div>
      )}
    </figure>
  );
}
