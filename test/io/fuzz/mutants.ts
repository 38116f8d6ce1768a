/**
 * Deterministic mutants of small real files for the reader fuzz test: truncations, byte flips biased
 * to where headers live, zeroed ranges, and header fields set to absurd values where the format lets
 * us find them. A mutant is a list of splices on the pristine bytes, so it can be described, sent to a
 * worker and replayed exactly.
 */
import { gunzipSync } from 'node:zlib';
import { dicomParser } from '../../../src/io/dicom/parser-module';
import { mulberry32 } from '../../helpers/numeric';

export type FuzzFormat = 'fastmri' | 'ismrmrd' | 'dicom' | 'nifti' | 'npy';

/** Replace `del` bytes at `at` by `bytes` (offsets refer to the pristine file). */
export interface Splice {
  at: number;
  del: number;
  bytes: number[];
}

export interface Mutation {
  /** human-readable, enough to reproduce by hand */
  what: string;
  /** keep only the first `truncate` bytes (applied after the splices) */
  truncate?: number;
  splices: Splice[];
  /** the splices apply to the gunzipped content, which is gzipped again */
  inner?: boolean;
}

export interface FuzzCase {
  id: number;
  format: FuzzFormat;
  fixture: string;
  /** basename of the mutant file the worker writes (what error messages must name) */
  file: string;
  mutation: Mutation;
}

export const prng = mulberry32;

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1)); // inclusive
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Byte ranges where structure lives: offsets are drawn from these most of the time. */
interface Region {
  at: number;
  len: number;
}

/** A field we can locate: `width` bytes at `at`, and the absurd values to try there. */
interface Field {
  name: string;
  at: number;
  width: 1 | 2 | 4 | 8;
  little: boolean;
  values: bigint[];
}

/** Where structure lives and which fields we can find, per format. */
interface Anatomy {
  hot: Region[];
  fields: Field[];
  /** whole-text replacements (e.g. a .npy header rewritten) */
  rewrites: { what: string; splice: Splice }[];
}

function encode(value: bigint, width: number, little: boolean): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return little ? out : out.reverse();
}

function indexAll(hay: Uint8Array, needle: Uint8Array, limit = 64): number[] {
  const out: number[] = [];
  const buf = Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength);
  for (let at = buf.indexOf(needle); at >= 0 && out.length < limit; at = buf.indexOf(needle, at + 1)) out.push(at);
  return out;
}

const u64seq = (dims: number[]) => Uint8Array.from(dims.flatMap((d) => encode(BigInt(d), 8, true)));
const u16seq = (xs: number[]) => Uint8Array.from(xs.flatMap((d) => encode(BigInt(d), 2, true)));
const HUGE32 = [0xffffffffn, 0x7fffffffn, 0x80000000n, 0xfffffffen];
const HUGE64 = [0xffffffffffffffffn, 0x7fffffffffffffffn, 1n << 40n, 1n << 31n, 1n << 53n];

// ---------------------------------------------------------------- HDF5 (fastMRI, ISMRMRD)

export interface Hdf5Hints {
  /** dataset shapes, to find their dataspace messages */
  shapes: number[][];
  /** [number_of_samples, available_channels, active_channels] of the first acquisition, and where
   * the head fields sit relative to number_of_samples (ISMRMRD only) */
  head?: { pattern: number[]; fields: { name: string; offset: number; width: 2 | 4 }[] };
}

function hdf5Anatomy(bytes: Uint8Array, hints: Hdf5Hints): Anatomy {
  const hot: Region[] = [{ at: 0, len: Math.min(4096, bytes.length) }];
  const fields: Field[] = [];
  for (const sig of ['TREE', 'HEAP', 'SNOD', 'GCOL', 'OHDR', 'OCHK', 'FRHP', 'BTHD', 'BTLF']) {
    for (const at of indexAll(bytes, Buffer.from(sig), 16)) hot.push({ at, len: Math.min(1024, bytes.length - at) });
  }
  // dataspace messages: the dims as consecutive 8-byte lengths
  for (const shape of hints.shapes) {
    for (const at of indexAll(bytes, u64seq(shape), 8)) {
      hot.push({ at: Math.max(0, at - 256), len: Math.min(768, bytes.length - Math.max(0, at - 256)) });
      shape.forEach((_, d) =>
        fields.push({
          name: `dataspace dim ${d} of ${JSON.stringify(shape)}`,
          at: at + 8 * d,
          width: 8,
          little: true,
          values: HUGE64,
        }),
      );
    }
  }
  // superblock v0: end-of-file address (assertHdf5File reads it) and the root symbol table entry
  if (bytes[8] === 0) {
    fields.push({ name: 'superblock end-of-file address', at: 40, width: 8, little: true, values: [...HUGE64, 1024n] });
    fields.push({ name: 'root object header address', at: 64, width: 8, little: true, values: [...HUGE64, 0n, 96n] });
  }
  // ISMRMRD acquisition heads
  if (hints.head) {
    for (const at of indexAll(bytes, u16seq(hints.head.pattern), 64)) {
      for (const f of hints.head.fields)
        fields.push({
          name: `acquisition head ${f.name} at ${at + f.offset}`,
          at: at + f.offset,
          width: f.width,
          little: true,
          values: f.width === 2 ? [0xffffn, 0x8000n, 0n] : HUGE32,
        });
    }
  }
  // XML numbers (matrix sizes, encoding limits): grow the number into following whitespace, or keep
  // its length where there is none
  const rewrites: Anatomy['rewrites'] = [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const re = /<(x|y|z|maximum|center)>(\d+)<\/\1>(\s*)/g;
  for (let m = re.exec(text); m && rewrites.length < 64; m = re.exec(text)) {
    const [whole, tag, digits, ws] = m;
    const room = digits.length + ws.length;
    for (const n of ['9'.repeat(Math.min(room, 12)), '0'.repeat(digits.length), '-'.padEnd(digits.length, '1')]) {
      const s = `<${tag}>${n}</${tag}>`.padEnd(whole.length, ' ');
      if (s.length !== whole.length) continue;
      rewrites.push({
        what: `XML <${tag}>${digits} → ${n}`,
        splice: { at: m.index, del: whole.length, bytes: [...Buffer.from(s, 'latin1')] },
      });
    }
  }
  return { hot, fields, rewrites };
}

// ---------------------------------------------------------------- DICOM

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'SQ', 'UT', 'UN', 'UC', 'UR', 'SV', 'UV']);
const IMAGE_US: Record<string, string> = {
  x00280010: 'Rows',
  x00280011: 'Columns',
  x00280100: 'BitsAllocated',
  x00280101: 'BitsStored',
  x00280102: 'HighBit',
  x00280002: 'SamplesPerPixel',
  x00280103: 'PixelRepresentation',
  x00280006: 'PlanarConfiguration',
};

function dicomAnatomy(bytes: Uint8Array): Anatomy {
  const hot: Region[] = [{ at: 0, len: Math.min(4096, bytes.length) }];
  const fields: Field[] = [];
  const rewrites: Anatomy['rewrites'] = [];
  const ds = dicomParser.parseDicom(bytes);
  const ts = ds.string('x00020010')?.replace(/\0/g, '').trim() ?? '';
  const deflated = ts === '1.2.840.10008.1.2.1.99';
  const bigBody = ts === '1.2.840.10008.1.2.2';
  const implicitBody = ts === '1.2.840.10008.1.2';
  for (const [tag, el] of Object.entries(ds.elements)) {
    const meta = tag.startsWith('x0002');
    if (deflated && !meta) continue; // offsets refer to the inflated bytes
    const little = meta || !bigBody;
    const implicit = !meta && implicitBody;
    const long = implicit || LONG_VRS.has(el.vr ?? '');
    const lengthAt = el.dataOffset - (long ? 4 : 2);
    if (lengthAt > 128) {
      fields.push({
        name: `length of ${tag}`,
        at: lengthAt,
        width: long ? 4 : 2,
        little,
        values: long ? [...HUGE32, BigInt(bytes.length), BigInt(el.length + 1)] : [0xffffn, 0xfffen, BigInt(el.length + 1)],
      });
    }
    if (IMAGE_US[tag] && el.length >= 2)
      fields.push({ name: IMAGE_US[tag], at: el.dataOffset, width: 2, little, values: [0xffffn, 0n, 0x8000n, 33n] });
    if (tag === 'x00280008' && el.length > 0) {
      for (const n of ['9'.repeat(el.length), '0'.padEnd(el.length, ' '), '-1'.padEnd(el.length, ' ')])
        rewrites.push({
          what: `NumberOfFrames → '${n.trim()}'`,
          splice: { at: el.dataOffset, del: el.length, bytes: [...Buffer.from(n, 'latin1')] },
        });
    }
    if (tag === 'x7fe00010') {
      hot.push({ at: el.dataOffset, len: Math.min(1024, bytes.length - el.dataOffset) });
      for (const f of el.fragments ?? []) {
        // fragment item: tag (4) + length (4), then the fragment's bytes at `position`
        fields.push({ name: 'pixel fragment length', at: f.position - 4, width: 4, little, values: [...HUGE32, 0n, 1n] });
        hot.push({ at: f.position, len: Math.min(512, bytes.length - f.position) });
      }
    }
  }
  return { hot, fields, rewrites };
}

// ---------------------------------------------------------------- NIfTI

function niftiAnatomy(bytes: Uint8Array): Anatomy {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hot: Region[] = [{ at: 0, len: Math.min(bytes.length, 544) }];
  const fields: Field[] = [];
  const little = v.getInt32(0, true) === 348 || v.getInt32(0, true) === 540;
  const version = v.getInt32(0, little) === 540 ? 2 : 1;
  const i16 = [0x7fffn, 0xffffn /* −1 */, 0n, 0x8000n];
  if (version === 1) {
    for (let i = 0; i < 8; i++) fields.push({ name: `dim[${i}]`, at: 40 + 2 * i, width: 2, little, values: i16 });
    fields.push({ name: 'datatype', at: 70, width: 2, little, values: [...i16, 128n, 2304n] });
    fields.push({ name: 'bitpix', at: 72, width: 2, little, values: i16 });
    // float32 vox_offset: 1e30, NaN, −1, 2^31, 349 (past the header, inside nothing)
    for (const f of [1e30, NaN, -1, 2 ** 31, 349, Infinity]) {
      const b = Buffer.alloc(4);
      if (little) b.writeFloatLE(f);
      else b.writeFloatBE(f);
      fields.push({ name: `vox_offset=${f}`, at: 108, width: 4, little: true, values: [BigInt(b.readUInt32LE())] });
    }
  } else {
    for (let i = 0; i < 8; i++)
      fields.push({ name: `dim[${i}]`, at: 16 + 8 * i, width: 8, little, values: [...HUGE64, 1n << 62n] });
    fields.push({ name: 'datatype', at: 12, width: 2, little, values: [...i16, 128n] });
    fields.push({ name: 'vox_offset', at: 168, width: 8, little, values: [...HUGE64, 0n, 541n] });
  }
  return { hot, fields, rewrites: [] };
}

// ---------------------------------------------------------------- .npy

function npyAnatomy(bytes: Uint8Array): Anatomy {
  const hot: Region[] = [{ at: 0, len: Math.min(128, bytes.length) }];
  const headerLen = bytes[8] | (bytes[9] << 8);
  const header = Buffer.from(bytes.subarray(10, 10 + headerLen)).toString('latin1');
  const fields: Field[] = [
    { name: 'header length', at: 8, width: 2, little: true, values: [0xffffn, 0n, 1n] },
    { name: 'major version', at: 6, width: 1, little: true, values: [2n, 3n, 0n, 0xffn] },
  ];
  const rewrites: Anatomy['rewrites'] = [];
  const variants: [RegExp, string][] = [
    [/'shape':\s*\([^)]*\)/, `'shape': (9999999999999,)`],
    [/'shape':\s*\([^)]*\)/, `'shape': (4294967296, 4294967296)`],
    [/'shape':\s*\([^)]*\)/, `'shape': (65536, 65536, 65536)`],
    [/'shape':\s*\([^)]*\)/, `'shape': (-1,)`],
    [/'shape':\s*\([^)]*\)/, `'shape': (1e400,)`],
    [/'shape':\s*\([^)]*\)/, `'shape': (2.5, 3)`],
    [/'shape':\s*\([^)]*\)/, `'shape': (abc,)`],
    [/'shape':\s*\([^)]*\)/, `'shape': (1e308, 0)`],
    [/'descr':\s*'[^']*'/, `'descr': '<c32'`],
    [/'descr':\s*'[^']*'/, `'descr': '<'`],
    [/'descr':\s*'[^']*'/, `'descr': '|O'`],
    [/'descr':\s*'[^']*'/, `'descr': '<i8'`],
  ];
  for (const [re, rep] of variants) {
    const m = re.exec(header);
    if (!m) continue;
    const next = header.replace(re, rep);
    // keep the header padded as numpy writes it (total a multiple of 64), so only the field changes
    const padded = next.trimEnd().padEnd(Math.ceil((10 + next.trimEnd().length + 1) / 64) * 64 - 11, ' ') + '\n';
    const lenBytes = encode(BigInt(padded.length), 2, true);
    rewrites.push({
      what: `header ${rep}`,
      splice: { at: 8, del: 2 + headerLen, bytes: [...lenBytes, ...Buffer.from(padded, 'latin1')] },
    });
  }
  return { hot, fields, rewrites };
}

// ---------------------------------------------------------------- generation

function offsetIn(r: Rand, hot: Region[], size: number): number {
  if (r() < 0.75) {
    const region = pick(r, hot);
    return Math.min(size - 1, region.at + Math.floor(r() * Math.max(1, region.len)));
  }
  return Math.floor(r() * size);
}

function mutate(r: Rand, bytes: Uint8Array, a: Anatomy, kind: string): Mutation | null {
  const size = bytes.length;
  switch (kind) {
    case 'truncate': {
      const at = r() < 0.5 ? offsetIn(r, a.hot, size) : Math.floor(r() * size);
      return { what: `truncated to ${at} of ${size} bytes`, truncate: at, splices: [] };
    }
    case 'flip': {
      const n = int(r, 1, 64) > 48 ? int(r, 17, 64) : int(r, 1, 16);
      const at = new Set<number>();
      for (let i = 0; i < n; i++) at.add(offsetIn(r, a.hot, size));
      const splices = [...at].map((o) => ({ at: o, del: 1, bytes: [bytes[o] ^ int(r, 1, 255)] }));
      return { what: `${splices.length} bytes flipped at ${[...at].slice(0, 8).join(', ')}${at.size > 8 ? ', …' : ''}`, splices };
    }
    case 'zero': {
      const at = offsetIn(r, a.hot, size);
      const len = Math.min(size - at, r() < 0.7 ? int(r, 1, 64) : int(r, 65, 4096));
      return { what: `zeroed ${len} bytes at ${at}`, splices: [{ at, del: len, bytes: new Array<number>(len).fill(0) }] };
    }
    case 'field': {
      if (a.fields.length === 0) return null;
      const f = pick(r, a.fields);
      const v = pick(r, f.values);
      if (f.at < 0 || f.at + f.width > size) return null;
      return {
        what: `${f.name} (at ${f.at}) set to ${v}`,
        splices: [{ at: f.at, del: f.width, bytes: encode(v, f.width, f.little) }],
      };
    }
    case 'rewrite': {
      if (a.rewrites.length === 0) return null;
      const w = pick(r, a.rewrites);
      return { what: w.what, splices: [w.splice] };
    }
  }
  return null;
}

const KINDS = ['truncate', 'flip', 'flip', 'zero', 'field', 'field', 'rewrite'];

export interface FixtureSpec {
  path: string;
  format: FuzzFormat;
  count: number;
  hints?: Hdf5Hints;
}

function anatomyOf(format: FuzzFormat, bytes: Uint8Array, hints?: Hdf5Hints): Anatomy {
  switch (format) {
    case 'fastmri':
    case 'ismrmrd':
      return hdf5Anatomy(bytes, hints ?? { shapes: [] });
    case 'dicom':
      return dicomAnatomy(bytes);
    case 'nifti':
      return niftiAnatomy(bytes);
    case 'npy':
      return npyAnatomy(bytes);
  }
}

/** `count` mutants of one fixture, the same for the same seed. */
export function mutantsOf(spec: FixtureSpec, bytes: Uint8Array, seed: number, firstId: number): FuzzCase[] {
  const r = prng(seed);
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const inner = gz ? new Uint8Array(gunzipSync(bytes)) : null;
  const outer: Anatomy = { hot: [{ at: 0, len: Math.min(bytes.length, 4096) }], fields: [], rewrites: [] };
  const anatomy = anatomyOf(spec.format, inner ?? bytes, spec.hints);
  const base = spec.path.split('/').pop()!;
  const ext = /(\.nii\.gz|\.[a-z0-9]+)$/i.exec(base)?.[1] ?? '';
  const out: FuzzCase[] = [];
  for (let tries = 0; out.length < spec.count && tries < spec.count * 20; tries++) {
    const kind = KINDS[tries % KINDS.length];
    // a gzipped file: half the mutants on the compressed stream, half on the content
    const onInner = inner !== null && (kind === 'field' || kind === 'rewrite' || r() < 0.5);
    const m = mutate(r, onInner ? inner : bytes, inner === null || onInner ? anatomy : outer, kind);
    if (!m) continue;
    if (onInner) m.inner = true;
    const id = firstId + out.length;
    out.push({
      id,
      format: spec.format,
      fixture: spec.path,
      file: `fz${id}-${base.replace(ext, '').replace(/[^A-Za-z0-9]+/g, '_')}-${kind}${ext}`,
      mutation: m,
    });
  }
  return out;
}

/** The mutant's bytes. */
export function applyMutation(
  pristine: Uint8Array,
  m: Mutation,
  gzip: (b: Uint8Array) => Uint8Array,
  gunzip: (b: Uint8Array) => Uint8Array,
): Uint8Array {
  let bytes = m.inner ? gunzip(pristine) : pristine;
  const splices = [...m.splices].sort((a, b) => b.at - a.at);
  if (splices.length > 0) {
    const parts: Uint8Array[] = [];
    let end = bytes.length;
    for (const s of splices) {
      parts.unshift(Uint8Array.from(s.bytes), bytes.subarray(s.at + s.del, end));
      end = s.at;
    }
    parts.unshift(bytes.subarray(0, end));
    bytes = Buffer.concat(parts);
  }
  if (m.truncate !== undefined) bytes = bytes.subarray(0, m.truncate);
  return m.inner ? gzip(bytes) : bytes;
}
