/**
 * The mask over the k-space log-magnitude of the current slice: sampled lines bright, skipped ones
 * dimmed, the fully sampled centre band in amber; with the effective acceleration and sampled fraction
 * the engine reports for this exact mask (mask.make).
 */
import { useEffect, useRef, useState } from 'react';
import type { Image, MaskInfo, MaskSpec, ScanInfo } from '../../src/contract/schemas';
import { errorText, useEngine } from '../state/engine-context';
import { withTimeout } from '../viewer/timeout';

export function MaskPreview({ scan, slice, spec }: { scan: ScanInfo | null; slice: number; spec: MaskSpec | null }) {
  const api = useEngine();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [kspace, setKspace] = useState<{ key: string; img: Image } | null>(null);
  const [mask, setMask] = useState<MaskInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const specKey = spec ? JSON.stringify(spec) : null;

  const kKey = scan ? `${scan.scanId}/${slice}` : null;
  useEffect(() => {
    if (!scan || !kKey) return;
    let live = true;
    const t = setTimeout(() => {
      withTimeout(api['scan.image']({ scanId: scan.scanId, slice, view: 'kspace' }), 20_000, 'loading k-space').then(
        (img) => live && setKspace({ key: kKey, img }),
        (e: unknown) => live && setError(errorText(e)),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, scan, slice, kKey]);

  useEffect(() => {
    if (!scan || !spec) {
      setMask(null);
      return;
    }
    let live = true;
    const [height, width] = scan.kspaceShape;
    const t = setTimeout(() => {
      withTimeout(api['mask.make']({ spec, height, width }), 20_000, 'making the mask').then(
        (m) => {
          if (!live) return;
          setMask(m);
          setError(null);
        },
        (e: unknown) => live && setError(errorText(e)),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // spec is compared by value
  }, [api, scan, specKey]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !kspace || !mask) return;
    draw(c, kspace.img, mask);
  }, [kspace, mask]);

  return (
    <div className="mask-preview">
      <canvas
        ref={canvas}
        className={`mask-canvas ${mask ? '' : 'stale'}`}
        style={scan ? { aspectRatio: `${scan.kspaceShape[1]} / ${scan.kspaceShape[0]}` } : undefined}
        role="img"
        aria-label={
          mask ? `Sampling mask over k-space: ${(mask.sampledFraction * 100).toFixed(1)} % sampled` : 'Sampling mask preview'
        }
        data-testid="mask-preview"
      />
      <dl className="mask-stats" data-testid="mask-stats">
        <dt>Effective R</dt>
        <dd>{mask ? `${mask.acceleration.toFixed(2)}×` : '—'}</dd>
        <dt>Sampled</dt>
        <dd>{mask ? `${(mask.sampledFraction * 100).toFixed(1)} %` : '—'}</dd>
        <dt>Centre</dt>
        <dd>{mask ? `${mask.numLowFrequencies} ${mask.dims === 1 ? 'lines' : 'cols'}` : '—'}</dd>
      </dl>
      {error && (
        <p className="field-error" role="alert">
          Mask preview: {error}
        </p>
      )}
    </div>
  );
}

function draw(c: HTMLCanvasElement, k: Image, m: MaskInfo): void {
  const { width: w, height: h } = k;
  if (c.width !== w) c.width = w;
  if (c.height !== h) c.height = h;
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const out = ctx.createImageData(w, h);
  const px = out.data;
  const lo = k.min;
  const span = k.max - k.min || 1;
  const lowStart = m.dims === 1 ? Math.floor((m.width - m.numLowFrequencies + 1) / 2) : -1;
  const lowEnd = lowStart + m.numLowFrequencies;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const g = Math.max(0, Math.min(1, (k.data[i] - lo) / span));
      const sampled = m.dims === 1 ? m.data[x] !== 0 : m.data[y * m.width + x] !== 0;
      const o = 4 * i;
      if (!sampled) {
        const v = 14 + 80 * g;
        px[o] = v * 0.9;
        px[o + 1] = v * 0.9;
        px[o + 2] = v;
      } else if (m.dims === 1 && x >= lowStart && x < lowEnd) {
        px[o] = 120 + 135 * g;
        px[o + 1] = 80 + 120 * g;
        px[o + 2] = 20 + 40 * g;
      } else {
        px[o] = 30 + 140 * g;
        px[o + 1] = 90 + 165 * g;
        px[o + 2] = 110 + 145 * g;
      }
      px[o + 3] = 255;
    }
  }
  ctx.putImageData(out, 0, 0);
}
