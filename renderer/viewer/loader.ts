/**
 * The 'mri' cornerstone image loader: fetches a slice through the engine contract, converts it to Int16
 * with slope/intercept (see image-convert.ts) and keeps a small LRU of loaded images keyed by image id
 * (= source, slice, view). Every load has a timeout; failed loads are evicted so a retry refetches.
 */
import cornerstone, { type CornerstoneImage } from 'cornerstone-core';
import type { EngineApi, Image } from '../../src/contract/schemas';
import { percentileWindow, toInt16 } from './image-convert';
import { parseImageId, SCHEME } from './image-ids';
import { Lru } from './lru';
import { withTimeout } from './timeout';

export interface MriImage extends CornerstoneImage {
  /** engine-side facts the viewer uses for default windows and overlays */
  mri: { min: number; max: number; window: { center: number; width: number }; data: Float32Array };
}

export const LOAD_TIMEOUT_MS = 20_000;
const cache = new Lru<string, Promise<MriImage>>(192);
let api: EngineApi | null = null;
let registered = false;

/** Points the loader at the engine; registers it with cornerstone once. */
export function initImageLoader(engine: EngineApi): void {
  if (api !== engine) cache.clear();
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
  const window = percentileWindow(img.data);
  const pixels = c.pixels;
  return {
    imageId,
    minPixelValue: c.minPixelValue,
    maxPixelValue: c.maxPixelValue,
    slope: c.slope,
    intercept: c.intercept,
    windowCenter: window.center,
    windowWidth: window.width,
    getPixelData: () => pixels,
    rows: c.height,
    columns: c.width,
    height: c.height,
    width: c.width,
    color: false,
    columnPixelSpacing: 1,
    rowPixelSpacing: 1,
    invert: false,
    sizeInBytes: pixels.byteLength,
    mri: { min: img.min, max: img.max, window, data: img.data },
  };
}

/** Cached, timed-out load of one image (also used for prefetching neighbours). */
export function loadMriImage(imageId: string): Promise<MriImage> {
  const hit = cache.get(imageId);
  if (hit) return hit;
  const p = fetchImage(imageId).then((img) => toCornerstoneImage(imageId, img));
  cache.set(imageId, p);
  p.catch(() => {
    if (cache.get(imageId) === p) cache.delete(imageId);
  });
  return p;
}

export function prefetch(imageIds: string[]): void {
  for (const id of imageIds) loadMriImage(id).catch(() => undefined);
}
