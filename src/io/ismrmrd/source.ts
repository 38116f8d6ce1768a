/**
 * An ISMRMRD HDF5 file as a scan: each (slice, contrast, repetition) is one slice of multi-coil k-space.
 *
 * Opening reads the XML header and the acquisition headers only — from the stored element bytes when
 * the layout allows it (see raw-rows.ts), so no sample is read — and builds an index of which rows make
 * which image. `readKspace(i)` then reads just image i's rows, in contiguous runs, through h5wasm.
 */
import { statSync } from 'node:fs';
import * as h5 from 'h5wasm/node';
import { basename } from 'node:path';
import { getDataset, openH5, readRows, readVlenStrings, type H5Dataset, type H5File } from '../hdf5/h5';
import { checkVlenDataset, GlobalHeapGuard, heapRefAt } from '../hdf5/heap-guard';
import { oneLineError, printable } from '../printable';
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
    private readonly guard: GlobalHeapGuard,
  ) {
    this.name = basename(path);
    const ds = getDataset(file, `${group}/data`);
    if (!ds) throw new Error(`${this.name}: no /${group}/data acquisitions`);
    if (ds.shape?.length !== 1) throw new Error(`${this.name}: /${group}/data is not a 1-D acquisition table`);
    // checked before the index is allocated: each acquisition stores at least a 16-byte reference to its
    // samples (and the samples themselves), so a larger count is a damaged dataspace
    const size = statSync(path).size;
    if (ds.shape[0] * 16 > size)
      throw new Error(
        `${this.name}: /${group}/data claims ${ds.shape[0]} acquisitions, more than a file of ${size} bytes can hold`,
      );
    const meta = ds.metadata as unknown as { size: number; compound_type?: { members: never[] } };
    const layout = acquisitionLayout(meta.compound_type?.members ?? [], meta.size, this.name);
    const { heads, from, refs } = readHeads(path, ds, layout, options.index ?? 'auto', guard);
    this.indexedFrom = from;
    this.index = buildIndex(heads, encoding, this.name);
    this.reader = (start, count, visit) => {
      refs?.check(guard, start, count);
      readRows(ds, start, count, (heap, at, rowSize) => {
        for (let i = 0; i < count; i++) {
          const hvl = at + i * rowSize + layout.dataInMemory;
          const len = heap.getUint32(hvl, true);
          const ptr = heap.getUint32(hvl + 4, true);
          visit(start + i, new Float32Array(heap.buffer, len > 0 ? ptr : 0, len));
        }
      });
    };

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
    const guard = new GlobalHeapGuard(path, name);
    try {
      const xmlDs = getDataset(f, `${group}/xml`);
      if (!getDataset(f, `${group}/data`)) throw new Error(`${name}: no /${group}/data acquisitions`);
      if (!xmlDs) throw new Error(`${name}: no /${group}/xml header`);
      // ISMRMRD stores the header as a string; decoding any other type (a damaged datatype message) can
      // trap inside h5wasm
      if (xmlDs.metadata.type !== h5.Module.H5T_class_t.H5T_STRING.value || (xmlDs.metadata.total_size ?? 1) !== 1)
        throw new Error(
          `${name}: /${group}/xml is not a text header (HDF5 type class ${xmlDs.metadata.type}, ${xmlDs.metadata.total_size} elements)`,
        );
      if (!checkVlenDataset(guard, path, xmlDs, `/${group}/xml`))
        throw new Error(`${name}: the storage of /${group}/xml is damaged or of a kind that cannot be checked before reading`);
      let xml = (xmlDs.metadata.vlen ? readVlenStrings(xmlDs) : xmlDs.value) as unknown;
      if (Array.isArray(xml)) xml = xml[0];
      if (xml instanceof Uint8Array) xml = new TextDecoder().decode(xml);
      if (typeof xml !== 'string') throw new Error(`${name}: /${group}/xml is not text`);
      return new IsmrmrdSource(path, f, parseIsmrmrdHeader(xml, name), xml, group, options, guard);
    } catch (e) {
      guard.close();
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
      const why = printable(String((e as Error)?.message ?? e).replace(`${this.name}: `, ''), 300);
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
    this.guard.close();
    this.file.close();
  }
}

/** The HDF5 library's own messages say nothing useful on their own: name the file. */
function namedError(e: unknown, name: string, path: string): Error {
  if (!(e instanceof Error)) return new Error(`${name}: unreadable ISMRMRD structure (${printable(String(e))})`);
  const msg = e.message;
  if (msg.startsWith(name) || msg.startsWith('file not found') || msg.includes(path)) return oneLineError(e);
  return new Error(`${name}: unreadable ISMRMRD structure (${printable(msg.split('\n')[0], 300)})`);
}

/**
 * The global-heap references (data, traj) of every row, from the stored element bytes, so that the
 * collections a read will touch are checked before h5wasm reads them (see heap-guard.ts).
 */
class RowRefs {
  private readonly length: Uint32Array[];
  private readonly collection: Float64Array[];
  private readonly index: Uint32Array[];
  private readonly checked: Uint8Array;

  constructor(
    rows: number,
    private readonly members: AcquisitionLayout['vlenStored'],
  ) {
    this.length = members.map(() => new Uint32Array(rows));
    this.collection = members.map(() => new Float64Array(rows));
    this.index = members.map(() => new Uint32Array(rows));
    this.checked = new Uint8Array(rows);
  }

  set(row: number, view: DataView): void {
    this.members.forEach((m, i) => {
      const r = heapRefAt(view, m.at);
      this.length[i][row] = r.length;
      this.collection[i][row] = r.collection;
      this.index[i][row] = r.index;
    });
  }

  /** Throws a named error unless h5wasm can read rows [start, start + count) without hanging or overflowing. */
  check(guard: GlobalHeapGuard, start: number, count: number): void {
    for (let row = start; row < start + count; row++) {
      if (this.checked[row]) continue;
      this.members.forEach((m, i) =>
        guard.check(
          { length: this.length[i][row], collection: this.collection[i][row], index: this.index[i][row] },
          m.elemBytes,
          `acquisition ${row} (${m.name})`,
        ),
      );
      this.checked[row] = 1;
    }
  }
}

function readHeads(
  path: string,
  ds: H5Dataset,
  layout: AcquisitionLayout,
  mode: 'auto' | 'hdf5',
  guard: GlobalHeapGuard,
): { heads: HeadTable; from: 'stored' | 'hdf5'; refs: RowRefs | null } {
  const n = ds.shape?.[0] ?? 0;
  // the stored element bytes give the heads and the heap references; without them (a layout that
  // reader does not handle) h5wasm reads unchecked
  const stored = n > 0 ? readHeadsStored(path, layout, n, ds) : null;
  if (mode === 'auto' && stored && agreesWithHdf5(ds, layout, stored, guard)) return { ...stored, from: 'stored' };
  // references from a layout the raw reader misread would refuse good rows: trusted only while the
  // heads they came with match what h5wasm reads (in 'auto' mode they just did not)
  let refs = mode === 'hdf5' ? (stored?.refs ?? null) : null;
  // without references every row is read unchecked, samples and all: check every heap in the file first
  if (!refs && n > 0) guard.checkAllCollections(`${ds.path} (indexed through HDF5)`);
  const heads = new HeadTable(n);
  for (let start = 0; start < n; start += INDEX_BLOCK) {
    const count = Math.min(INDEX_BLOCK, n - start);
    refs?.check(guard, start, count);
    readRows(ds, start, count, (heap, at, rowSize) => {
      for (let i = 0; i < count; i++) {
        const row = at + i * rowSize;
        heads.set(start + i, heap, row, layout, heap.getUint32(row + layout.dataInMemory, true));
      }
    });
    for (let row = start; refs && row < start + count; row++) if (!stored!.heads.sameRow(heads, row)) refs = null;
  }
  return { heads, from: 'hdf5', refs };
}

/**
 * The heads and heap references from the stored element bytes, or null when that reader does not
 * handle this file's layout.
 */
function readHeadsStored(
  path: string,
  layout: AcquisitionLayout,
  n: number,
  ds: H5Dataset,
): { heads: HeadTable; refs: RowRefs } | null {
  const heads = new HeadTable(n);
  const refs = new RowRefs(n, layout.vlenStored);
  try {
    const ref = ds.create_reference().ref_data;
    const address = Number(new DataView(Uint8Array.from(ref).buffer).getBigUint64(0, true));
    const elemSize = readStoredRows(path, address, n, (row, view) => {
      heads.set(row, view, 0, layout, view.getUint32(layout.dataStored, true));
      refs.set(row, view);
    });
    if (elemSize !== layout.storedSize) return null;
  } catch {
    // RawLayoutUnsupported, or a layout misread badly enough to index past a buffer: h5wasm decides
    return null;
  }
  return { heads, refs };
}

/** Whether h5wasm reads the same first, middle and last rows (three one-row reads, heap-checked first). */
function agreesWithHdf5(
  ds: H5Dataset,
  layout: AcquisitionLayout,
  stored: { heads: HeadTable; refs: RowRefs },
  guard: GlobalHeapGuard,
): boolean {
  const n = stored.heads.rows;
  const check = new HeadTable(n);
  for (const row of new Set([0, n >> 1, n - 1])) {
    stored.refs.check(guard, row, 1);
    readRows(ds, row, 1, (heap, at) => check.set(row, heap, at, layout, heap.getUint32(at + layout.dataInMemory, true)));
    if (!stored.heads.sameRow(check, row)) return false;
  }
  return true;
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
