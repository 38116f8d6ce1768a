/**
 * NumPy .npy reader and writer (format versions 1.0–3.0), little-endian float32 / float64 /
 * complex64 / complex128 / int / uint / bool, C order. Complex arrays come back interleaved
 * (re, im, re, im, …) in a Float32Array, the layout used across the engine.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { printable } from './printable';

export interface NpyArray {
  dtype: string; // numpy descr, e.g. '<f4', '<c8'
  shape: number[];
  /** float32 for real/complex float data (complex interleaved), the natural typed array otherwise */
  data: Float32Array | Float64Array | Int32Array | Uint8Array | Int16Array | Uint16Array | Int8Array | Uint32Array;
  complex: boolean;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Reads a .npy file; every error names it. */
export function readNpy(path: string): NpyArray {
  const name = basename(path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`file not found: ${path}`);
    if (code === 'EISDIR') throw new Error(`${path} is a directory, not a .npy file`);
    throw new Error(`${name}: cannot read (${(e as Error).message})`);
  }
  return parseNpy(bytes, name);
}

/** Parses .npy bytes; `name` (the file's name) starts every error message. */
export function parseNpy(bytes: Uint8Array, name = '.npy'): NpyArray {
  try {
    return parse(bytes);
  } catch (e) {
    throw new Error(`${name}: ${printable((e as Error).message, 300)}`);
  }
}

function parse(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new Error('not a .npy file: missing \\x93NUMPY magic');
  }
  const major = bytes[6];
  if (major < 1 || major > 3) throw new Error(`.npy format version ${major}.${bytes[7]} is not supported (1.0–3.0 are)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new Error(`.npy file is truncated inside its preamble (${bytes.length} bytes)`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerStart + headerLen > bytes.length)
    throw new Error(`.npy header length ${headerLen} runs past the end of the file (${bytes.length} bytes)`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error('.npy header is malformed');
  if (fortran === 'True') throw new Error('.npy in Fortran order is not supported');
  const dims = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (!dims.every((d) => /^\d+L?$/.test(d))) throw new Error(`.npy shape (${shapeText}) is not a tuple of non-negative integers`);
  const shape = dims.map((d) => Number(d.replace('L', '')));
  const count = shape.reduce((a, b) => a * b, 1);
  // checked before anything is allocated: the data must be in the file
  if (!Number.isSafeInteger(count) || count > bytes.length)
    throw new Error(`.npy shape (${shape.join(', ')}) holds ${count} elements, more than the file's ${bytes.length} bytes`);
  // copy (aligned, detached from the input); Uint8Array.slice even when handed a Node Buffer, whose
  // own slice() is a view that would keep the header in front of the data
  const body = Uint8Array.prototype.slice.call(bytes, headerStart + headerLen);
  const little = descr[0] === '<' || descr[0] === '|' || descr[0] === '=';
  if (!little) throw new Error(`.npy big-endian dtype ${descr} is not supported`);
  const kind = descr.slice(1);
  const need = (bytesPer: number) => {
    if (body.byteLength < count * bytesPer)
      throw new Error(`.npy data is truncated: ${body.byteLength} bytes for ${count} × ${bytesPer}`);
  };
  switch (kind) {
    case 'f4':
      need(4);
      return { dtype: descr, shape, complex: false, data: new Float32Array(body.buffer, 0, count) };
    case 'f8':
      need(8);
      return { dtype: descr, shape, complex: false, data: Float32Array.from(new Float64Array(body.buffer, 0, count)) };
    case 'c8':
      need(8);
      return { dtype: descr, shape, complex: true, data: new Float32Array(body.buffer, 0, 2 * count) };
    case 'c16':
      need(16);
      return { dtype: descr, shape, complex: true, data: Float32Array.from(new Float64Array(body.buffer, 0, 2 * count)) };
    case 'i4':
      need(4);
      return { dtype: descr, shape, complex: false, data: new Int32Array(body.buffer, 0, count) };
    case 'u4':
      need(4);
      return { dtype: descr, shape, complex: false, data: new Uint32Array(body.buffer, 0, count) };
    case 'i2':
      need(2);
      return { dtype: descr, shape, complex: false, data: new Int16Array(body.buffer, 0, count) };
    case 'u2':
      need(2);
      return { dtype: descr, shape, complex: false, data: new Uint16Array(body.buffer, 0, count) };
    case 'i1':
      need(1);
      return { dtype: descr, shape, complex: false, data: new Int8Array(body.buffer, 0, count) };
    case 'u1':
    case 'b1':
      need(1);
      return { dtype: descr, shape, complex: false, data: new Uint8Array(body.buffer, 0, count) };
    case 'i8': {
      need(8);
      const big = new BigInt64Array(body.buffer, 0, count);
      return { dtype: descr, shape, complex: false, data: Float32Array.from(big, (v) => Number(v)) };
    }
    default:
      throw new Error(`.npy dtype ${descr} is not supported`);
  }
}

/** Writes a float32 (or complex64 when `complex`, interleaved) array as .npy version 1.0. */
export function encodeNpy(data: Float32Array, shape: number[], complex = false): Uint8Array {
  const descr = complex ? '<c8' : '<f4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
