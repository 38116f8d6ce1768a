/** Which reader a path needs, decided by content (magic bytes, HDF5 layout), the name only as a tiebreak. */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ScanFormat } from './scan';

function head(path: string, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function niftiMagic(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return [348, 540].includes(v.getInt32(0, true)) || [348, 540].includes(v.getInt32(0, false));
}

/** 'hdf5' still has to be told apart (fastMRI vs ISMRMRD) by looking inside. */
export function detectFormat(path: string): Exclude<ScanFormat, 'fastmri' | 'ismrmrd'> | 'hdf5' {
  if (!existsSync(path)) throw new Error(`file not found: ${path}`);
  if (statSync(path).isDirectory()) return 'dicom';
  if (statSync(path).size === 0) throw new Error(`${path} is empty (0 bytes)`);
  const b = head(path, 1024);
  if (HDF5.every((x, i) => b[i] === x)) return 'hdf5';
  if (b.length >= 132 && String.fromCharCode(...b.subarray(128, 132)) === 'DICM') return 'dicom';
  if (b[0] === 0x1f && b[1] === 0x8b) {
    let inner: Uint8Array = new Uint8Array(0);
    try {
      // only the header: a partial gunzip of the first KiB is enough
      inner = gunzipSync(head(path, 64 * 1024), { finishFlush: 2 /* Z_SYNC_FLUSH */ });
    } catch {
      // fall through to the name
    }
    if (niftiMagic(inner) || /\.nii\.gz$/i.test(path)) return 'nifti';
  }
  if (niftiMagic(b) && (b[344] === 0x6e || b[4] === 0x6e)) return 'nifti';
  if (/\.(nii|nii\.gz)$/i.test(path)) return 'nifti';
  if (/\.(dcm|ima)$/i.test(path)) return 'dicom';
  if (/\.(h5|hdf5|mrd)$/i.test(path)) return 'hdf5';
  throw new Error(`${path}: unknown format (expected fastMRI or ISMRMRD HDF5, DICOM, or NIfTI)`);
}
