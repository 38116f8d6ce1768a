/**
 * Undersampling: mask type (from engine.info), acceleration, centre fraction, seed and the 2-D options;
 * a live preview of the mask over the k-space log-magnitude of the current slice, with the effective
 * acceleration and sampled fraction the engine reports for this exact mask (mask.make). The preview
 * is also an editor: 1-D masks toggle columns (click or drag), 2-D masks take a brush; the result is
 * a 'custom' mask, which can be saved (.npy / .png) and loaded again.
 */
import { memo, useEffect, useId, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Image, MaskInfo, MaskType, ScanInfo } from '../../src/contract/schemas';
import type { Notice as NoticeT } from '../state/app-state';
import { errorText, useEngine } from '../state/engine-context';
import {
  FIELD_LABELS,
  MASK_TYPE_LABELS,
  TWO_D_TYPES,
  type CustomMask,
  type MaskField,
  type MaskForm,
  type MaskValidation,
} from '../state/mask-form';
import { maskToGrey, parseNpy, toCustomMask, writeNpy } from '../state/mask-io';
import { downloadBlob } from '../state/download';
import { withTimeout } from '../viewer/timeout';
import { Notice } from './Notice';

export interface MaskPanelProps {
  form: MaskForm;
  check: MaskValidation;
  maskTypes: readonly MaskType[];
  scan: ScanInfo | null;
  slice: number;
  custom: CustomMask | null;
  notices: NoticeT[];
  onField(field: MaskField, value: string): void;
  onCustom(mask: CustomMask | null): void;
  onError(text: string): void;
  onDismiss(): void;
  /** the drawn mask, for the comparison figure */
  canvasRef?: React.RefObject<HTMLCanvasElement | null>;
}

export const MaskPanel = memo(function MaskPanel(p: MaskPanelProps) {
  const { form, check, maskTypes } = p;
  const id = useId();
  const errors = check.ok ? {} : check.errors;
  const twoD = TWO_D_TYPES.includes(form.type);
  const field = (name: Exclude<MaskField, 'type'>, testId: string, hint: string, placeholder?: string) => {
    const err = errors[name];
    return (
      <div className={`field ${err ? 'field-invalid' : ''}`}>
        <label htmlFor={`${id}-${name}`}>{FIELD_LABELS[name]}</label>
        <input
          id={`${id}-${name}`}
          data-testid={testId}
          type="text"
          inputMode="decimal"
          spellCheck={false}
          autoComplete="off"
          placeholder={placeholder}
          value={form[name] ?? ''}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-${name}-err` : `${id}-${name}-hint`}
          onChange={(e) => p.onField(name, e.target.value)}
        />
        {err ? (
          <p id={`${id}-${name}-err`} className="field-error" role="alert" data-testid="field-error" data-field={name}>
            {err}
          </p>
        ) : (
          <p id={`${id}-${name}-hint`} className="hint">
            {hint}
          </p>
        )}
      </div>
    );
  };
  const custom = form.type === 'custom';
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Undersampling mask</h2>
      <div className="field">
        <label htmlFor={`${id}-type`}>{FIELD_LABELS.type}</label>
        <select id={`${id}-type`} data-testid="mask-type" value={form.type} onChange={(e) => p.onField('type', e.target.value)}>
          {maskTypes.map((t) => (
            <option key={t} value={t} disabled={t === 'custom' && !p.custom}>
              {MASK_TYPE_LABELS[t] ?? t}
            </option>
          ))}
        </select>
        {errors.type && (
          <p className="field-error" role="alert" data-testid="field-error" data-field="type">
            {errors.type}
          </p>
        )}
      </div>
      {!custom && (
        <>
          <div className="field-grid">
            {field('acceleration', 'mask-accel', '1 – 64 ×')}
            {field('centerFraction', 'mask-center', '0 – 1, e.g. 0.08')}
          </div>
          {field('seed', 'mask-seed', 'blank = new random mask each run')}
        </>
      )}
      {twoD && (
        <div className="field-grid field-grid-3">
          {field('accelerationY', 'mask-accel-y', '1 – 16', 'auto')}
          {field('accelerationZ', 'mask-accel-z', '1 – 16', 'auto')}
          {field('calibration', 'mask-calib', 'box, px', 'auto')}
        </div>
      )}
      {custom && p.custom && (
        <p className="hint custom-source" data-testid="custom-source">
          Custom {p.custom.shape.length === 1 ? `${p.custom.shape[0]} columns` : `${p.custom.shape[0]}×${p.custom.shape[1]}`} ·{' '}
          {p.custom.source}{' '}
          <button type="button" className="link-button" onClick={() => p.onCustom(null)}>
            discard
          </button>
        </p>
      )}
      <MaskEditor {...p} />
      <Notice notice={p.notices.find((n) => n.area === 'mask')} onDismiss={p.onDismiss} />
    </section>
  );
});

type Brush = 'draw' | 'erase';

function MaskEditor({ scan, slice, check, onCustom, onError, canvasRef }: MaskPanelProps) {
  const api = useEngine();
  const id = useId();
  const ownCanvas = useRef<HTMLCanvasElement>(null);
  const canvas = canvasRef ?? ownCanvas;
  const fileInput = useRef<HTMLInputElement>(null);
  const [kspace, setKspace] = useState<Image | null>(null);
  const [mask, setMask] = useState<MaskInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [edit, setEdit] = useState(false);
  const [brush, setBrush] = useState<Brush>('draw');
  const [radius, setRadius] = useState(3);
  const working = useRef<{ data: Uint8Array; dims: 1 | 2; value: number } | null>(null);
  const spec = check.ok ? check.spec : null;
  const specKey = spec ? JSON.stringify({ ...spec, data: spec.data ? hashBytes(spec.data) : undefined }) : null;

  useEffect(() => {
    if (!scan) return;
    let live = true;
    const t = setTimeout(() => {
      withTimeout(api['scan.image']({ scanId: scan.scanId, slice, view: 'kspace' }), 20_000, 'loading k-space').then(
        (img) => live && setKspace(img),
        (e: unknown) => live && setError(errorText(e)),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [api, scan, slice]);

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
        (e: unknown) => {
          if (!live) return;
          setMask(null);
          setError(errorText(e));
        },
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
    draw(c, kspace, mask.dims, mask.data, mask.width, mask.numLowFrequencies);
  }, [kspace, mask, canvas]);

  const kShape = scan?.kspaceShape ?? [0, 0];
  const pointAt = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = Math.floor(((e.clientX - r.left) / r.width) * kShape[1]);
    const y = Math.floor(((e.clientY - r.top) / r.height) * kShape[0]);
    return { x: Math.max(0, Math.min(kShape[1] - 1, x)), y: Math.max(0, Math.min(kShape[0] - 1, y)) };
  };
  const paint = (x: number, y: number) => {
    const w = working.current;
    if (!w) return;
    const [H, W] = kShape;
    if (w.dims === 1) w.data[x] = w.value;
    else
      for (let yy = Math.max(0, y - radius); yy <= Math.min(H - 1, y + radius); yy++)
        for (let xx = Math.max(0, x - radius); xx <= Math.min(W - 1, x + radius); xx++)
          if ((xx - x) ** 2 + (yy - y) ** 2 <= radius * radius) w.data[yy * W + xx] = w.value;
    if (canvas.current && kspace) draw(canvas.current, kspace, w.dims, w.data, W, 0);
  };
  const onDown = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (!edit || !mask || e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const { x, y } = pointAt(e);
    const data = mask.data.slice();
    const value = mask.dims === 1 ? (data[x] ? 0 : 1) : brush === 'draw' ? 1 : 0;
    working.current = { data, dims: mask.dims, value };
    paint(x, y);
  };
  const onMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    if (!working.current) return;
    const { x, y } = pointAt(e);
    paint(x, y);
  };
  const onUp = () => {
    const w = working.current;
    working.current = null;
    if (!w || !scan) return;
    const [H, W] = scan.kspaceShape;
    onCustom({ data: w.data, shape: w.dims === 1 ? [W] : [H, W], source: 'drawn' });
  };

  const save = (fmt: 'npy' | 'png') => {
    if (!mask || !scan) return;
    const base = `mask-${mask.dims === 1 ? `${mask.width}cols` : `${mask.height}x${mask.width}`}`;
    if (fmt === 'npy') {
      const bytes = writeNpy(mask.data, mask.dims === 1 ? [mask.width] : [mask.height, mask.width]);
      downloadBlob(new Blob([bytes.slice().buffer], { type: 'application/octet-stream' }), `${base}.npy`);
      return;
    }
    const H = mask.dims === 1 ? 1 : mask.height;
    const c = document.createElement('canvas');
    c.width = mask.width;
    c.height = H;
    const ctx = c.getContext('2d')!;
    ctx.putImageData(new ImageData(maskToGrey(mask.data, mask.dims, H, mask.width), mask.width, H), 0, 0);
    c.toBlob((b) => b && downloadBlob(b, `${base}.png`), 'image/png');
  };

  const load = async (file: File) => {
    if (!scan) return;
    try {
      let m: CustomMask;
      if (/\.npy$/i.test(file.name)) {
        m = toCustomMask(parseNpy(new Uint8Array(await file.arrayBuffer())), scan.kspaceShape, file.name);
      } else if (/\.png$/i.test(file.name) || file.type === 'image/png') {
        const bmp = await createImageBitmap(file);
        const c = document.createElement('canvas');
        c.width = bmp.width;
        c.height = bmp.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(bmp, 0, 0);
        const px = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
        const grey = new Float64Array(bmp.width * bmp.height);
        for (let i = 0; i < grey.length; i++) grey[i] = px[4 * i] + px[4 * i + 1] + px[4 * i + 2] > 381 ? 1 : 0;
        m = toCustomMask({ shape: [bmp.height, bmp.width], data: grey }, scan.kspaceShape, file.name);
      } else {
        throw new Error(`${file.name}: load a .npy or .png mask`);
      }
      onCustom(m);
    } catch (e) {
      onError(`Could not load the mask: ${errorText(e)}`);
    }
  };

  return (
    <div className="mask-editor">
      <div className="mask-preview">
        <canvas
          ref={canvas}
          className={`mask-canvas ${mask ? '' : 'stale'} ${edit ? 'editing' : ''}`}
          style={scan ? { aspectRatio: `${scan.kspaceShape[1]} / ${scan.kspaceShape[0]}` } : undefined}
          role="img"
          aria-label={
            mask ? `Sampling mask over k-space: ${(mask.sampledFraction * 100).toFixed(1)} % sampled` : 'Sampling mask preview'
          }
          data-testid="mask-preview"
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={onUp}
        />
        <div className="mask-side">
          <dl className="mask-stats" data-testid="mask-stats">
            <dt>Effective R</dt>
            <dd data-testid="mask-effective">{mask ? `${mask.acceleration.toFixed(2)}×` : '—'}</dd>
            <dt>Sampled</dt>
            <dd data-testid="mask-sampled">{mask ? `${(mask.sampledFraction * 100).toFixed(1)} %` : '—'}</dd>
            <dt>Centre</dt>
            <dd>{mask ? `${mask.numLowFrequencies} ${mask.dims === 1 ? 'lines' : 'px'}` : '—'}</dd>
            <dt>Kind</dt>
            <dd>{mask ? (mask.dims === 1 ? '1-D lines' : '2-D points') : '—'}</dd>
          </dl>
          <div className="mask-tools">
            <button
              type="button"
              className={edit ? 'on' : undefined}
              aria-pressed={edit}
              onClick={() => setEdit((v) => !v)}
              disabled={!mask}
              data-testid="mask-edit"
              title="Edit the mask by hand: click or drag toggles columns (1-D); brush for 2-D masks"
            >
              {edit ? 'Editing…' : 'Edit'}
            </button>
            {edit && mask?.dims === 2 && (
              <>
                <span className="seg" role="group" aria-label="Brush mode">
                  {(['draw', 'erase'] as Brush[]).map((b) => (
                    <button
                      key={b}
                      type="button"
                      className={brush === b ? 'on' : undefined}
                      aria-pressed={brush === b}
                      onClick={() => setBrush(b)}
                    >
                      {b === 'draw' ? 'Draw' : 'Erase'}
                    </button>
                  ))}
                </span>
                <label htmlFor={`${id}-radius`} className="inline-label">
                  Brush
                </label>
                <select
                  id={`${id}-radius`}
                  value={radius}
                  onChange={(e) => setRadius(Number(e.target.value))}
                  className="mini-select"
                >
                  {[0, 1, 2, 3, 5, 8].map((r) => (
                    <option key={r} value={r}>
                      {2 * r + 1}px
                    </option>
                  ))}
                </select>
              </>
            )}
          </div>
          <div className="mask-tools">
            <button
              type="button"
              onClick={() => save('npy')}
              disabled={!mask}
              data-testid="mask-save-npy"
              title="Download the mask as a uint8 .npy"
            >
              .npy
            </button>
            <button
              type="button"
              onClick={() => save('png')}
              disabled={!mask}
              data-testid="mask-save-png"
              title="Download the mask as a PNG"
            >
              .png
            </button>
            <button
              type="button"
              onClick={() => fileInput.current?.click()}
              disabled={!scan}
              data-testid="mask-load"
              title="Load a .npy or .png mask"
            >
              Load…
            </button>
            <input
              ref={fileInput}
              type="file"
              accept=".npy,.png,image/png"
              hidden
              aria-label="Load a mask file"
              data-testid="mask-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void load(f);
              }}
            />
          </div>
        </div>
      </div>
      {edit && (
        <p className="hint">
          {mask?.dims === 1 ? 'Click or drag across columns to toggle them.' : 'Paint sampled points; Erase removes them.'}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="mask-error">
          Mask: {error}
        </p>
      )}
    </div>
  );
}

function hashBytes(b: Uint8Array): string {
  let h = 2166136261;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 16777619);
  return `${b.length}:${h >>> 0}`;
}

function draw(c: HTMLCanvasElement, k: Image, dims: 1 | 2, data: Uint8Array, maskWidth: number, numLow: number): void {
  const { width: w, height: h } = k;
  if (c.width !== w) c.width = w;
  if (c.height !== h) c.height = h;
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const out = ctx.createImageData(w, h);
  const px = out.data;
  const lo = k.min;
  const span = k.max - k.min || 1;
  const lowStart = dims === 1 ? Math.floor((maskWidth - numLow + 1) / 2) : -1;
  const lowEnd = lowStart + numLow;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const g = Math.max(0, Math.min(1, (k.data[i] - lo) / span));
      const sampled = dims === 1 ? data[x] !== 0 : data[y * maskWidth + x] !== 0;
      const o = 4 * i;
      if (!sampled) {
        const v = 14 + 70 * g;
        px[o] = v * 0.9;
        px[o + 1] = v * 0.9;
        px[o + 2] = v;
      } else if (dims === 1 && x >= lowStart && x < lowEnd) {
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
