/**
 * A scan the engine can reconstruct: slice-wise access to multi-coil k-space and, when the file has
 * one, a reference image. Every reader (fastMRI today; ISMRMRD, DICOM, NIfTI next) implements this.
 */
import { existsSync, statSync } from 'node:fs';
import { FastMriSource } from './fastmri';

export interface ScanSource {
  readonly format: 'fastmri';
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
  readKspace(slice: number): Float32Array;
  readTarget(slice: number): Float32Array | null;
  close(): void;
}

export async function openScan(path: string): Promise<ScanSource> {
  if (!existsSync(path)) throw new Error(`file not found: ${path}`);
  if (statSync(path).isDirectory()) throw new Error(`${path} is a directory; expected a fastMRI .h5 file`);
  return FastMriSource.open(path);
}
