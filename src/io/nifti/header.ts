/**
 * NIfTI-1 (348-byte) and NIfTI-2 (540-byte) headers, either byte order, and the voxel→world (RAS mm)
 * affine chosen as the standard says: sform when sform_code > 0, else qform, else plain pixdim scaling.
 */
import { printable } from '../printable';

export type Affine = number[][]; // 4×4, row-major, RAS millimetres

export interface NiftiHeader {
  version: 1 | 2;
  littleEndian: boolean;
  /** dim[1..dim[0]] */
  dims: number[];
  datatype: number;
  bitpix: number;
  pixdim: number[]; // pixdim[0..7]
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  quatern: [number, number, number];
  qoffset: [number, number, number];
  srow: [number[], number[], number[]];
  descrip: string;
  xyztUnits: number;
  /** true for a .hdr/.img pair (magic ni1/ni2): the data lives in a separate file */
  pair: boolean;
}

export interface DatatypeInfo {
  name: string;
  bytes: number;
  complex?: boolean;
}

export const DATATYPES: Record<number, DatatypeInfo> = {
  2: { name: 'uint8', bytes: 1 },
  4: { name: 'int16', bytes: 2 },
  8: { name: 'int32', bytes: 4 },
  16: { name: 'float32', bytes: 4 },
  32: { name: 'complex64', bytes: 8, complex: true },
  64: { name: 'float64', bytes: 8 },
  256: { name: 'int8', bytes: 1 },
  512: { name: 'uint16', bytes: 2 },
  768: { name: 'uint32', bytes: 4 },
  1024: { name: 'int64', bytes: 8 },
  1280: { name: 'uint64', bytes: 8 },
  1792: { name: 'complex128', bytes: 16, complex: true },
};

function cstr(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder('latin1').decode(end >= 0 ? b.subarray(0, end) : b).trim();
}

/** Parses the header at the start of `bytes`; `name` only labels errors. */
export function parseNiftiHeader(bytes: Uint8Array, name: string): NiftiHeader {
  if (bytes.length < 348) throw new Error(`${name}: too short for a NIfTI header (${bytes.length} bytes)`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le1 = v.getInt32(0, true);
  const be1 = v.getInt32(0, false);
  let version: 1 | 2;
  let le: boolean;
  if (le1 === 348 || be1 === 348) [version, le] = [1, le1 === 348];
  else if (le1 === 540 || be1 === 540) [version, le] = [2, le1 === 540];
  else throw new Error(`${name}: not a NIfTI file (sizeof_hdr is ${le1}, expected 348 or 540)`);
  if (version === 2 && bytes.length < 540) throw new Error(`${name}: truncated NIfTI-2 header (${bytes.length} bytes)`);
  const i16 = (o: number) => v.getInt16(o, le);
  const i32 = (o: number) => v.getInt32(o, le);
  const f32 = (o: number) => v.getFloat32(o, le);
  const f64 = (o: number) => v.getFloat64(o, le);
  const i64 = (o: number) => Number(v.getBigInt64(o, le));
  let h: NiftiHeader;
  if (version === 1) {
    const magic = cstr(bytes.subarray(344, 348));
    if (magic !== 'n+1' && magic !== 'ni1')
      throw new Error(`${name}: bad NIfTI-1 magic '${printable(magic)}' (Analyze 7.5 is not supported)`);
    const dim = Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i));
    h = {
      version,
      littleEndian: le,
      dims: dim.slice(1, 1 + Math.max(0, Math.min(7, dim[0]))),
      datatype: i16(70),
      bitpix: i16(72),
      pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
      voxOffset: f32(108),
      sclSlope: f32(112),
      sclInter: f32(116),
      xyztUnits: bytes[123],
      descrip: cstr(bytes.subarray(148, 228)),
      qformCode: i16(252),
      sformCode: i16(254),
      quatern: [f32(256), f32(260), f32(264)],
      qoffset: [f32(268), f32(272), f32(276)],
      srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f32(280 + 16 * r + 4 * c))) as NiftiHeader['srow'],
      pair: magic === 'ni1',
    };
    if (dim[0] < 1 || dim[0] > 7) throw new Error(`${name}: NIfTI dim[0] is ${dim[0]}, expected 1..7`);
  } else {
    const magic = cstr(bytes.subarray(4, 8));
    if (magic !== 'n+2' && magic !== 'ni2') throw new Error(`${name}: bad NIfTI-2 magic '${printable(magic)}'`);
    const dim = Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i));
    if (dim[0] < 1 || dim[0] > 7) throw new Error(`${name}: NIfTI dim[0] is ${dim[0]}, expected 1..7`);
    h = {
      version,
      littleEndian: le,
      dims: dim.slice(1, 1 + dim[0]),
      datatype: i16(12),
      bitpix: i16(14),
      pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
      voxOffset: i64(168),
      sclSlope: f64(176),
      sclInter: f64(184),
      descrip: cstr(bytes.subarray(240, 320)),
      qformCode: i32(344),
      sformCode: i32(348),
      quatern: [f64(352), f64(360), f64(368)],
      qoffset: [f64(376), f64(384), f64(392)],
      srow: [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => f64(400 + 32 * r + 8 * c))) as NiftiHeader['srow'],
      xyztUnits: i32(500),
      pair: magic === 'ni2',
    };
  }
  if (h.dims.some((d) => !Number.isInteger(d) || d < 1))
    throw new Error(`${name}: NIfTI dimensions ${JSON.stringify(h.dims)} are not all positive`);
  if (!DATATYPES[h.datatype])
    throw new Error(`${name}: NIfTI datatype ${h.datatype} is not supported (RGB and float128 are not)`);
  return h;
}

/** The qform rotation/translation (NIfTI-1 method 2), from the quaternion and qfac = pixdim[0]. */
export function qformAffine(h: NiftiHeader): Affine {
  const [b, c, d] = h.quatern;
  let a2 = 1 - (b * b + c * c + d * d);
  let [bb, cc, dd] = [b, c, d];
  if (a2 < 1e-7) {
    // the standard's rule: a (nearly) zero a means a 180° rotation; renormalise b, c, d
    const n = Math.hypot(b, c, d) || 1;
    [bb, cc, dd] = [b / n, c / n, d / n];
    a2 = 0;
  }
  const a = Math.sqrt(a2);
  const R = [
    [a * a + bb * bb - cc * cc - dd * dd, 2 * (bb * cc - a * dd), 2 * (bb * dd + a * cc)],
    [2 * (bb * cc + a * dd), a * a + cc * cc - bb * bb - dd * dd, 2 * (cc * dd - a * bb)],
    [2 * (bb * dd - a * cc), 2 * (cc * dd + a * bb), a * a + dd * dd - bb * bb - cc * cc],
  ];
  const qfac = h.pixdim[0] < 0 ? -1 : 1;
  const sp = [Math.abs(h.pixdim[1]) || 1, Math.abs(h.pixdim[2]) || 1, (Math.abs(h.pixdim[3]) || 1) * qfac];
  return [
    [R[0][0] * sp[0], R[0][1] * sp[1], R[0][2] * sp[2], h.qoffset[0]],
    [R[1][0] * sp[0], R[1][1] * sp[1], R[1][2] * sp[2], h.qoffset[1]],
    [R[2][0] * sp[0], R[2][1] * sp[1], R[2][2] * sp[2], h.qoffset[2]],
    [0, 0, 0, 1],
  ];
}

/** An affine that maps voxels to space at all: finite, and its 3×3 part not singular. */
function usable(A: Affine): boolean {
  if (!A.every((row) => row.every(Number.isFinite))) return false;
  const det =
    A[0][0] * (A[1][1] * A[2][2] - A[1][2] * A[2][1]) -
    A[0][1] * (A[1][0] * A[2][2] - A[1][2] * A[2][0]) +
    A[0][2] * (A[1][0] * A[2][1] - A[1][1] * A[2][0]);
  return Number.isFinite(det) && det !== 0;
}

/**
 * The voxel → world affine. A damaged sform or qform (NaN, infinite or singular: no orientation can be
 * read from it) is passed over for the next method, as if its code were 0; `source` says which was used.
 */
export function niftiAffine(h: NiftiHeader): { affine: Affine; source: 'sform' | 'qform' | 'pixdim' } {
  if (h.sformCode > 0) {
    const affine = [...h.srow.map((r) => [...r]), [0, 0, 0, 1]];
    if (usable(affine)) return { affine, source: 'sform' };
  }
  if (h.qformCode > 0) {
    const affine = qformAffine(h);
    if (usable(affine)) return { affine, source: 'qform' };
  }
  const p = (i: number) => {
    const v = Math.abs(h.pixdim[i]);
    return Number.isFinite(v) && v > 0 ? v : 1;
  };
  return {
    affine: [
      [p(1), 0, 0, 0],
      [0, p(2), 0, 0],
      [0, 0, p(3), 0],
      [0, 0, 0, 1],
    ],
    source: 'pixdim',
  };
}

/** Quaternion parameters of an affine's rotation (for writing the qform beside the sform). */
export function affineToQuatern(A: Affine): {
  quatern: [number, number, number];
  qoffset: [number, number, number];
  pixdim: [number, number, number];
  qfac: number;
} {
  const col = (j: number) => [A[0][j], A[1][j], A[2][j]];
  const sx = Math.hypot(...col(0)) || 1;
  const sy = Math.hypot(...col(1)) || 1;
  const sz = Math.hypot(...col(2)) || 1;
  const R = [0, 1, 2].map((i) => [A[i][0] / sx, A[i][1] / sy, A[i][2] / sz]);
  const det =
    R[0][0] * (R[1][1] * R[2][2] - R[1][2] * R[2][1]) -
    R[0][1] * (R[1][0] * R[2][2] - R[1][2] * R[2][0]) +
    R[0][2] * (R[1][0] * R[2][1] - R[1][1] * R[2][0]);
  const qfac = det < 0 ? -1 : 1;
  if (qfac < 0) for (let i = 0; i < 3; i++) R[i][2] = -R[i][2];
  // the standard's nifti_mat44_to_quatern
  let a = R[0][0] + R[1][1] + R[2][2] + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (R[2][1] - R[1][2])) / a;
    c = (0.25 * (R[0][2] - R[2][0])) / a;
    d = (0.25 * (R[1][0] - R[0][1])) / a;
  } else {
    const xd = 1 + R[0][0] - (R[1][1] + R[2][2]);
    const yd = 1 + R[1][1] - (R[0][0] + R[2][2]);
    const zd = 1 + R[2][2] - (R[0][0] + R[1][1]);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (R[0][1] + R[1][0])) / b;
      d = (0.25 * (R[0][2] + R[2][0])) / b;
      a = (0.25 * (R[2][1] - R[1][2])) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (R[0][1] + R[1][0])) / c;
      d = (0.25 * (R[1][2] + R[2][1])) / c;
      a = (0.25 * (R[0][2] - R[2][0])) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (R[0][2] + R[2][0])) / d;
      c = (0.25 * (R[1][2] + R[2][1])) / d;
      a = (0.25 * (R[1][0] - R[0][1])) / d;
    }
    if (a < 0) [b, c, d] = [-b, -c, -d];
  }
  return { quatern: [b, c, d], qoffset: [A[0][3], A[1][3], A[2][3]], pixdim: [sx, sy, sz], qfac };
}
