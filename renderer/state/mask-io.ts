/**
 * Mask files in the renderer: NumPy .npy (read: 1-D or 2-D, C order, bool/uint8/int/float of any
 * width and either byte order; write: uint8) and the fitting of a loaded array to the open scan's
 * k-space (a [W] column mask or an [H, W] sample mask; a 1×W or H×W image becomes the same). Pure.
 */
import type { CustomMask } from './mask-form';

export interface NdArray {
  shape: number[];
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array): NdArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('not a NumPy .npy file (bad magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw new Error('truncated .npy header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error('unreadable .npy header');
  if (fortran === 'True') throw new Error('Fortran-ordered .npy arrays are not supported (save with np.ascontiguousarray)');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error('bad .npy shape');
  const count = shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([biuf])(\d+)$/.exec(descr);
  if (!m) throw new Error(`unsupported .npy dtype '${descr}' (use bool, integers or floats)`);
  const little = m[1] !== '>';
  const kind = m[2];
  const size = Number(m[3]);
  const body = start + headerLen;
  if (body + count * size > bytes.length) throw new Error('truncated .npy data');
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = body + i * size;
    let v: number;
    if (kind === 'f') {
      if (size === 4) v = view.getFloat32(o, little);
      else if (size === 8) v = view.getFloat64(o, little);
      else throw new Error(`unsupported float size ${size}`);
    } else if (kind === 'b' || size === 1) {
      v = kind === 'i' ? view.getInt8(o) : view.getUint8(o);
    } else if (size === 2) v = kind === 'i' ? view.getInt16(o, little) : view.getUint16(o, little);
    else if (size === 4) v = kind === 'i' ? view.getInt32(o, little) : view.getUint32(o, little);
    else if (size === 8) v = Number(kind === 'i' ? view.getBigInt64(o, little) : view.getBigUint64(o, little));
    else throw new Error(`unsupported integer size ${size}`);
    out[i] = v;
  }
  return { shape, data: out };
}

/** A uint8 .npy (format 1.0). */
export function writeNpy(data: Uint8Array, shape: number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

/**
 * Fits an array to the scan's k-space [H, W]: [W] or [1, W] → a column mask; [H, W] → a 2-D mask
 * (collapsed to columns when every row is the same). Non-zero = sampled.
 */
export function toCustomMask(a: NdArray, kspace: readonly [number, number], source: string): CustomMask {
  const [H, W] = kspace;
  const bin = (v: number) => (v !== 0 && !Number.isNaN(v) ? 1 : 0);
  const shape = a.shape.length === 2 && a.shape[0] === 1 ? [a.shape[1]] : a.shape;
  if (shape.length === 1) {
    if (shape[0] !== W) throw new Error(`${source}: ${shape[0]} columns, but this scan's k-space has ${W}`);
    return { data: Uint8Array.from(a.data, bin), shape: [W], source };
  }
  if (shape.length === 2) {
    if (shape[0] !== H || shape[1] !== W)
      throw new Error(`${source}: ${shape[0]}×${shape[1]}, but this scan's k-space is ${H}×${W} (rows × columns)`);
    const data = Uint8Array.from(a.data, bin);
    let rowsSame = true;
    for (let y = 1; y < H && rowsSame; y++)
      for (let x = 0; x < W; x++)
        if (data[y * W + x] !== data[x]) {
          rowsSame = false;
          break;
        }
    return rowsSame ? { data: data.slice(0, W), shape: [W], source } : { data, shape: [H, W], source };
  }
  throw new Error(`${source}: a mask must be 1-D or 2-D (got ${shape.length}-D)`);
}

/** Expands a mask to H×W 0/255 grey pixels (for PNG export). */
export function maskToGrey(data: Uint8Array, dims: 1 | 2, H: number, W: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(H * W * 4);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const on = dims === 1 ? data[x] : data[y * W + x];
      const o = 4 * (y * W + x);
      out[o] = out[o + 1] = out[o + 2] = on ? 255 : 0;
      out[o + 3] = 255;
    }
  return out;
}
