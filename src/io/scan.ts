/**
 * A scan the engine can reconstruct: slice-wise access to multi-coil k-space and, when the file has
 * one, a reference image. Every reader (fastMRI, ISMRMRD, DICOM, NIfTI) implements this.
 */
import { basename } from 'node:path';
import { detectFormat } from './detect';
import { openDicomSource } from './dicom/source';
import { FastMriSource } from './fastmri';
import { getDataset, listNames, openH5 } from './hdf5/h5';
import { openIsmrmrdSource } from './ismrmrd/source';
import { openNiftiSource } from './nifti/source';

export type ScanFormat = 'fastmri' | 'ismrmrd' | 'dicom' | 'nifti';

/** A titled list of what a file says about itself (DICOM tags, header fields), for the browser. */
export interface MetadataGroup {
  name: string;
  entries: { key: string; value: string }[];
}

export interface ScanSource {
  readonly format: ScanFormat;
  readonly path: string;
  readonly name: string;
  readonly slices: number;
  readonly coils: number;
  /** k-space rows (readout) and columns (phase encode) */
  readonly height: number;
  readonly width: number;
  /** the size reconstructions are cropped to */
  readonly imageShape: [number, number];
  readonly targetKey: string | null;
  readonly attributes: Record<string, string | number | boolean>;
  /** `out`, when given, receives the slice ([coils, rows, cols] complex) and is returned */
  readKspace(slice: number, out?: Float32Array): Float32Array;
  readTarget(slice: number): Float32Array | null;
  /** richer metadata than `attributes` where the format has it */
  metadata?(): MetadataGroup[];
  close(): void;
}

/** HDF5 files are fastMRI when they hold /kspace, ISMRMRD when they hold /dataset. */
async function hdf5Kind(path: string): Promise<'fastmri' | 'ismrmrd'> {
  const f = await openH5(path, 'r');
  let keys: string[];
  try {
    keys = f.keys();
    if (keys.includes('kspace')) return 'fastmri';
    if (keys.includes('dataset') || (getDataset(f, 'dataset/data') ?? null) !== null) return 'ismrmrd';
  } catch (e) {
    // the HDF5 library's own messages ("name not defined!") say nothing useful on their own
    throw new Error(
      `${basename(path)}: corrupt HDF5 structure, cannot list its contents (${(e as Error).message.split('\n')[0]})`,
    );
  } finally {
    f.close();
  }
  throw new Error(
    `${basename(path)}: HDF5 file with neither /kspace (fastMRI) nor /dataset (ISMRMRD); found: ${listNames(keys)}`,
  );
}

export async function openScan(path: string): Promise<ScanSource> {
  const kind = detectFormat(path);
  switch (kind) {
    case 'hdf5':
      return (await hdf5Kind(path)) === 'fastmri' ? FastMriSource.open(path) : openIsmrmrdSource(path);
    case 'dicom':
      return openDicomSource(path);
    case 'nifti':
      return openNiftiSource(path);
  }
}
