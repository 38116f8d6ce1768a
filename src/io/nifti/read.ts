/**
 * Reads .nii, .nii.gz and .hdr/.img (NIfTI-1 or -2, either byte order) into a native typed array of
 * the file's datatype; scaling to float happens per slice so a 0.5 mm brain is not held twice as float.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DATATYPES, niftiAffine, parseNiftiHeader, type Affine, type NiftiHeader } from './header';

export type VoxelArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface NiftiImage {
  header: NiftiHeader;
  affine: Affine;
  affineSource: 'sform' | 'qform' | 'pixdim';
  /** voxels in file order (x fastest); complex types interleaved (re, im) */
  voxels: VoxelArray;
  /** voxels per 3-D volume, and how many volumes (product of dims 4..7) */
  volumeSize: number;
  volumes: number;
}

/** Largest decompressed size we accept: guards against a gzip bomb or an absurd header. */
const MAX_BYTES = 2 ** 31 - 1;

function gunzipIfNeeded(buf: Uint8Array, name: string): Uint8Array {
  if (buf[0] !== 0x1f || buf[1] !== 0x8b) return buf;
  try {
    return gunzipSync(buf, { maxOutputLength: MAX_BYTES });
  } catch (e) {
    throw new Error(`${name}: gzip data is corrupt or truncated (${(e as Error).message.split('\n')[0]})`);
  }
}

function readBytes(path: string): Uint8Array {
  if (!existsSync(path)) throw new Error(`file not found: ${path}`);
  if (statSync(path).isDirectory()) throw new Error(`${path} is a directory, not a NIfTI file`);
  const buf = readFileSync(path);
  if (buf.length === 0) throw new Error(`${basename(path)} is empty (0 bytes)`);
  return gunzipIfNeeded(buf, basename(path));
}

function typed(datatype: number, bytes: Uint8Array, count: number, littleEndian: boolean): VoxelArray {
  const info = DATATYPES[datatype];
  const elem = info.complex ? info.bytes / 2 : info.bytes;
  const n = info.complex ? 2 * count : count;
  // slice() gives an aligned copy owned by us
  const body = Uint8Array.prototype.slice.call(bytes, 0, n * elem) as Uint8Array;
  if (!littleEndian && elem > 1) {
    for (let i = 0; i < body.length; i += elem) body.subarray(i, i + elem).reverse();
  }
  const b = body.buffer;
  switch (info.name) {
    case 'uint8':
      return new Uint8Array(b, 0, n);
    case 'int8':
      return new Int8Array(b, 0, n);
    case 'int16':
      return new Int16Array(b, 0, n);
    case 'uint16':
      return new Uint16Array(b, 0, n);
    case 'int32':
      return new Int32Array(b, 0, n);
    case 'uint32':
      return new Uint32Array(b, 0, n);
    case 'float32':
    case 'complex64':
      return new Float32Array(b, 0, n);
    case 'float64':
    case 'complex128':
      return new Float64Array(b, 0, n);
    case 'int64':
      return new BigInt64Array(b, 0, n);
    case 'uint64':
      return new BigUint64Array(b, 0, n);
  }
  throw new Error(`NIfTI datatype ${datatype} is not supported`);
}

export function isNiftiPath(path: string): boolean {
  return /\.(nii|nii\.gz|hdr|hdr\.gz)$/i.test(path);
}

export function readNifti(path: string): NiftiImage {
  const name = basename(path);
  const bytes = readBytes(path);
  const header = parseNiftiHeader(bytes, name);
  const info = DATATYPES[header.datatype];
  const volumeSize = header.dims.slice(0, 3).reduce((a, b) => a * b, 1);
  const volumes = header.dims.slice(3).reduce((a, b) => a * b, 1);
  const total = volumeSize * volumes;
  const need = total * info.bytes;
  if (!Number.isSafeInteger(need) || need > MAX_BYTES) {
    throw new Error(`${name}: dimensions ${header.dims.join('×')} of ${info.name} need ${need} bytes, more than we load`);
  }
  let data: Uint8Array;
  if (header.pair) {
    const img = path.replace(/\.hdr(\.gz)?$/i, '.img$1');
    if (img === path) throw new Error(`${name}: a NIfTI header without data (magic ni${header.version}) must be a .hdr file`);
    data = readBytes(img);
  } else {
    const off = header.voxOffset;
    if (!Number.isInteger(off) || off < (header.version === 1 ? 348 : 540))
      throw new Error(`${name}: vox_offset ${off} is invalid`);
    data = bytes.subarray(off);
  }
  if (data.length < need)
    throw new Error(
      `${name}: voxel data is truncated (${data.length} bytes, dimensions ${header.dims.join('×')} of ${info.name} need ${need})`,
    );
  const { affine, source } = niftiAffine(header);
  return {
    header,
    affine,
    affineSource: source,
    voxels: typed(header.datatype, data, total, header.littleEndian),
    volumeSize,
    volumes,
  };
}

/** scl_slope/scl_inter as the standard applies them: a slope of 0 (or non-finite) means no scaling. */
export function niftiScaling(h: NiftiHeader): { slope: number; inter: number } {
  const ok = Number.isFinite(h.sclSlope) && h.sclSlope !== 0;
  return ok ? { slope: h.sclSlope, inter: Number.isFinite(h.sclInter) ? h.sclInter : 0 } : { slope: 1, inter: 0 };
}

/** Scaled float value of voxel `index` (complex → magnitude). */
export function voxelReader(img: NiftiImage): (index: number) => number {
  const { slope, inter } = niftiScaling(img.header);
  const v = img.voxels;
  if (DATATYPES[img.header.datatype].complex) {
    const f = v as Float32Array | Float64Array;
    return (i) => Math.hypot(f[2 * i], f[2 * i + 1]) * slope + inter;
  }
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return (i) => Number(v[i]) * slope + inter;
  const n = v as Float64Array;
  if (slope === 1 && inter === 0) return (i) => n[i];
  return (i) => n[i] * slope + inter;
}
