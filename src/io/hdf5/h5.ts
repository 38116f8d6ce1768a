/**
 * Thin, fast access to HDF5 through h5wasm's Node build (which reads the real file system lazily).
 * Hyperslab reads go through the module's low-level `get_dataset_data` into a buffer we allocate,
 * because `Dataset.slice()` decodes complex compounds element by element into JS arrays (≈90× slower).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import * as h5 from 'h5wasm/node';

export type H5File = h5.File;
export type H5Dataset = h5.Dataset;

let readyPromise: Promise<unknown> | null = null;
export async function h5ready(): Promise<void> {
  readyPromise ??= h5.ready;
  await readyPromise;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Throws a one-line error unless `path` is a readable, non-empty HDF5 file. */
export function assertHdf5File(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new Error(`${path} is a directory, not an HDF5 file`);
    size = st.size;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new Error(`file not found: ${path}`);
    if (err.code === 'EACCES') throw new Error(`permission denied: ${path}`);
    throw err;
  }
  if (size === 0) throw new Error(`${path} is empty (0 bytes)`);
  // the superblock sits at 0, 512, 1024, 2048, … (a user block may precede it)
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      readSync(fd, buf, 0, 64, at);
      if (SIGNATURE.every((b, i) => buf[i] === b)) {
        const eof = superblockEndOfFile(buf);
        if (eof !== null && at + eof > size) {
          throw new Error(`${path} is truncated: ${size} bytes on disk, its HDF5 superblock says ${at + eof}`);
        }
        return;
      }
      if (at > 1 << 20) break;
    }
  } finally {
    closeSync(fd);
  }
  throw new Error(`${path} is not an HDF5 file (no HDF5 signature)`);
}

/**
 * The end-of-file address the superblock records (relative to the superblock), for the common 8-byte
 * offsets; null when the layout is one we do not parse. Lets a truncated download be named as such
 * instead of failing later with a cryptic library message.
 */
function superblockEndOfFile(sb: Buffer): number | null {
  const version = sb[8];
  if (version === 0 || version === 1) {
    if (sb[13] !== 8) return null; // size of offsets
    const at = version === 0 ? 40 : 44; // v1 adds 4 bytes (indexed storage K + reserved)
    return Number(sb.readBigUInt64LE(at));
  }
  if (version === 2 || version === 3) {
    if (sb[9] !== 8) return null;
    return Number(sb.readBigUInt64LE(28));
  }
  return null;
}

export async function openH5(path: string, mode: 'r' | 'w' = 'r'): Promise<H5File> {
  await h5ready();
  if (mode === 'r') assertHdf5File(path);
  try {
    return new h5.File(path, mode);
  } catch (e) {
    throw new Error(`cannot open HDF5 file ${path}: ${(e as Error).message}`);
  }
}

/**
 * Names of a group's members for an error message: control and other unprintable characters (a damaged
 * symbol table yields garbage names) shown as '?', each name and the list shortened.
 */
export function listNames(keys: string[]): string {
  const shown = keys.slice(0, 12).map((k) => {
    const clean = k.replace(/[^\x20-\x7e]/g, '?');
    return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
  });
  return keys.length === 0 ? 'nothing' : shown.join(', ') + (keys.length > shown.length ? `, … (${keys.length} in all)` : '');
}

export function getDataset(file: H5File, name: string): H5Dataset | null {
  if (!file.keys().includes(name.replace(/^\//, '').split('/')[0])) return null;
  const entity = file.get(name);
  return entity instanceof h5.Dataset ? entity : null;
}

export type ElementKind = 'complex64' | 'complex128' | 'float32' | 'float64';

export function elementKind(ds: H5Dataset): ElementKind {
  const m = ds.metadata;
  if (m.compound_type) {
    const members = m.compound_type.members;
    if (members.length === 2 && members.every((mem) => mem.type === h5.Module.H5T_class_t.H5T_FLOAT.value)) {
      if (members.every((mem) => mem.size === 4)) return 'complex64';
      if (members.every((mem) => mem.size === 8)) return 'complex128';
    }
    throw new Error(`dataset ${ds.path} has an unsupported compound type (expected complex {r, i})`);
  }
  if (m.type === h5.Module.H5T_class_t.H5T_FLOAT.value) {
    if (m.size === 4) return 'float32';
    if (m.size === 8) return 'float64';
  }
  throw new Error(`dataset ${ds.path} has an unsupported element type (size ${m.size}, class ${m.type})`);
}

/**
 * One scratch buffer on the wasm heap, reused by every read: scrolling a volume then costs one slab
 * on the heap plus the caller's output, instead of a fresh allocation per slice that the JS garbage
 * collector frees only every few slices. Reads are synchronous, so one buffer serves all datasets.
 */
let scratch = { ptr: 0, size: 0 };

/**
 * The most one read may allocate on the wasm heap. `_malloc` takes a 32-bit size: a larger request (a
 * damaged dataspace saying 10^22 elements) would silently wrap to a small buffer that HDF5 then
 * overruns, corrupting the heap for every later read in the process. Refused here instead.
 */
const MAX_HEAP_READ = 2 ** 31 - 1;

function scratchBuffer(nbytes: number): number {
  const M = h5.Module;
  if (!Number.isSafeInteger(nbytes) || nbytes < 0 || nbytes > MAX_HEAP_READ)
    throw new Error(
      `an HDF5 read of ${nbytes} bytes is larger than the ${MAX_HEAP_READ}-byte limit of one read (a damaged dataspace or datatype?)`,
    );
  if (scratch.size < nbytes) {
    if (scratch.ptr) M._free(scratch.ptr);
    scratch = { ptr: 0, size: 0 };
    const ptr = M._malloc(nbytes);
    if (!ptr) throw new Error(`out of memory allocating ${nbytes} bytes for an HDF5 read`);
    scratch = { ptr, size: nbytes };
  }
  return scratch.ptr;
}

/**
 * Reads the hyperslab offset/count of a float or complex dataset as float32 (complex interleaved),
 * into `out` when given (it must hold exactly the slab). Memory use is the slab itself, never the
 * whole dataset.
 */
export function readSlab(ds: H5Dataset, offset: number[], count: number[], out?: Float32Array): Float32Array {
  const shape = ds.shape;
  if (!shape || shape.length !== offset.length || shape.length !== count.length) {
    throw new Error(`readSlab: ${ds.path} has rank ${shape?.length ?? 0}, asked for rank ${offset.length}`);
  }
  for (let d = 0; d < shape.length; d++) {
    if (offset[d] < 0 || count[d] < 1 || offset[d] + count[d] > shape[d]) {
      throw new Error(`readSlab: ${ds.path} index out of range on axis ${d} (${offset[d]}+${count[d]} > ${shape[d]})`);
    }
  }
  const kind = elementKind(ds);
  const elemSize = ds.metadata.size;
  const n = count.reduce((a, b) => a * b, 1);
  const floats = kind.startsWith('complex') ? 2 * n : n;
  if (out && out.length !== floats) throw new RangeError(`readSlab: out holds ${out.length} floats, the slab has ${floats}`);
  const nbytes = n * elemSize;
  const M = h5.Module;
  const ptr = scratchBuffer(nbytes);
  const status = M.get_dataset_data(
    ds.file_id,
    ds.path,
    count.map(BigInt),
    offset.map(BigInt),
    count.map(() => 1n),
    BigInt(ptr),
  );
  if (typeof status === 'number' && status < 0) throw new Error(`${ds.path}: HDF5 read failed (corrupt or truncated data)`);
  const target = out ?? new Float32Array(floats);
  if (kind === 'complex64' || kind === 'float32') target.set(new Float32Array(M.HEAPU8.buffer, ptr, floats));
  else target.set(new Float64Array(M.HEAPU8.buffer, ptr, floats));
  return target;
}

/**
 * Reads rows [start, start + count) of a 1-D dataset of any element type — compounds with
 * variable-length members included — through h5wasm's raw read into the shared scratch buffer, and
 * hands `visit` the wasm heap and the address of the first row. Rows are laid out as `ds.metadata`
 * describes (its member offsets and `size` are the in-memory layout); a variable-length member is an
 * 8-byte hvl_t, {uint32 length, uint32 pointer into the same heap}. The bytes, and the vlen arrays they
 * point to, are valid only during `visit`: HDF5's vlen allocations are freed right after, so memory use
 * is one block of rows whatever the dataset's size. Unlike `Dataset.slice()` nothing is decoded into JS
 * arrays.
 */
export function readRows(
  ds: H5Dataset,
  start: number,
  count: number,
  visit: (heap: DataView, at: number, rowSize: number) => void,
): void {
  const n = ds.shape?.[0] ?? 0;
  if (ds.shape?.length !== 1 || start < 0 || count < 1 || start + count > n) {
    throw new Error(`readRows: ${ds.path} rows ${start}+${count} out of range (shape ${JSON.stringify(ds.shape)})`);
  }
  const M = h5.Module;
  const size = ds.metadata.size;
  const nbytes = size * count;
  const ptr = scratchBuffer(nbytes);
  // zeroed, so that a read failing halfway leaves null hvl_t entries for the reclaim below
  M.HEAPU8.fill(0, ptr, ptr + nbytes);
  const vlen = hasVlen(ds.metadata);
  try {
    let status: number;
    try {
      status = M.get_dataset_data(ds.file_id, ds.path, [BigInt(count)], [BigInt(start)], [1n], BigInt(ptr));
    } catch (e) {
      throw new Error(
        `${ds.path}: HDF5 read of rows ${start}–${start + count - 1} failed (${(e as Error).message.split('\n')[0]})`,
      );
    }
    if (typeof status === 'number' && status < 0)
      throw new Error(`${ds.path}: HDF5 read of rows ${start}–${start + count - 1} failed (corrupt or truncated data)`);
    // the heap may have grown during the read: take the view only now
    visit(new DataView(M.HEAPU8.buffer), ptr, size);
  } finally {
    if (vlen) M.reclaim_vlen_memory_count(ds.file_id, ds.path, '', BigInt(ptr), [BigInt(count)]);
  }
}

/** Longest string read from a variable-length string element (a header is a few KiB to a few MiB). */
const MAX_STRING_BYTES = 64 << 20;

/**
 * The elements of a small dataset of variable-length strings (an XML header), read into a zeroed
 * buffer. Not `ds.value`: h5wasm reads into uninitialised memory, and when HDF5 leaves an element
 * unwritten (storage never allocated, or a damaged element) the garbage char* it then decodes and
 * frees traps the wasm module or corrupts its heap for every later read. Here an unwritten element
 * stays a null pointer: an empty string.
 */
export function readVlenStrings(ds: H5Dataset): string[] {
  const m = ds.metadata;
  if (m.type !== h5.Module.H5T_class_t.H5T_STRING.value || !m.vlen)
    throw new Error(`${ds.path}: not a variable-length string dataset`);
  const n = (ds.shape ?? []).reduce((a, b) => a * b, 1);
  const M = h5.Module;
  return zeroedVlenStrings(
    ds.path,
    n,
    (ptr) => M.get_dataset_data(ds.file_id, ds.path, null, null, null, ptr),
    (ptr) => M.reclaim_vlen_memory(ds.file_id, ds.path, '', ptr),
  );
}

/** A scalar variable-length string attribute of the object at `objPath`, read the same safe way. */
export function readVlenStringAttribute(fileId: bigint, objPath: string, name: string): string {
  const M = h5.Module;
  return zeroedVlenStrings(
    `${objPath} attribute ${name}`,
    1,
    (ptr) => M.get_attribute_data(fileId, objPath, name, ptr),
    (ptr) => M.reclaim_vlen_memory(fileId, objPath, name, ptr),
  )[0];
}

function zeroedVlenStrings(what: string, n: number, read: (ptr: bigint) => number, reclaim: (ptr: bigint) => unknown): string[] {
  if (!(n >= 1 && n <= 4096)) throw new Error(`${what}: ${n} strings where a few are expected`);
  const M = h5.Module;
  const nbytes = 4 * n; // one char* per element in wasm32
  const ptr = scratchBuffer(nbytes);
  M.HEAPU8.fill(0, ptr, ptr + nbytes);
  try {
    let status: number;
    try {
      status = read(BigInt(ptr));
    } catch (e) {
      throw new Error(`${what}: HDF5 read failed (${(e as Error).message.split('\n')[0]})`);
    }
    if (typeof status === 'number' && status < 0) throw new Error(`${what}: HDF5 read failed (corrupt or truncated data)`);
    const heap = M.HEAPU8;
    const view = new DataView(heap.buffer);
    return Array.from({ length: n }, (_, i) => {
      const p = view.getUint32(ptr + 4 * i, true);
      if (p === 0 || p >= heap.length) return '';
      let end = p;
      const limit = Math.min(heap.length, p + MAX_STRING_BYTES);
      while (end < limit && heap[end] !== 0) end++;
      return new TextDecoder().decode(heap.subarray(p, end));
    });
  } finally {
    reclaim(BigInt(ptr));
  }
}

interface TypeMeta {
  type: number;
  vlen?: boolean;
  compound_type?: { members: TypeMeta[] };
  array_type?: TypeMeta;
}
function hasVlen(m: TypeMeta): boolean {
  if (m.vlen || m.type === h5.Module.H5T_class_t.H5T_VLEN.value) return true;
  if (m.compound_type) return m.compound_type.members.some(hasVlen);
  return m.array_type ? hasVlen(m.array_type) : false;
}

interface AttributeLike {
  value: unknown;
  metadata?: { type: number; total_size?: number; size?: number; vlen?: boolean };
}

/** Integer, float or string, one element, of a sane size. */
export function isPlainScalar(m: AttributeLike['metadata']): boolean {
  if (!m) return false;
  const classes = h5.Module.H5T_class_t;
  const plain = ([classes.H5T_INTEGER.value, classes.H5T_FLOAT.value, classes.H5T_STRING.value] as number[]).includes(m.type);
  return plain && (m.total_size ?? 1) <= 1 && (m.size ?? 0) <= 1 << 20;
}

/**
 * Scalar number and string attributes as plain values. A variable-length string is read only when its
 * name is in `safeVlen` (its heap object was checked, see heap-guard.ts); undecodable ones are left out.
 */
export function readAttributes(
  obj: { attrs: Record<string, AttributeLike>; file_id: bigint; path: string },
  safeVlen: ReadonlySet<string>,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(obj.attrs)) {
    try {
      const attr = obj.attrs[key];
      // only scalar numbers and strings are read: decoding another type (a damaged datatype message can
      // say anything) runs h5wasm conversion code that can trap on out-of-bounds memory
      if (!isPlainScalar(attr.metadata) || (attr.metadata?.vlen && !safeVlen.has(key))) continue;
      // a variable-length string through a zeroed buffer (see readVlenStrings), not h5wasm's `value`
      const v = attr.metadata?.vlen ? readVlenStringAttribute(obj.file_id, obj.path, key) : attr.value;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = v;
      else if (typeof v === 'bigint') out[key] = Number(v);
      else if (ArrayBuffer.isView(v) && (v as Float32Array).length === 1) out[key] = Number((v as Float32Array)[0]);
    } catch {
      // an attribute we cannot decode is skipped rather than failing the whole file
    }
  }
  return out;
}

const COMPLEX64 = {
  signed: false,
  type: 6, // H5T_COMPOUND
  vlen: false,
  littleEndian: true,
  size: 8,
  compound_type: {
    nmembers: 2,
    members: [
      { signed: false, type: 1, vlen: false, littleEndian: true, size: 4, name: 'r', offset: 0, shape: [] },
      { signed: false, type: 1, vlen: false, littleEndian: true, size: 4, name: 'i', offset: 4, shape: [] },
    ],
  },
};

/**
 * Creates an empty chunked complex64 dataset (h5py's layout: compound {r, i}) to be filled slab by slab
 * with writeSlab, so a volume larger than memory never has to exist whole. h5wasm's create_dataset wants
 * the full data up front; created empty and resized, nothing is written until the slabs come.
 */
export function createComplexDataset(file: H5File, name: string, shape: number[], chunks: number[]): H5Dataset {
  const M = h5.Module as unknown as {
    _malloc(n: number): number;
    _free(p: number): void;
    create_dataset(fileId: bigint, path: string, ptr: bigint, meta: unknown): number;
  };
  const path = name.startsWith('/') ? name : `/${name}`;
  const meta = {
    ...COMPLEX64,
    shape: [0n, ...shape.slice(1).map(BigInt)],
    maxshape: shape.map(BigInt),
    chunks: chunks.map(BigInt),
    compression: 0,
    compression_opts: [],
  };
  const p = M._malloc(8);
  try {
    M.create_dataset(file.file_id, path, BigInt(p), meta);
  } finally {
    M._free(p);
  }
  const ds = file.get(path) as H5Dataset;
  ds.resize(shape);
  return ds;
}

/** Writes float32 (complex interleaved for complex64 datasets) data into a hyperslab. */
export function writeSlab(ds: H5Dataset, offset: number[], count: number[], data: Float32Array): void {
  const n = count.reduce((a, b) => a * b, 1);
  const per = ds.metadata.size / 4;
  if (data.length !== n * per) throw new RangeError(`writeSlab: ${ds.path} slab needs ${n * per} floats, got ${data.length}`);
  const M = h5.Module;
  const ptr = M._malloc(data.byteLength);
  if (!ptr) throw new Error(`out of memory writing ${data.byteLength} bytes to ${ds.path}`);
  try {
    M.HEAPU8.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ptr);
    M.set_dataset_data(
      ds.file_id,
      ds.path,
      count.map(BigInt),
      offset.map(BigInt),
      count.map(() => 1n),
      BigInt(ptr),
    );
  } finally {
    M._free(ptr);
  }
}
