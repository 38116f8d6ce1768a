/**
 * The 'mri' cornerstone image loader: fetches a slice through the engine contract, converts it to Int16
 * with slope/intercept (see image-convert.ts) and keeps an LRU of loaded images keyed by image id
 * (= source, slice, view). Every load has a timeout; failed loads are evicted so a retry refetches.
 *
 * Scrolling is the hot path, so:
 * - a converted image is reachable synchronously (peekMriImage): a pane shows a cached slice in the
 *   same task as the key press or wheel notch, with no promise hop and no React render;
 * - the default window (a percentile of the pixels) is computed lazily, on first use: only the first
 *   image of a role sets the shared window, so most slices never need it;
 * - prefetching (neighbouring slices) goes through a small queue: at most PREFETCH_CONCURRENCY engine
 *   requests at a time, newest wishes first, stale ones dropped, and the Int16 conversion of a
 *   prefetched slice runs in idle time, not in the middle of a frame. A slice that is wanted on screen
 *   (loadMriImage / peekMriImage) is converted at once.
 */
import cornerstone, { type CornerstoneImage } from 'cornerstone-core';
import type { EngineApi, Image } from '../../src/contract/schemas';
import { percentileWindow, toInt16 } from './image-convert';
import { parseImageId, SCHEME } from './image-ids';
import { Lru } from './lru';
import { withTimeout } from './timeout';

export interface MriImage extends CornerstoneImage {
  /** engine-side facts the viewer uses for default windows and overlays (`window` is computed on first read) */
  mri: { min: number; max: number; readonly window: { center: number; width: number }; data: Float32Array };
}

export const LOAD_TIMEOUT_MS = 20_000;
/** engine requests for prefetching in flight at once (what is on screen is never queued) */
export const PREFETCH_CONCURRENCY = 4;
/** prefetch wishes kept waiting; older ones (slices scrolled past) are dropped */
const PREFETCH_QUEUE_MAX = 48;

interface Entry {
  promise: Promise<MriImage>;
  /** set once converted */
  image: MriImage | null;
  /** fetched, waiting for idle time to be converted (prefetches only) */
  raw: Image | null;
  /** someone wants it on screen: convert as soon as it arrives */
  urgent: boolean;
  settle: ((img: MriImage) => void) | null;
  fail: ((e: unknown) => void) | null;
  /** settles when the engine has answered (either way) */
  answered: Promise<void>;
}

const cache = new Lru<string, Entry>(192);
let api: EngineApi | null = null;
let registered = false;

/** Points the loader at the engine; registers it with cornerstone once. */
export function initImageLoader(engine: EngineApi): void {
  if (api !== engine) {
    cache.clear();
    queue.length = 0;
    converting.clear();
  }
  api = engine;
  if (!registered) {
    cornerstone.registerImageLoader(SCHEME, (imageId) => ({ promise: loadMriImage(imageId) }));
    registered = true;
  }
}

function fetchImage(imageId: string): Promise<Image> {
  if (!api) return Promise.reject(new Error('the viewer is not connected to the engine'));
  const ref = parseImageId(imageId);
  const p =
    ref.kind === 'scan'
      ? api['scan.image']({ scanId: ref.scanId, slice: ref.slice, view: ref.view })
      : api['recon.image']({ resultId: ref.resultId, slice: ref.slice, view: ref.view });
  return withTimeout(p, LOAD_TIMEOUT_MS, `loading ${ref.view} slice ${ref.slice + 1}`);
}

export function toCornerstoneImage(imageId: string, img: Image): MriImage {
  const c = toInt16(img);
  const pixels = c.pixels;
  const data = img.data;
  let window: { center: number; width: number } | null = null;
  const lo = Number.isFinite(img.min) ? img.min : 0;
  const hi = Number.isFinite(img.max) && img.max > lo ? img.max : lo + 1;
  return {
    imageId,
    minPixelValue: c.minPixelValue,
    maxPixelValue: c.maxPixelValue,
    slope: c.slope,
    intercept: c.intercept,
    // cornerstone's own default only; the linked viewport always sets the window
    windowCenter: (lo + hi) / 2,
    windowWidth: hi - lo,
    getPixelData: () => pixels,
    rows: c.height,
    columns: c.width,
    height: c.height,
    width: c.width,
    color: false,
    columnPixelSpacing: 1,
    rowPixelSpacing: 1,
    invert: false,
    sizeInBytes: pixels.byteLength + data.byteLength,
    mri: {
      min: img.min,
      max: img.max,
      get window() {
        return (window ??= percentileWindow(data));
      },
      data,
    },
  };
}

function entryFor(imageId: string, urgent: boolean): Entry {
  const hit = cache.get(imageId);
  if (hit) {
    if (urgent && !hit.urgent) {
      hit.urgent = true;
      if (hit.raw) convertNow(imageId, hit);
    }
    return hit;
  }
  const e: Entry = {
    promise: null as unknown as Promise<MriImage>,
    image: null,
    raw: null,
    urgent,
    settle: null,
    fail: null,
    answered: null as unknown as Promise<void>,
  };
  e.promise = new Promise<MriImage>((resolve, reject) => {
    e.settle = resolve;
    e.fail = reject;
  });
  cache.set(imageId, e);
  e.answered = fetchImage(imageId).then(
    (raw) => {
      if (e.urgent) {
        e.raw = raw;
        convertNow(imageId, e);
      } else {
        e.raw = raw;
        converting.add(imageId);
        scheduleIdle();
      }
    },
    (err: unknown) => {
      if (cache.get(imageId) === e) cache.delete(imageId);
      e.fail?.(err);
      e.settle = e.fail = null;
    },
  );
  // nobody may be listening (a prefetch): keep the rejection handled
  e.promise.catch(() => undefined);
  return e;
}

function convertNow(imageId: string, e: Entry): void {
  const raw = e.raw;
  if (!raw) return;
  e.raw = null;
  converting.delete(imageId);
  try {
    e.image = toCornerstoneImage(imageId, raw);
    e.settle?.(e.image);
  } catch (err) {
    if (cache.get(imageId) === e) cache.delete(imageId);
    e.fail?.(err);
  }
  e.settle = e.fail = null;
}

// ---- idle-time conversion of prefetched slices ----

const converting = new Set<string>();
let idleScheduled = false;

type IdleDeadline = { timeRemaining(): number; didTimeout: boolean };
const requestIdle: (cb: (d: IdleDeadline) => void, opts: { timeout: number }) => void =
  typeof window !== 'undefined' && 'requestIdleCallback' in window
    ? (cb, opts) => window.requestIdleCallback(cb, opts)
    : (cb) => setTimeout(() => cb({ timeRemaining: () => 8, didTimeout: true }), 16);

function scheduleIdle(): void {
  if (idleScheduled) return;
  idleScheduled = true;
  requestIdle(drainConversions, { timeout: 250 });
}

function drainConversions(d: IdleDeadline): void {
  idleScheduled = false;
  for (const id of converting) {
    // one conversion is ~0.5 ms for 256²: stop while there is still room in the idle period
    if (d.timeRemaining() < 2 && !d.didTimeout) break;
    const e = cache.get(id);
    if (e) convertNow(id, e);
    else converting.delete(id); // evicted meanwhile
    if (d.didTimeout) break; // overdue: one per callback, then yield again
  }
  if (converting.size) scheduleIdle();
}

// ---- public API ----

/** Cached, timed-out load of one image, wanted on screen now. */
export function loadMriImage(imageId: string): Promise<MriImage> {
  return entryFor(imageId, true).promise;
}

/** The image if it is loaded (converting it now if it only waited for idle time); never fetches. */
export function peekMriImage(imageId: string): MriImage | null {
  const e = cache.get(imageId);
  if (!e) return null;
  if (!e.image && e.raw) {
    e.urgent = true;
    convertNow(imageId, e);
  }
  return e.image;
}

const queue: string[] = [];
let inFlight = 0;

/**
 * Warms the cache with `imageIds` (the neighbours of what is shown), most wanted first. Requests go
 * out PREFETCH_CONCURRENCY at a time; a newer call's wishes go before older ones, and the oldest are
 * dropped once the queue is full, so fast scrolling does not pile up requests for slices long passed.
 */
export function prefetch(imageIds: string[]): void {
  for (let i = imageIds.length - 1; i >= 0; i--) {
    const id = imageIds[i];
    if (cache.has(id)) continue;
    const at = queue.indexOf(id);
    if (at >= 0) queue.splice(at, 1);
    queue.unshift(id);
  }
  if (queue.length > PREFETCH_QUEUE_MAX) queue.length = PREFETCH_QUEUE_MAX;
  pump();
}

function pump(): void {
  while (inFlight < PREFETCH_CONCURRENCY && queue.length) {
    const id = queue.shift()!;
    if (cache.has(id)) continue;
    inFlight++;
    // the request is done when the engine has answered (conversion is the idle queue's business)
    void entryFor(id, false).answered.then(() => {
      inFlight--;
      pump();
    });
  }
}
