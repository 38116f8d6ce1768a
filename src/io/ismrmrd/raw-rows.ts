/**
 * The stored bytes of every element of a 1-D HDF5 dataset, read straight from the file without going
 * through H5Dread — for the ISMRMRD acquisition index, which needs only the fixed-size `head` of each
 * element of /dataset/data.
 *
 * Why not h5wasm: its only dataset read (`get_dataset_data`) calls H5Dread with the dataset's full
 * compound type as the memory type (no member subset, and H5Dread itself is not exported from the wasm
 * module), so reading any row also fetches that row's variable-length `data` and `traj` arrays from the
 * global heap. Indexing a multi-GB file that way reads the whole file. The element bytes on disk, by
 * contrast, hold the head plus a 16-byte global-heap reference for each vlen member, so walking the
 * chunk index costs a few hundred bytes per acquisition.
 *
 * Handles what the ISMRMRD library and h5py write by default: superblock v0–v3 with 8-byte offsets and
 * lengths, object headers v1/v2, layout message v3 (contiguous, or chunked with a v1 B-tree chunk index)
 * and v3/v4 contiguous or compact, no filters. Anything else throws {@link RawLayoutUnsupported} and the caller falls
 * back to h5wasm; the caller also cross-checks sample rows against h5wasm, so a misread layout cannot go
 * unnoticed.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class RawLayoutUnsupported extends Error {}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const UNDEFINED_ADDRESS = 0xffffffffffffffffn;

/** Small positional reads through a page-sized window: neighbouring chunk entries cost one syscall. */
export class FileReader {
  private window = Buffer.alloc(0);
  private windowAt = -1;
  readonly size: number;

  constructor(private readonly fd: number) {
    this.size = fstatSync(fd).size;
  }

  /** `len` bytes at absolute position `at`, as a view valid until the next call. */
  bytes(at: number, len: number): DataView {
    if (!(at >= 0) || at + len > this.size)
      throw new RawLayoutUnsupported(`read of ${len} bytes at ${at} runs past the end of the file`);
    if (this.windowAt < 0 || at < this.windowAt || at + len > this.windowAt + this.window.length) {
      const want = Math.min(Math.max(len, 8192), this.size - at);
      if (this.window.length < want) this.window = Buffer.alloc(Math.max(want, 8192));
      const got = readSync(this.fd, this.window, 0, want, at);
      if (got < len) throw new RawLayoutUnsupported(`short read at ${at}`);
      this.windowAt = at;
    }
    const o = at - this.windowAt;
    return new DataView(this.window.buffer, this.window.byteOffset + o, len);
  }
}

function u64(v: DataView, at: number): number {
  const big = v.getBigUint64(at, true);
  if (big === UNDEFINED_ADDRESS) return -1;
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new RawLayoutUnsupported('address out of range');
  return Number(big);
}

function ascii(v: DataView, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(v.getUint8(at + i));
  return s;
}

/** Base address (absolute position addresses are relative to) from the superblock. */
export function baseAddress(r: FileReader): number {
  for (let at = 0; at + 48 <= r.size; at = at === 0 ? 512 : at * 2) {
    const sb = r.bytes(at, 48);
    if (!SIGNATURE.every((b, i) => sb.getUint8(i) === b)) {
      if (at > 1 << 20) break;
      continue;
    }
    const version = sb.getUint8(8);
    let offsets: number, lengths: number, base: number;
    if (version === 0 || version === 1) {
      [offsets, lengths] = [sb.getUint8(13), sb.getUint8(14)];
      base = u64(sb, version === 0 ? 24 : 28);
    } else if (version === 2 || version === 3) {
      [offsets, lengths] = [sb.getUint8(9), sb.getUint8(10)];
      base = u64(sb, 12);
    } else throw new RawLayoutUnsupported(`superblock version ${version}`);
    if (offsets !== 8 || lengths !== 8) throw new RawLayoutUnsupported(`${offsets}-byte offsets, ${lengths}-byte lengths`);
    return base < 0 ? at : base;
  }
  throw new RawLayoutUnsupported('no superblock');
}

export interface Message {
  type: number;
  data: DataView;
}

/** Object-header blocks larger than this are not an ISMRMRD acquisition table's (or are corrupt). */
const MAX_HEADER_BLOCK = 1 << 20;

/** The header messages of the object header at absolute position `at` (continuation blocks followed). */
function objectHeaderMessages(r: FileReader, base: number, at: number): Message[] {
  const out: Message[] = [];
  const blocks: { at: number; len: number }[] = [];
  const head = r.bytes(at, 16);
  const v2 = ascii(head, 0, 4) === 'OHDR';
  // v1: type u16, size u16, flags u8, 3 reserved; v2: type u8, size u16, flags u8 [, creation order u16]
  let msgHeader = 8;
  if (v2) {
    if (head.getUint8(4) !== 2) throw new RawLayoutUnsupported('object header version');
    const flags = head.getUint8(5);
    let o = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
    const width = 1 << (flags & 3);
    const sizeView = r.bytes(at + o, width);
    const len =
      width === 8
        ? u64(sizeView, 0)
        : width === 4
          ? sizeView.getUint32(0, true)
          : width === 2
            ? sizeView.getUint16(0, true)
            : sizeView.getUint8(0);
    o += width;
    blocks.push({ at: at + o, len });
    msgHeader = flags & 0x04 ? 6 : 4;
  } else {
    if (head.getUint8(0) !== 1) throw new RawLayoutUnsupported('object header version');
    blocks.push({ at: at + 16, len: head.getUint32(8, true) });
  }
  for (let b = 0; b < blocks.length; b++) {
    const blk = blocks[b];
    if (b > 64 || !(blk.len > 0 && blk.len <= MAX_HEADER_BLOCK)) throw new RawLayoutUnsupported('object header size');
    const bytes = r.bytes(blk.at, blk.len);
    const v = new DataView(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + blk.len));
    // (a v2 block may end in a gap shorter than a message header)
    for (let p = 0; p + msgHeader <= blk.len;) {
      const type = v2 ? v.getUint8(p) : v.getUint16(p, true);
      const size = v.getUint16(v2 ? p + 1 : p + 2, true);
      if (p + msgHeader + size > blk.len) throw new RawLayoutUnsupported('message past block end');
      const data = new DataView(v.buffer, p + msgHeader, size);
      if (type === 0x10) {
        // continuation: offset, length; a v2 block is framed by 'OCHK' and a checksum
        const cAt = base + u64(data, 0);
        const cLen = u64(data, 8);
        if (!v2) blocks.push({ at: cAt, len: cLen });
        else if (ascii(r.bytes(cAt, 4), 0, 4) !== 'OCHK') throw new RawLayoutUnsupported('continuation signature');
        else blocks.push({ at: cAt + 4, len: cLen - 8 });
      } else out.push({ type, data });
      p += msgHeader + size;
    }
  }
  return out;
}

type Layout =
  | { kind: 'contiguous'; address: number; size: number }
  | { kind: 'chunked'; btree: number; chunk: number; elemSize: number }
  | { kind: 'compact'; data: DataView };

function layoutOf(messages: Message[]): Layout {
  const filters = messages.find((m) => m.type === 0x0b);
  if (filters && filters.data.getUint8(1) > 0) throw new RawLayoutUnsupported('filtered (compressed) storage');
  const msg = messages.find((m) => m.type === 0x08);
  if (!msg) throw new RawLayoutUnsupported('no layout message');
  const d = msg.data;
  const version = d.getUint8(0);
  const cls = d.getUint8(1);
  if ((version === 3 || version === 4) && cls === 1) return { kind: 'contiguous', address: u64(d, 2), size: u64(d, 10) };
  // compact (a small dataset such as a header string): the raw data sits in the message itself
  if ((version === 3 || version === 4) && cls === 0) {
    const size = d.getUint16(2, true);
    if (4 + size > d.byteLength) throw new RawLayoutUnsupported('compact data past its message');
    return { kind: 'compact', data: new DataView(d.buffer, d.byteOffset + 4, size) };
  }
  if (version === 3 && cls === 2) {
    const dims = d.getUint8(2);
    if (dims !== 2) throw new RawLayoutUnsupported(`chunked layout of rank ${dims - 1}`);
    const [chunk, elemSize] = [d.getUint32(11, true), d.getUint32(15, true)];
    if (!(chunk > 0 && elemSize > 0)) throw new RawLayoutUnsupported('empty chunk shape');
    return { kind: 'chunked', btree: u64(d, 3), chunk, elemSize };
  }
  throw new RawLayoutUnsupported(`layout version ${version} class ${cls}`);
}

/**
 * The header messages of the object whose header is at `objectAddress` (an object reference, relative
 * to the base address). Throws RawLayoutUnsupported for layouts this reader does not handle.
 */
export function readObjectMessages(path: string, objectAddress: number): Message[] {
  const fd = openSync(path, 'r');
  try {
    const r = new FileReader(fd);
    const base = baseAddress(r);
    return objectHeaderMessages(r, base, base + objectAddress);
  } finally {
    closeSync(fd);
  }
}

/**
 * Calls `visit(row, view)` for rows 0…rows−1 of the 1-D dataset whose object header is at `objectAddress`
 * (an object reference), `view` holding that element's stored bytes (valid only during the call), in
 * file order of the chunks. Returns the stored element size. Throws RawLayoutUnsupported when the layout
 * is not one this reader understands or does not cover every row.
 */
export function readStoredRows(
  path: string,
  objectAddress: number,
  rows: number,
  visit: (row: number, view: DataView) => void,
): number {
  const fd = openSync(path, 'r');
  try {
    const r = new FileReader(fd);
    const base = baseAddress(r);
    const layout = layoutOf(objectHeaderMessages(r, base, base + objectAddress));
    if (layout.kind === 'compact') {
      const size = layout.data.byteLength;
      if (size % rows !== 0) throw new RawLayoutUnsupported('compact storage of another size');
      const elemSize = size / rows;
      for (let i = 0; i < rows; i++) visit(i, new DataView(layout.data.buffer, layout.data.byteOffset + i * elemSize, elemSize));
      return elemSize;
    }
    if (layout.kind === 'contiguous') {
      if (layout.address < 0 || layout.size % rows !== 0) throw new RawLayoutUnsupported('unallocated contiguous storage');
      const elemSize = layout.size / rows;
      for (let i = 0; i < rows; i++) visit(i, r.bytes(base + layout.address + i * elemSize, elemSize));
      return elemSize;
    }
    const { chunk, elemSize } = layout;
    const chunks: { offset: number; address: number; size: number }[] = [];
    // a B-tree over ⌈rows / chunk⌉ chunks has fewer nodes than that; more means a corrupt (cyclic) tree
    let budget = Math.ceil(rows / chunk) + 64;
    const walk = (address: number, depth: number) => {
      if (depth > 16 || --budget < 0) throw new RawLayoutUnsupported('chunk B-tree too large');
      const head = r.bytes(base + address, 24);
      if (ascii(head, 0, 4) !== 'TREE' || head.getUint8(4) !== 1) throw new RawLayoutUnsupported('chunk B-tree node');
      const level = head.getUint8(5);
      const entries = head.getUint16(6, true);
      const keySize = 8 + 2 * 8;
      const node = r.bytes(base + address + 24, entries * (keySize + 8) + keySize);
      const list: { offset: number; size: number; mask: number; child: number }[] = [];
      for (let e = 0; e < entries; e++) {
        const k = e * (keySize + 8);
        list.push({
          size: node.getUint32(k, true),
          mask: node.getUint32(k + 4, true),
          offset: u64(node, k + 8),
          child: u64(node, k + keySize),
        });
      }
      for (const e of list) {
        if (level > 0) walk(e.child, depth + 1);
        else {
          if (e.mask !== 0) throw new RawLayoutUnsupported('filtered chunk');
          chunks.push({ offset: e.offset, address: e.child, size: e.size });
        }
      }
    };
    if (layout.btree < 0) throw new RawLayoutUnsupported('no chunks written');
    walk(layout.btree, 0);
    const seen = new Uint8Array(rows);
    let covered = 0;
    chunks.sort((a, b) => a.address - b.address);
    for (const c of chunks) {
      if (c.offset % chunk !== 0 || c.offset >= rows) continue; // a chunk left over past a shrunk extent
      const n = Math.min(chunk, rows - c.offset);
      if (c.size < n * elemSize) throw new RawLayoutUnsupported('chunk smaller than its elements');
      for (let i = 0; i < n; i++) {
        const row = c.offset + i;
        if (seen[row]) throw new RawLayoutUnsupported(`row ${row} stored twice`);
        seen[row] = 1;
        covered++;
        visit(row, r.bytes(base + c.address + i * elemSize, elemSize));
      }
    }
    if (covered !== rows) throw new RawLayoutUnsupported(`${rows - covered} rows were never written`);
    return elemSize;
  } finally {
    closeSync(fd);
  }
}
