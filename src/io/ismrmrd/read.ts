/**
 * ISMRMRD /dataset/data acquisitions → Cartesian k-space, one [coils, readout, phase] image per
 * (slice, contrast, repetition). Noise, navigator, phase-correction, dummy and feedback readouts are
 * skipped; parallel-calibration lines fill their k-space lines like imaging lines; repeated averages
 * are averaged; reversed readouts are flipped; readout oversampling is cropped away in image space.
 *
 * Assembly is split so that a file can be opened without reading its samples: the acquisition headers
 * become a {@link HeadTable} and then an {@link AcquisitionIndex} (which rows make which image, where
 * each line goes), and {@link assembleImage} later reads only the rows of one image.
 */
import * as h5 from 'h5wasm/node';
import { fft1c, ifft1c } from '../../kspace/fft2c';
import { printable } from '../printable';
import type { IsmrmrdEncoding } from './header';

/** ISMRMRD acquisition flags are numbered from 1: flag n is bit n − 1 (all used ones sit in the low word). */
const FLAG = {
  noise: 19,
  calibration: [20 /* parallel calibration */, 21 /* … and imaging */],
  reverse: 22,
  skip: [
    19 /* noise */, 23 /* navigation */, 24 /* phase correction */, 26 /* HP feedback */, 27 /* dummy scan */,
    28 /* RT feedback */, 29 /* surface-coil correction */,
  ],
};
const has = (flags: number, n: number) => ((flags >>> (n - 1)) & 1) === 1;

export interface AssembledKspace {
  /** one per (slice, contrast, repetition), in that nesting order (repetition fastest) */
  images: Float32Array[];
  labels: ImageLabel[];
  coils: number;
  /** readout samples after oversampling removal, phase-encode lines */
  height: number;
  width: number;
  counts: AcquisitionCounts;
}

export interface ImageLabel {
  slice: number;
  contrast: number;
  repetition: number;
}
export interface AcquisitionCounts {
  acquisitions: number;
  used: number;
  noise: number;
  calibration: number;
  skipped: number;
}

interface Member {
  name: string;
  offset: number;
  size: number;
  type: number;
  littleEndian?: boolean;
  compound_type?: { members: Member[] };
  vlen_type?: Member;
}

interface Field {
  at: number;
  size: number;
}
const HEAD_FIELDS = ['flags', 'samples', 'channels', 'center', 'ky', 'slice', 'contrast', 'repetition'] as const;
type HeadField = (typeof HEAD_FIELDS)[number];

/**
 * Where the fields the assembly needs sit in one element of /dataset/data: in memory as h5wasm reads it
 * (`ds.metadata`), and as stored in the file. The head holds no variable-length members, so its layout
 * is the same in both; each variable-length member is an 8-byte hvl_t in (wasm32) memory but a 16-byte
 * global-heap reference on disk (uint32 length, 8-byte collection address, uint32 index), which shifts
 * the members after it by 8 bytes.
 */
export interface AcquisitionLayout {
  fields: Record<HeadField, Field | null>;
  memorySize: number;
  storedSize: number;
  /** hvl_t of the `data` member in memory; offset of its uint32 length in the stored element */
  dataInMemory: number;
  dataStored: number;
  /**
   * Every variable-length member (data, traj) in the stored element: its 16-byte global-heap reference
   * (uint32 length, 8-byte collection address, uint32 object index) at `at`, `elemBytes` per element.
   */
  vlenStored: { name: string; at: number; elemBytes: number }[];
}

export function acquisitionLayout(members: Member[], memorySize: number, file: string): AcquisitionLayout {
  const head = members.find((m) => m.name === 'head');
  const dataIndex = members.findIndex((m) => m.name === 'data');
  if (!head || dataIndex < 0)
    throw new Error(`${file}: /dataset/data is not an ISMRMRD acquisition table (no head/data members)`);
  const hm = head.compound_type?.members ?? [];
  const at = (name: string): Member => {
    const m = hm.find((x) => x.name === name);
    if (!m) throw new Error(`${file}: acquisition header lacks '${name}'`);
    return m;
  };
  const field = (m: Member, base: number): Field => {
    if (![1, 2, 4, 8].includes(m.size) || m.littleEndian === false)
      throw new Error(`${file}: acquisition header field '${printable(m.name)}' is not a little-endian integer`);
    return { at: base + m.offset, size: m.size };
  };
  const idx = at('idx');
  const sub = (name: string) => {
    const m = idx.compound_type?.members.find((x) => x.name === name);
    return m ? field(m, head.offset + idx.offset) : null;
  };
  const data = members[dataIndex];
  const VLEN = h5.Module.H5T_class_t.H5T_VLEN.value;
  if (data.type !== VLEN || data.vlen_type?.size !== 4)
    throw new Error(`${file}: acquisition data is not a variable-length float32 array`);
  const vlenBefore = members.slice(0, dataIndex).filter((m) => m.type === VLEN).length;
  const vlenAll = members.filter((m) => m.type === VLEN).length;
  return {
    fields: {
      flags: field(at('flags'), head.offset),
      samples: field(at('number_of_samples'), head.offset),
      channels: field(at('active_channels'), head.offset),
      center: field(at('center_sample'), head.offset),
      ky: sub('kspace_encode_step_1'),
      slice: sub('slice'),
      contrast: sub('contrast'),
      repetition: sub('repetition'),
    },
    memorySize,
    storedSize: memorySize + 8 * vlenAll,
    dataInMemory: data.offset,
    dataStored: data.offset + 8 * vlenBefore,
    vlenStored: members.flatMap((m, i) =>
      m.type === VLEN
        ? [
            {
              name: m.name,
              at: m.offset + 8 * members.slice(0, i).filter((x) => x.type === VLEN).length,
              elemBytes: m.vlen_type?.size ?? 1,
            },
          ]
        : [],
    ),
  };
}

/** The header fields of every acquisition, by row. */
export class HeadTable {
  readonly columns: Record<HeadField | 'dataFloats', Uint32Array>;

  constructor(readonly rows: number) {
    this.columns = Object.fromEntries(
      [...HEAD_FIELDS, 'dataFloats'].map((k) => [k, new Uint32Array(rows)]),
    ) as HeadTable['columns'];
  }

  /** Decodes the head at `at` in `view`; `dataFloats` is the length of the row's data array. */
  set(row: number, view: DataView, at: number, layout: AcquisitionLayout, dataFloats: number): void {
    for (const name of HEAD_FIELDS) this.columns[name][row] = readField(view, at, layout.fields[name]);
    this.columns.dataFloats[row] = dataFloats;
  }

  /** Whether `row` holds the same values in both tables. */
  sameRow(other: HeadTable, row: number): boolean {
    return Object.keys(this.columns).every(
      (k) => this.columns[k as keyof HeadTable['columns']][row] === other.columns[k as keyof HeadTable['columns']][row],
    );
  }
}

function readField(view: DataView, at: number, f: Field | null): number {
  if (!f) return 0;
  const o = at + f.at;
  switch (f.size) {
    case 1:
      return view.getUint8(o);
    case 2:
      return view.getUint16(o, true);
    default:
      // 8-byte fields: only the flags, whose used bits are all in the low word
      return view.getUint32(o, true);
  }
}

/** Which rows make which image, and where each of their lines goes. */
export interface AcquisitionIndex {
  coils: number;
  /** encoded matrix (readout, phase) and the readout length kept after oversampling removal */
  nx: number;
  ny: number;
  rx: number;
  counts: AcquisitionCounts;
  labels: ImageLabel[];
  /** per image, its rows in file order */
  rows: Int32Array[];
  heads: HeadTable;
}

export function buildIndex(heads: HeadTable, enc: IsmrmrdEncoding, file: string): AcquisitionIndex {
  if (enc.trajectory !== 'cartesian')
    throw new Error(`${file}: trajectory '${printable(enc.trajectory)}' is not Cartesian; only Cartesian data can be assembled`);
  if (enc.encoded[2] > 1) throw new Error(`${file}: 3-D encoding (matrix z = ${enc.encoded[2]}) is not supported`);
  const nAcq = heads.rows;
  if (nAcq === 0) throw new Error(`${file}: /dataset/data holds no acquisitions`);
  const nx = enc.encoded[0];
  const ny = enc.encoded[1];
  const nSlices = enc.limits.slice + 1;
  const nContrasts = enc.limits.contrast + 1;
  const nReps = enc.limits.repetition + 1;
  const c = heads.columns;
  let coils = 0;
  const byKey = new Map<number, number[]>();
  const counts = { acquisitions: nAcq, used: 0, noise: 0, calibration: 0, skipped: 0 };
  for (let r = 0; r < nAcq; r++) {
    const flags = c.flags[r];
    if (has(flags, FLAG.noise)) counts.noise++;
    if (FLAG.skip.some((f) => has(flags, f))) {
      counts.skipped++;
      continue;
    }
    if (FLAG.calibration.some((f) => has(flags, f))) counts.calibration++;
    const [ns, nc, ky, sl, co, rep] = [c.samples[r], c.channels[r], c.ky[r], c.slice[r], c.contrast[r], c.repetition[r]];
    if (coils === 0) coils = nc;
    if (nc !== coils) throw new Error(`${file}: acquisitions have ${coils} and ${nc} channels`);
    if (ky >= ny || sl >= nSlices || co >= nContrasts || rep >= nReps) {
      throw new Error(
        `${file}: acquisition counters (line ${ky}, slice ${sl}, contrast ${co}, repetition ${rep}) exceed the header's encoding limits`,
      );
    }
    if (c.dataFloats[r] !== 2 * ns * nc)
      throw new Error(`${file}: acquisition data has ${c.dataFloats[r]} floats, header says ${nc} channels × ${ns} samples`);
    const key = (sl * nContrasts + co) * nReps + rep;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(r);
    counts.used++;
  }
  if (byKey.size === 0) throw new Error(`${file}: no imaging acquisitions (all ${nAcq} were noise or auxiliary data)`);
  checkImageSize(byKey, c.dataFloats, coils, nx, ny, file);
  const keys = [...byKey.keys()].sort((a, b) => a - b);
  return {
    coils,
    nx,
    ny,
    rx: Math.min(enc.recon[0], nx),
    counts,
    labels: keys.map((key) => ({
      slice: Math.floor(key / (nReps * nContrasts)),
      contrast: Math.floor(key / nReps) % nContrasts,
      repetition: key % nReps,
    })),
    rows: keys.map((key) => Int32Array.from(byKey.get(key)!)),
    heads,
  };
}

/** One image is allocated whole (coils × readout × phase, complex float32): never more than this. */
const MAX_IMAGE_BYTES = 2 ** 31;
/** An image this large must be backed by acquired samples: more than RATIO × its samples is a header error. */
const LARGE_IMAGE_BYTES = 256 * 2 ** 20;
const MAX_ZERO_FILL_RATIO = 64;

/**
 * Refuses, before anything is allocated, an encoded matrix that would make each image absurdly large:
 * beyond MAX_IMAGE_BYTES, or large and mostly zero-filled far beyond any undersampling (a damaged
 * header saying 9999999 readout samples where the acquisitions hold 64).
 */
function checkImageSize(
  byKey: Map<number, number[]>,
  dataFloats: Uint32Array,
  coils: number,
  nx: number,
  ny: number,
  file: string,
): void {
  const bytes = 8 * coils * nx * ny;
  const what = `${coils} coils × ${nx} × ${ny} (encoded matrix)`;
  if (bytes > MAX_IMAGE_BYTES)
    throw new Error(
      `${file}: one image of ${what} would need ${(bytes / 2 ** 30).toFixed(1)} GiB; the header's matrix size is not loadable`,
    );
  if (bytes <= LARGE_IMAGE_BYTES) return;
  for (const rows of byKey.values()) {
    let acquired = 0;
    for (const r of rows) acquired += 4 * dataFloats[r];
    if (bytes > MAX_ZERO_FILL_RATIO * acquired)
      throw new Error(
        `${file}: one image of ${what} would need ${(bytes / 2 ** 20).toFixed(0)} MiB but its acquisitions hold ${(acquired / 2 ** 20).toFixed(1)} MiB; the header's matrix size does not match the data`,
      );
  }
}

/**
 * Reads rows [start, start + count) and calls `visit(row, samples)` for each, `samples` being the row's
 * data (complex interleaved, valid only during the call).
 */
export type RowReader = (start: number, count: number, visit: (row: number, samples: Float32Array) => void) => void;

/** Bytes of sample data one read may pull in (HDF5 holds a block's vlen arrays until it is done). */
const BLOCK_BYTES = 16 << 20;

/** Image `image` of the index as [coils, readout, phase] complex k-space, reading only its rows. */
export function assembleImage(index: AcquisitionIndex, image: number, read: RowReader, file: string): Float32Array {
  const { coils, nx, ny, rx } = index;
  const rows = index.rows[image];
  const c = index.heads.columns;
  const k = new Float32Array(2 * coils * nx * ny);
  const hits = new Uint16Array(ny);
  const add = (r: number, data: Float32Array) => {
    const ns = c.samples[r];
    const nc = c.channels[r];
    if (data.length !== 2 * ns * nc)
      throw new Error(`${file}: acquisition ${r} has ${data.length} floats, header says ${nc} channels × ${ns} samples`);
    const ky = c.ky[r];
    // the echo centre lands on the matrix centre (partial echo leaves the rest zero)
    const offset = Math.floor(nx / 2) - c.center[r];
    const reverse = has(c.flags[r], FLAG.reverse);
    for (let ch = 0; ch < nc; ch++) {
      for (let s = 0; s < ns; s++) {
        const x = (reverse ? ns - 1 - s : s) + offset;
        if (x < 0 || x >= nx) continue;
        const o = 2 * ((ch * nx + x) * ny + ky);
        k[o] += data[2 * (ch * ns + s)];
        k[o + 1] += data[2 * (ch * ns + s) + 1];
      }
    }
    hits[ky]++;
  };
  // contiguous runs of this image's rows, each read in blocks of bounded size
  for (let i = 0; i < rows.length;) {
    const maxRows = Math.max(1, Math.floor(BLOCK_BYTES / (4 * c.dataFloats[rows[i]] || 1)));
    let j = i + 1;
    while (j < rows.length && rows[j] === rows[j - 1] + 1 && j - i < maxRows) j++;
    const start = rows[i];
    const count = j - i;
    let seen = 0;
    read(start, count, (r, data) => {
      add(r, data);
      seen++;
    });
    if (seen !== count) throw new Error(`${file}: read ${seen} of acquisitions ${start}–${start + count - 1}`);
    i = j;
  }
  for (let ch = 0; ch < coils; ch++) {
    for (let x = 0; x < nx; x++) {
      for (let y = 0; y < ny; y++) {
        if (hits[y] > 1) {
          const o = 2 * ((ch * nx + x) * ny + y);
          k[o] /= hits[y];
          k[o + 1] /= hits[y];
        }
      }
    }
  }
  return rx < nx ? removeOversampling(k, coils, nx, ny, rx) : k;
}

/** Readout to image space, keep the central rx samples, back to k-space (orthonormal both ways). */
export function removeOversampling(k: Float32Array, coils: number, nx: number, ny: number, rx: number): Float32Array {
  const out = new Float32Array(2 * coils * rx * ny);
  const from = Math.floor((nx - rx) / 2);
  const n2 = 2 * nx * ny;
  const r2 = 2 * rx * ny;
  for (let c = 0; c < coils; c++) {
    const img = ifft1c(k.subarray(c * n2, (c + 1) * n2), nx, ny, 0);
    const crop = img.subarray(2 * from * ny, 2 * (from + rx) * ny);
    out.set(fft1c(Float32Array.from(crop), rx, ny, 0), c * r2);
  }
  return out;
}
