/** An ISMRMRD HDF5 file as a scan: each (slice, contrast, repetition) is one slice of multi-coil k-space. */
import { basename } from 'node:path';
import { getDataset, openH5 } from '../hdf5/h5';
import type { ScanSource } from '../scan';
import { parseIsmrmrdHeader, type IsmrmrdEncoding } from './header';
import { assembleKspace, type AssembledKspace } from './read';

export interface IsmrmrdData {
  encoding: IsmrmrdEncoding;
  kspace: AssembledKspace;
  xml: string;
  group: string;
}

export async function readIsmrmrd(path: string, group = 'dataset'): Promise<IsmrmrdData> {
  const name = basename(path);
  const f = await openH5(path, 'r');
  try {
    const xmlDs = getDataset(f, `${group}/xml`);
    const dataDs = getDataset(f, `${group}/data`);
    if (!dataDs) throw new Error(`${name}: no /${group}/data acquisitions`);
    if (!xmlDs) throw new Error(`${name}: no /${group}/xml header`);
    let xml = xmlDs.value as unknown;
    if (Array.isArray(xml)) xml = xml[0];
    if (xml instanceof Uint8Array) xml = new TextDecoder().decode(xml);
    if (typeof xml !== 'string') throw new Error(`${name}: /${group}/xml is not text`);
    const encoding = parseIsmrmrdHeader(xml, name);
    return { encoding, kspace: assembleKspace(dataDs, encoding, name), xml, group };
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.startsWith(name) || msg.startsWith('file not found') || msg.includes(path)) throw e;
    throw new Error(`${name}: unreadable ISMRMRD structure (${msg.split('\n')[0]})`);
  } finally {
    f.close();
  }
}

export class IsmrmrdSource implements ScanSource {
  readonly format = 'ismrmrd' as const;
  readonly name: string;
  readonly slices: number;
  readonly coils: number;
  readonly height: number;
  readonly width: number;
  readonly imageShape: [number, number];
  readonly targetKey = null;
  readonly attributes: Record<string, string | number | boolean>;

  constructor(
    readonly path: string,
    private readonly data: IsmrmrdData,
  ) {
    const k = data.kspace;
    const e = data.encoding;
    this.name = basename(path);
    this.slices = k.images.length;
    this.coils = k.coils;
    this.height = k.height;
    this.width = k.width;
    this.imageShape = [Math.min(e.recon[0], k.height), Math.min(e.recon[1], k.width)];
    this.attributes = {
      encoded_matrix: e.encoded.join('x'),
      recon_matrix: e.recon.join('x'),
      trajectory: e.trajectory,
      acquisitions: k.counts.acquisitions,
      acquisitions_used: k.counts.used,
      noise_scans_skipped: k.counts.noise,
      calibration_lines: k.counts.calibration,
      slice_labels: k.labels.map((l) => `s${l.slice}c${l.contrast}r${l.repetition}`).join(' '),
    };
    if (e.fieldOfView) this.attributes.fov_mm = e.fieldOfView.join('x');
  }

  readKspace(slice: number): Float32Array {
    if (!Number.isInteger(slice) || slice < 0 || slice >= this.slices)
      throw new RangeError(`slice ${slice} is out of range (the scan has ${this.slices})`);
    return Float32Array.from(this.data.kspace.images[slice]);
  }

  readTarget(): Float32Array | null {
    return null;
  }

  close(): void {}
}

export async function openIsmrmrdSource(path: string): Promise<IsmrmrdSource> {
  return new IsmrmrdSource(path, await readIsmrmrd(path));
}
