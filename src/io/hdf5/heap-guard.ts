/**
 * Checks HDF5 global heap collections before h5wasm reads variable-length data from them.
 *
 * Why: the HDF5 library (2.0, inside the wasm module, where it cannot be interrupted) trusts the object
 * headers of a global heap collection. A free-space object of size 0 in the middle of a collection makes
 * its decoder loop forever (the process hangs), and an object larger than its reference's sequence
 * length is copied into a buffer sized for the reference before the size is compared (a heap overflow
 * inside the wasm memory). Both come from a single damaged block of a file. So before a read that will
 * touch a vlen member, the collections it references are walked here the way HDF5 walks them — reading
 * only the 16-byte object headers — and the read is refused with a clear error when HDF5 would hang or
 * overflow.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import * as h5 from 'h5wasm/node';
import { baseAddress, FileReader, RawLayoutUnsupported, readObjectMessages, readStoredRows } from '../ismrmrd/raw-rows';

/** Object headers (and the collection header) are 16 bytes with 8-byte lengths. */
const HEADER = 16;
/** Collections larger than this are not something HDF5 writes (it allocates them at 4 KiB … a few MiB). */
const MAX_COLLECTION = 1 << 30;
/** Parsed collections kept: one image's rows reference a handful; rescanning a collection is cheap. */
const CACHE = 256;
/** Bytes read at a time when looking for every collection in a file. */
const SCAN_BLOCK = 8 << 20;
const GCOL = Buffer.from('GCOL');

export class CorruptGlobalHeap extends Error {}

/** A reference to a vlen sequence as stored in an element: its length and where its bytes live. */
export interface HeapRef {
  /** elements in the sequence (bytes = length × element size) */
  length: number;
  /** collection address, relative to the base address; 0 for an empty sequence */
  collection: number;
  index: number;
}

export class GlobalHeapGuard {
  private readonly collections = new Map<number, Map<number, number>>();
  private fd = -1;
  private reader: FileReader | null = null;
  private base = 0;

  constructor(
    private readonly path: string,
    private readonly name: string,
  ) {}

  /**
   * Throws unless the sequence `ref` points to can be read safely: its collection is well formed and
   * holds object `ref.index` of exactly `ref.length × elemBytes` bytes. `what` names the value.
   */
  check(ref: HeapRef, elemBytes: number, what: string): void {
    if (ref.collection === 0 && ref.length === 0) return; // an empty sequence is never read
    const objects = this.collection(ref.collection, what);
    const size = objects.get(ref.index);
    if (size === undefined)
      throw new CorruptGlobalHeap(
        `${this.name}: ${what} refers to object ${ref.index} of the global heap collection at ${ref.collection}, which has no such object`,
      );
    if (size !== ref.length * elemBytes)
      throw new CorruptGlobalHeap(
        `${this.name}: ${what} says ${ref.length} × ${elemBytes} bytes, its global heap object (collection ${ref.collection}, object ${ref.index}) holds ${size}`,
      );
  }

  /**
   * Checks every global heap collection in the file, found by their signature: for a dataset whose
   * references cannot be read directly (a storage layout the raw reader does not handle), so that any
   * collection h5wasm may touch is known to be sound. Reads the whole file once.
   */
  checkAllCollections(what: string): void {
    const r = this.file(what);
    const block = Buffer.alloc(SCAN_BLOCK);
    for (let at = 0; at < r.size; at += SCAN_BLOCK - 7) {
      const got = readSync(this.fd, block, 0, Math.min(SCAN_BLOCK, r.size - at), at);
      const view = block.subarray(0, got);
      // a collection header: 'GCOL', version 1, three reserved zero bytes
      for (let i = view.indexOf(GCOL); i >= 0 && i + 8 <= got; i = view.indexOf(GCOL, i + 1)) {
        if (view[i + 4] === 1 && view[i + 5] === 0 && view[i + 6] === 0 && view[i + 7] === 0)
          this.collection(at + i - this.base, what);
      }
      if (got < SCAN_BLOCK) break;
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.reader = null;
  }

  private file(what: string): FileReader {
    if (!this.reader) {
      this.fd = openSync(this.path, 'r');
      this.reader = new FileReader(this.fd);
      try {
        this.base = baseAddress(this.reader);
      } catch (e) {
        this.close();
        throw new CorruptGlobalHeap(`${this.name}: ${what}: cannot check its global heap (${(e as Error).message})`);
      }
    }
    return this.reader;
  }

  /** The object table (index → size) of the collection at `address`, walked as H5HG__cache_heap_deserialize does. */
  private collection(address: number, what: string): Map<number, number> {
    const cached = this.collections.get(address);
    if (cached) return cached;
    const bad = (why: string) =>
      new CorruptGlobalHeap(`${this.name}: ${what}: the global heap collection at ${address} is corrupt (${why})`);
    const r = this.file(what);
    const at = this.base + address;
    let size: number;
    const objects = new Map<number, number>();
    if (!(at + HEADER <= r.size)) throw bad(`it starts past the end of the file, ${r.size} bytes`);
    try {
      const head = r.bytes(at, HEADER);
      const magic = String.fromCharCode(head.getUint8(0), head.getUint8(1), head.getUint8(2), head.getUint8(3));
      if (magic !== 'GCOL') throw bad(`no GCOL signature`);
      if (head.getUint8(4) !== 1) throw bad(`version ${head.getUint8(4)}`);
      const big = head.getBigUint64(8, true);
      if (big < BigInt(HEADER) || big > BigInt(Math.min(MAX_COLLECTION, r.size - at)))
        throw bad(`size ${big} does not fit the file`);
      size = Number(big);
      let p = HEADER;
      while (p < size) {
        // the last bit of space, too small for an object header, is free space
        if (p + HEADER > size) break;
        const o = r.bytes(at + p, HEADER);
        const index = o.getUint16(0, true);
        const objSize = o.getBigUint64(8, true);
        // an object's storage is its header plus its size rounded up to 8; the free-space object (index 0)
        // has a size that already includes its header and must advance the walk
        const need = index > 0 ? BigInt(HEADER) + ((objSize + 7n) & ~7n) : objSize;
        if (need === 0n) throw bad(`a free-space object of size 0 at offset ${p}; HDF5 would loop forever`);
        if (BigInt(p) + need > BigInt(size)) throw bad(`object ${index} at offset ${p} (${objSize} bytes) runs past its end`);
        if (index > 0) objects.set(index, Number(objSize));
        p += Number(need);
      }
    } catch (e) {
      if (e instanceof RawLayoutUnsupported) throw bad((e as Error).message);
      throw e;
    }
    if (this.collections.size >= CACHE) this.collections.clear();
    this.collections.set(address, objects);
    return objects;
  }
}

/** The 16-byte stored reference at `at` of `view`. */
export function heapRefAt(view: DataView, at: number): HeapRef {
  const collection = view.getBigUint64(at + 4, true);
  return {
    length: view.getUint32(at, true),
    // an address past 2^53 is no address in any file; the guard refuses it as not fitting
    collection: collection > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(collection),
    index: view.getUint32(at + 12, true),
  };
}

interface Referencable {
  create_reference(): { ref_data: Uint8Array | ArrayLike<number> };
}

/** The object header address of `obj` (what an object reference holds). */
function objectAddress(obj: Referencable): number {
  return Number(new DataView(Uint8Array.from(obj.create_reference().ref_data).buffer).getBigUint64(0, true));
}

interface DatasetLike extends Referencable {
  shape: number[] | null;
  metadata: { type: number; vlen?: boolean; vlen_type?: { size: number } };
}

/** Datasets of variable-length values with more elements than this are not headers: not checked here. */
const MAX_CHECKED_ELEMENTS = 4096;

/**
 * For a small dataset of variable-length values (an XML header stored as a vlen string), checks the
 * heap object of every element before h5wasm reads the value: throws when one is damaged. Returns true
 * when the values can be read (fixed-size values, or vlen ones whose heap objects were checked), false
 * when they could not be checked (a storage layout the raw reader does not handle, or a damaged one) and
 * reading them could hang HDF5.
 */
export function checkVlenDataset(guard: GlobalHeapGuard, path: string, ds: DatasetLike, what: string): boolean {
  const m = ds.metadata;
  const classes = h5.Module.H5T_class_t;
  let elemBytes: number;
  if (m.type === classes.H5T_VLEN.value) elemBytes = m.vlen_type?.size ?? 1;
  else if (m.type === classes.H5T_STRING.value && m.vlen) elemBytes = 1;
  else return true;
  const rows = (ds.shape ?? []).reduce((a, b) => a * b, 1);
  if (!(rows >= 1 && rows <= MAX_CHECKED_ELEMENTS)) return false;
  const refs: HeapRef[] = [];
  try {
    const elemSize = readStoredRows(path, objectAddress(ds), rows, (_row, view) => refs.push(heapRefAt(view, 0)));
    if (elemSize !== 16) return false;
  } catch {
    return false;
  }
  refs.forEach((r, i) => guard.check(r, elemBytes, rows > 1 ? `${what}[${i}]` : what));
  return true;
}

/**
 * Names of the attributes of `obj` with variable-length values whose heap objects were checked and
 * can be read safely (see the module comment). The caller reads no other variable-length attribute:
 * one whose reference is damaged, or that could not be checked (an object header the raw reader does
 * not parse, dense attribute storage), is left out, as attributes are never essential.
 */
export function safeVlenAttributes(guard: GlobalHeapGuard, path: string, obj: Referencable): Set<string> {
  const safe = new Set<string>();
  let messages: { type: number; data: DataView }[];
  try {
    messages = readObjectMessages(path, objectAddress(obj));
  } catch {
    return safe;
  }
  for (const msg of messages) {
    if (msg.type !== 0x0c) continue;
    const attr = attributeHeapRefs(msg.data);
    if (!attr) continue;
    try {
      attr.refs.forEach((r) => guard.check(r, attr.elemBytes, `attribute '${attr.name}'`));
      safe.add(attr.name);
    } catch (e) {
      if (!(e instanceof CorruptGlobalHeap)) throw e;
    }
  }
  return safe;
}

/** The heap references in an attribute message of a variable-length type, or null for any other. */
function attributeHeapRefs(d: DataView): { name: string; elemBytes: number; refs: HeapRef[] } | null {
  try {
    const version = d.getUint8(0);
    if (version < 1 || version > 3) return null;
    const [nameSize, typeSize, spaceSize] = [d.getUint16(2, true), d.getUint16(4, true), d.getUint16(6, true)];
    const pad = (n: number) => (version === 1 ? (n + 7) & ~7 : n);
    let o = version === 3 ? 9 : 8;
    const nameAt = o;
    o += pad(nameSize);
    const typeAt = o;
    o += pad(typeSize);
    const spaceAt = o;
    o += pad(spaceSize);
    if (o > d.byteLength || (d.getUint8(typeAt) & 0x0f) !== 9 /* H5T_VLEN */) return null;
    const isString = (d.getUint8(typeAt + 1) & 0x0f) === 1;
    const elemBytes = isString ? 1 : d.getUint32(typeAt + 8 + 4, true);
    // dataspace: v1 rank at 1, dims from 8; v2 rank at 1, type at 3 (2 = null), dims from 4
    const spaceVersion = d.getUint8(spaceAt);
    const rank = d.getUint8(spaceAt + 1);
    if (spaceVersion === 2 && d.getUint8(spaceAt + 3) === 2) return null;
    const dimsAt = spaceAt + (spaceVersion === 1 ? 8 : 4);
    let count = 1;
    for (let i = 0; i < rank; i++) count *= Number(d.getBigUint64(dimsAt + 8 * i, true));
    if (!(count >= 0) || o + 16 * count > d.byteLength) return null;
    let name = '';
    for (let i = 0; i < nameSize - 1; i++) name += String.fromCharCode(d.getUint8(nameAt + i));
    return { name, elemBytes, refs: Array.from({ length: count }, (_, i) => heapRefAt(d, o + 16 * i)) };
  } catch {
    return null; // a message too short for what it claims: HDF5 refuses it on its own
  }
}
