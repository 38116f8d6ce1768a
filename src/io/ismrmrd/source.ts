/**
 * An ISMRMRD HDF5 file as a scan: each (slice, contrast, repetition) is one slice of multi-coil k-space.
 *
 * Opening reads the XML header and the acquisition headers only — from the stored element bytes when
 * the layout allows it (see raw-rows.ts), so no sample is read — and builds an index of which rows make
 * which image. `readKspace(i)` then reads just image i's rows, in contiguous runs, through h5wasm.
 */
import { basename } from 'node:path';
import { getDataset, openH5, readRows, type H5Dataset, type H5File } from '../hdf5/h5';
import type { ScanSource } from '../scan';
import { parseIsmrmrdHeader, type IsmrmrdEncoding } from './header';
import { readStoredRows } from './raw-rows';
import {
  acquisitionLayout,
  assembleImage,
  buildIndex,
  HeadTable,
  type AcquisitionCounts,
  type AcquisitionIndex,
  type AcquisitionLayout,
  type AssembledKspace,
  type RowReader,
} from './read';

export interface IsmrmrdData {
  encoding: IsmrmrdEncoding;
  kspace: AssembledKspace;
  xml: string;
  group: string;
}

export interface IsmrmrdOpenOptions {
  group?: string;
  /**
   * How the acquisition headers are indexed on open: 'auto' (default) reads them from the stored
   * element bytes and falls back to h5wasm when the layout is one that reader does not handle; 'hdf5'
   * always reads them through h5wasm, whose reads also pull in every row's samples (kept for tests and
   * for files the stored-bytes reader gets wrong).
   */
  index?: 'auto' | 'hdf5';
}

/** Rows per h5wasm read while indexing through h5wasm (their samples are read, then freed, per block). */
const INDEX_BLOCK = 64;

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
  /** where the acquisition index came from: the stored element bytes, or h5wasm row reads */
  readonly indexedFrom: 'stored' | 'hdf5';
  readonly labels: AssembledKspace['labels'];
  readonly counts: AcquisitionCounts;
  private readonly index: AcquisitionIndex;
  private readonly reader: RowReader;

  private constructor(
    readonly path: string,
    private readonly file: H5File,
    readonly encoding: IsmrmrdEncoding,
    readonly xml: string,
    readonly group: string,
    options: IsmrmrdOpenOptions,
  ) {
    this.name = basename(path);
    const ds = getDataset(file, `${group}/data`);
    if (!ds) throw new Error(`${this.name}: no /${group}/data acquisitions`);
    if (ds.shape?.length !== 1) throw new Error(`${this.name}: /${group}/data is not a 1-D acquisition table`);
    const meta = ds.metadata as unknown as { size: number; compound_type?: { members: never[] } };
    const layout = acquisitionLayout(meta.compound_type?.members ?? [], meta.size, this.name);
    const { heads, from } = readHeads(path, ds, layout, options.index ?? 'auto');
    this.indexedFrom = from;
    this.index = buildIndex(heads, encoding, this.name);
    this.reader = (start, count, visit) =>
      readRows(ds, start, count, (heap, at, rowSize) => {
        for (let i = 0; i < count; i++) {
          const hvl = at + i * rowSize + layout.dataInMemory;
          const len = heap.getUint32(hvl, true);
          const ptr = heap.getUint32(hvl + 4, true);
          visit(start + i, new Float32Array(heap.buffer, len > 0 ? ptr : 0, len));
        }
      });

    const k = this.index;
    const e = encoding;
    this.labels = k.labels;
    this.counts = k.counts;
    this.slices = k.rows.length;
    this.coils = k.coils;
    this.height = k.rx;
    this.width = k.ny;
    this.imageShape = [Math.min(e.recon[0], k.rx), Math.min(e.recon[1], k.ny)];
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

  static async open(path: string, options: IsmrmrdOpenOptions = {}): Promise<IsmrmrdSource> {
    const name = basename(path);
    const group = options.group ?? 'dataset';
    const f = await openH5(path, 'r');
    try {
      const xmlDs = getDataset(f, `${group}/xml`);
      if (!getDataset(f, `${group}/data`)) throw new Error(`${name}: no /${group}/data acquisitions`);
      if (!xmlDs) throw new Error(`${name}: no /${group}/xml header`);
      let xml = xmlDs.value as unknown;
      if (Array.isArray(xml)) xml = xml[0];
      if (xml instanceof Uint8Array) xml = new TextDecoder().decode(xml);
      if (typeof xml !== 'string') throw new Error(`${name}: /${group}/xml is not text`);
      return new IsmrmrdSource(path, f, parseIsmrmrdHeader(xml, name), xml, group, options);
    } catch (e) {
      f.close();
      throw namedError(e, name, path);
    }
  }

  /** k-space of one image as [coils, readout, phase], complex interleaved; reads only that image's acquisitions. */
  readKspace(slice: number, out?: Float32Array): Float32Array {
    if (!Number.isInteger(slice) || slice < 0 || slice >= this.slices)
      throw new RangeError(`slice ${slice} is out of range (the scan has ${this.slices})`);
    let k: Float32Array;
    try {
      k = assembleImage(this.index, slice, this.reader, this.name);
    } catch (e) {
      const l = this.labels[slice];
      const why = (e as Error).message.split('\n')[0].replace(`${this.name}: `, '');
      throw new Error(`${this.name}: cannot read slice ${slice} (s${l.slice}c${l.contrast}r${l.repetition}): ${why}`);
    }
    if (!out) return k;
    if (out.length !== k.length) throw new RangeError(`readKspace: out holds ${out.length} floats, the slice has ${k.length}`);
    out.set(k);
    return out;
  }

  readTarget(): Float32Array | null {
    return null;
  }

  close(): void {
    this.file.close();
  }
}

/** The HDF5 library's own messages say nothing useful on their own: name the file. */
function namedError(e: unknown, name: string, path: string): Error {
  const msg = (e as Error).message;
  if (msg.startsWith(name) || msg.startsWith('file not found') || msg.includes(path)) return e as Error;
  return new Error(`${name}: unreadable ISMRMRD structure (${msg.split('\n')[0]})`);
}

function readHeads(
  path: string,
  ds: H5Dataset,
  layout: AcquisitionLayout,
  mode: 'auto' | 'hdf5',
): { heads: HeadTable; from: 'stored' | 'hdf5' } {
  const n = ds.shape?.[0] ?? 0;
  if (mode === 'auto' && n > 0) {
    const stored = readHeadsStored(path, ds, layout, n);
    if (stored) return { heads: stored, from: 'stored' };
  }
  const heads = new HeadTable(n);
  for (let start = 0; start < n; start += INDEX_BLOCK) {
    const count = Math.min(INDEX_BLOCK, n - start);
    readRows(ds, start, count, (heap, at, rowSize) => {
      for (let i = 0; i < count; i++) {
        const row = at + i * rowSize;
        heads.set(start + i, heap, row, layout, heap.getUint32(row + layout.dataInMemory, true));
      }
    });
  }
  return { heads, from: 'hdf5' };
}

/**
 * The heads from the stored element bytes, or null when that reader does not handle this file's layout
 * or disagrees with h5wasm on the first, middle and last rows (checked through three one-row reads).
 */
function readHeadsStored(path: string, ds: H5Dataset, layout: AcquisitionLayout, n: number): HeadTable | null {
  const heads = new HeadTable(n);
  try {
    const ref = ds.create_reference().ref_data;
    const address = Number(new DataView(Uint8Array.from(ref).buffer).getBigUint64(0, true));
    const elemSize = readStoredRows(path, address, n, (row, view) =>
      heads.set(row, view, 0, layout, view.getUint32(layout.dataStored, true)),
    );
    if (elemSize !== layout.storedSize) return null;
  } catch {
    // RawLayoutUnsupported, or a layout misread badly enough to index past a buffer: h5wasm decides
    return null;
  }
  const check = new HeadTable(n);
  for (const row of new Set([0, n >> 1, n - 1])) {
    readRows(ds, row, 1, (heap, at) => check.set(row, heap, at, layout, heap.getUint32(at + layout.dataInMemory, true)));
    if (!heads.sameRow(check, row)) return null;
  }
  return heads;
}

export async function openIsmrmrdSource(path: string, options: IsmrmrdOpenOptions = {}): Promise<IsmrmrdSource> {
  return IsmrmrdSource.open(path, options);
}

/** The whole file assembled at once: every image in memory (the scan source reads them one at a time). */
export async function readIsmrmrd(path: string, group = 'dataset'): Promise<IsmrmrdData> {
  const s = await IsmrmrdSource.open(path, { group });
  try {
    const images = Array.from({ length: s.slices }, (_, i) => s.readKspace(i));
    return {
      encoding: s.encoding,
      xml: s.xml,
      group,
      kspace: {
        images,
        labels: s.labels,
        coils: s.coils,
        height: s.height,
        width: s.width,
        counts: s.counts,
      },
    };
  } finally {
    s.close();
  }
}
