/**
 * Writes NIfTI-1 single files (.nii, or .nii.gz when the name says so) with the affine stored as both
 * sform and qform, so readers that honour only one of them place the volume the same way.
 */
import { gzipSync } from 'node:zlib';
import { writeFileAtomically } from '../atomic';
import { affineToQuatern, type Affine } from './header';
import { affineFromGeometry } from './orient';
import { defaultGeometry, type ImageVolume } from '../volume';

export interface NiftiWriteInput {
  /** voxels in file order (x fastest) */
  data: Float32Array | Int16Array | Uint16Array | Uint8Array;
  dims: number[];
  affine: Affine;
  /** pixdim[4..] and units beyond space are left at zero / unknown */
  descrip?: string;
  sclSlope?: number;
  sclInter?: number;
  /** NIFTI_XFORM_* code for both transforms; 1 = scanner anatomical */
  xformCode?: number;
}

const CODES = new Map<unknown, [number, number]>([
  [Float32Array, [16, 32]],
  [Int16Array, [4, 16]],
  [Uint16Array, [512, 16]],
  [Uint8Array, [2, 8]],
]);

export function encodeNifti1(input: NiftiWriteInput): Uint8Array {
  const { data, dims, affine } = input;
  if (dims.length < 1 || dims.length > 7) throw new RangeError(`NIfTI needs 1..7 dimensions, got ${dims.length}`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count)
    throw new RangeError(`NIfTI data has ${data.length} voxels, dimensions ${dims.join('×')} need ${count}`);
  if (dims.some((d) => d > 32767)) throw new RangeError(`NIfTI-1 dimensions are at most 32767, got ${dims.join('×')}`);
  const [datatype, bitpix] = CODES.get(data.constructor)!;
  const voxOffset = 352;
  const out = new Uint8Array(voxOffset + data.byteLength);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, true);
  out[39] = 0; // dim_info
  v.setInt16(40, dims.length, true);
  dims.forEach((d, i) => v.setInt16(42 + 2 * i, d, true));
  for (let i = dims.length; i < 7; i++) v.setInt16(42 + 2 * i, 1, true);
  v.setInt16(70, datatype, true);
  v.setInt16(72, bitpix, true);
  const q = affineToQuatern(affine);
  v.setFloat32(76, q.qfac, true);
  q.pixdim.forEach((p, i) => v.setFloat32(80 + 4 * i, p, true));
  v.setFloat32(108, voxOffset, true);
  v.setFloat32(112, input.sclSlope ?? (datatype === 16 ? 0 : 1), true);
  v.setFloat32(116, input.sclInter ?? 0, true);
  out[123] = 2; // xyzt_units: millimetres
  const descrip = new TextEncoder().encode((input.descrip ?? '').slice(0, 79));
  out.set(descrip.subarray(0, 79), 148);
  const code = input.xformCode ?? 1;
  v.setInt16(252, code, true);
  v.setInt16(254, code, true);
  q.quatern.forEach((x, i) => v.setFloat32(256 + 4 * i, x, true));
  q.qoffset.forEach((x, i) => v.setFloat32(268 + 4 * i, x, true));
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat32(280 + 16 * r + 4 * c, affine[r][c], true);
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  // bytes 348..351: extension flag 0 (no extensions)
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), voxOffset);
  return out;
}

export async function writeNifti(path: string, input: NiftiWriteInput): Promise<void> {
  const bytes = encodeNifti1(input);
  await writeFileAtomically(path, /\.gz$/i.test(path) ? gzipSync(bytes, { level: 6 }) : bytes);
}

/** A display-ordered float volume (slices × rows × cols) as float32 NIfTI with its patient geometry. */
export async function writeVolumeNifti(path: string, vol: ImageVolume, descrip?: string): Promise<void> {
  const [s, h, w] = vol.shape;
  const geometry = vol.geometry ?? defaultGeometry(vol.shape);
  await writeNifti(path, { data: vol.data, dims: [w, h, s], affine: affineFromGeometry(geometry), descrip });
}
