/**
 * The fixtures each format's mutants are made from (small real files), and the deterministic case
 * list for a seed. Shared by the fuzz test and by hand reproduction (see fuzz.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as h5 from 'h5wasm/node';
import { FIXTURES, MULTICOIL, SINGLECOIL } from '../../helpers/paths';
import { mutantsOf, type FixtureSpec, type FuzzCase, type FuzzFormat, type Hdf5Hints, type Mutation } from './mutants';

const ISMRMRD = join(FIXTURES, 'io', 'ismrmrd');
const DICOM = join(FIXTURES, 'io', 'dicom');
const NIFTI = join(FIXTURES, 'io', 'nifti');

/** Dataset shapes and acquisition-head layout of the HDF5 fixtures, so their fields can be found. */
async function hdf5Hints(path: string): Promise<Hdf5Hints> {
  await h5.ready;
  const f = new h5.File(path, 'r');
  try {
    const shapes: number[][] = [];
    let head: Hdf5Hints['head'];
    const visit = (g: InstanceType<typeof h5.Group>, prefix: string) => {
      for (const k of g.keys()) {
        const e = g.get(k);
        if (e instanceof h5.Group) visit(e, `${prefix}${k}/`);
        else if (e instanceof h5.Dataset && e.shape && e.shape.length > 0) {
          shapes.push(e.shape);
          if (`${prefix}${k}` === 'dataset/data') head = acquisitionHead(e);
        }
      }
    };
    visit(f, '');
    return { shapes, head };
  } finally {
    f.close();
  }
}

interface Member {
  name: string;
  offset: number;
  size: number;
  compound_type?: { members: Member[] };
}

/** Where the head fields sit relative to number_of_samples, and that field's first values. */
function acquisitionHead(ds: InstanceType<typeof h5.Dataset>): Hdf5Hints['head'] {
  const members = (ds.metadata as unknown as { compound_type: { members: Member[] } }).compound_type.members;
  const head = members.find((m) => m.name === 'head')!;
  const hm = head.compound_type!.members;
  const off = (n: string) => hm.find((m) => m.name === n)!.offset;
  const idx = hm.find((m) => m.name === 'idx')!;
  const ns = off('number_of_samples');
  const fields: NonNullable<Hdf5Hints['head']>['fields'] = [
    { name: 'number_of_samples', offset: 0, width: 2 },
    { name: 'active_channels', offset: off('active_channels') - ns, width: 2 },
    { name: 'center_sample', offset: off('center_sample') - ns, width: 2 },
    { name: 'flags', offset: off('flags') - ns, width: 4 },
    ...['kspace_encode_step_1', 'slice', 'contrast', 'repetition'].map((n) => ({
      name: `idx.${n}`,
      offset: idx.offset + idx.compound_type!.members.find((m) => m.name === n)!.offset - ns,
      width: 2 as const,
    })),
  ];
  // the first row's (samples, available, active) channels, as the search pattern
  const row = (ds.slice([[0, 1]]) as unknown as unknown[][][])[0][0] as number[];
  const value = (n: string) => Number(row[hm.findIndex((m) => m.name === n)]);
  return { pattern: [value('number_of_samples'), value('available_channels'), value('active_channels')], fields };
}

const FIXTURE_SPECS: (() => Promise<FixtureSpec[]>)[] = [
  async () => [
    { path: MULTICOIL, format: 'fastmri', count: 80, hints: await hdf5Hints(MULTICOIL) },
    { path: SINGLECOIL, format: 'fastmri', count: 40, hints: await hdf5Hints(SINGLECOIL) },
  ],
  async () => [
    {
      path: join(ISMRMRD, 'shepp_logan.h5'),
      format: 'ismrmrd',
      count: 60,
      hints: await hdf5Hints(join(ISMRMRD, 'shepp_logan.h5')),
    },
    {
      path: join(ISMRMRD, 'interleaved.h5'),
      format: 'ismrmrd',
      count: 60,
      hints: await hdf5Hints(join(ISMRMRD, 'interleaved.h5')),
    },
  ],
  async () =>
    [
      'MR_small.dcm', // explicit VR little endian
      'MR_small_implicit.dcm',
      'MR_small_bigendian.dcm',
      'tk_deflated.dcm',
      'MR_small_RLE.dcm',
      'rtdose.dcm', // multi-frame
      'tk_jpeg_baseline.dcm',
      'tk_jpeg_lossless.dcm',
      'tk_jpegls.dcm',
      'MR_small_jp2klossless.dcm',
      'JPEG2000.dcm',
    ].map((f) => ({ path: join(DICOM, f), format: 'dicom' as const, count: 12 })),
  async () =>
    ['int16_sform_scaled.nii', 'float64_nifti2.nii', 'float32_be_qform.nii.gz', 'uint8_4d_noxform.nii'].map((f) => ({
      path: join(NIFTI, f),
      format: 'nifti' as const,
      count: 32,
    })),
  async () =>
    [join(ISMRMRD, 'shepp_logan_kspace.npy'), join(FIXTURES, 'fft', 'fft_8x8_x.npy'), join(FIXTURES, 'unet', 'input.npy')].map(
      (p) => ({ path: p, format: 'npy' as const, count: 40 }),
    ),
];

export const FORMATS: FuzzFormat[] = ['fastmri', 'ismrmrd', 'dicom', 'nifti', 'npy'];

/** Every mutant of one format for `seed`, `scale` × the default counts; ids are unique across formats. */
export async function fuzzCases(format: FuzzFormat, seed: number, scale = 1): Promise<FuzzCase[]> {
  const f = FORMATS.indexOf(format);
  const specs = await FIXTURE_SPECS[f]();
  let id = f * 100_000;
  const cases: FuzzCase[] = [];
  specs.forEach((s, i) => {
    const more = mutantsOf({ ...s, count: Math.round(s.count * scale) }, readFileSync(s.path), seed + 7919 * f + 104_729 * i, id);
    id += more.length;
    cases.push(...more);
  });
  return cases;
}

/** A hand-made mutant that once crashed, hung or threw badly, and what it must give now. */
export interface Regression {
  case: FuzzCase;
  /** the message the readers must throw, or 'ok' when the file must read */
  expect: RegExp | 'ok';
}

const le = (v: number | bigint, width: number) => {
  const out: number[] = [];
  let x = BigInt(v);
  for (let i = 0; i < width; i++, x >>= 8n) out.push(Number(x & 0xffn));
  return out;
};

/** File offsets of the object headers in the global heap collection at `at` (16-byte headers, 8-byte lengths). */
function heapObjects(b: Buffer, at: number): number[] {
  const size = Number(b.readBigUInt64LE(at + 8));
  const out: number[] = [];
  for (let p = 16; p + 16 <= size;) {
    out.push(at + p);
    const idx = b.readUInt16LE(at + p);
    const objSize = Number(b.readBigUInt64LE(at + p + 8));
    p += idx > 0 ? 16 + ((objSize + 7) & ~7) : objSize;
  }
  return out;
}

function collections(b: Buffer): number[] {
  const out: number[] = [];
  for (let at = b.indexOf('GCOL'); at >= 0; at = b.indexOf('GCOL', at + 1)) out.push(at);
  return out;
}

/** The failures the fuzzing found, as fixed cases, so they stay fixed whatever the seed. */
export function regressions(): Regression[] {
  const out: Regression[] = [];
  let id = 900_000;
  const add = (format: FuzzFormat, fixture: string, what: string, splices: Mutation['splices'], expect: Regression['expect']) => {
    const base = fixture.split('/').pop()!;
    const ext = /(\.nii\.gz|\.[a-z0-9]+)$/i.exec(base)?.[1] ?? '';
    out.push({
      case: {
        id,
        format,
        fixture,
        file: `reg${id++}-${base.replace(ext, '').replace(/[^A-Za-z0-9]+/g, '_')}${ext}`,
        mutation: { what, splices },
      },
      expect,
    });
  };
  const zero = (at: number, n: number) => ({ at, del: n, bytes: new Array<number>(n).fill(0) });

  // ISMRMRD: a free-space object of size 0 inside a global heap collection makes HDF5 loop forever
  const il = join(ISMRMRD, 'interleaved.h5');
  const ilBytes = readFileSync(il);
  const [xmlHeap, dataHeap] = collections(ilBytes);
  add(
    'ismrmrd',
    il,
    'XML heap: object after the header zeroed',
    [zero(heapObjects(ilBytes, xmlHeap)[1], 16)],
    /\/dataset\/xml: the global heap collection at \d+ is corrupt \(a free-space object of size 0/,
  );
  add(
    'ismrmrd',
    il,
    'acquisition heap: second object header zeroed',
    [zero(heapObjects(ilBytes, dataHeap)[1], 16)],
    /acquisition \d+ \(data\): the global heap collection at \d+ is corrupt \(a free-space object of size 0/,
  );
  // … and an object larger than its reference says would overflow HDF5's buffer
  const first = heapObjects(ilBytes, dataHeap)[0];
  const firstSize = Number(ilBytes.readBigUInt64LE(first + 8));
  add(
    'ismrmrd',
    il,
    'acquisition heap: first object 8 bytes too large',
    [{ at: first + 8, del: 8, bytes: le(firstSize + 8, 8) }],
    /global heap/,
  );
  // an element whose sequence length is shorter than its heap object: HDF5 would copy the object into a
  // buffer sized by the length
  const ref = Buffer.from([...le(firstSize / 4, 4), ...le(dataHeap, 8), ...le(ilBytes.readUInt16LE(first), 4)]);
  const refAt = ilBytes.indexOf(ref);
  if (refAt >= 0)
    add(
      'ismrmrd',
      il,
      'acquisition data length 2 floats short of its heap object',
      [{ at: refAt, del: 4, bytes: le(firstSize / 4 - 2, 4) }],
      /acquisition data has \d+ floats, header says/,
    );
  // one flipped bit field byte turns the XML's vlen string type into a vlen sequence of bytes, whose
  // decoding traps inside h5wasm (memory access out of bounds)
  add(
    'ismrmrd',
    il,
    'XML datatype bit field 0x01 → 0xdb',
    [{ at: 1889, del: 1, bytes: [0xdb] }],
    /\/dataset\/xml is not a text header/,
  );
  // HDF5 cannot find the XML's heap object and leaves the element unwritten: h5wasm's own read then
  // decoded and freed whatever pointer its uninitialised buffer held (a trap, or a corrupted wasm heap
  // that broke later reads, depending on what came before); through a zeroed buffer it is an empty header
  add(
    'ismrmrd',
    il,
    'XML storage size 16 → 0x97…10 (the raw reader cannot check it), its heap object renumbered 1 → 244',
    [
      { at: 1953, del: 1, bytes: [0x97] },
      { at: xmlHeap + 16, del: 1, bytes: [244] },
    ],
    /ISMRMRD header has no <encoding> section|\/dataset\/xml/,
  );
  // a chunk's filter mask flipped (the raw reader gives up, so no heap references) and a heap
  // collection broken: every collection in the file is checked before HDF5 reads any row
  add(
    'ismrmrd',
    join(ISMRMRD, 'shepp_logan.h5'),
    '5 bytes flipped: a chunk filter mask and a heap object header among them',
    (
      [
        [47624, 90],
        [121284, 196],
        [120941, 206],
        [1262, 147],
        [581, 60],
      ] as const
    ).map(([at, b]) => ({ at, del: 1, bytes: [b] })),
    /\/dataset\/data \(indexed through HDF5\): the global heap collection at \d+ is corrupt/,
  );
  // absurd header parameters
  const sl = join(ISMRMRD, 'shepp_logan.h5');
  const slText = readFileSync(sl).toString('latin1');
  const x = /<x>64<\/x>\s+/.exec(slText)!;
  add(
    'ismrmrd',
    sl,
    'XML matrix x = 9999999',
    [{ at: x.index, del: x[0].length, bytes: [...Buffer.from('<x>9999999</x>'.padEnd(x[0].length, ' '))] }],
    /matrixSize 9999999×\d+×\d+ is out of range/,
  );
  const lim = /<maximum>31<\/maximum>\s+/.exec(slText)!;
  add(
    'ismrmrd',
    sl,
    'encoding limit maximum = 9999999',
    [{ at: lim.index, del: lim[0].length, bytes: [...Buffer.from('<maximum>9999999</maximum>'.padEnd(lim[0].length, ' '))] }],
    /maximum 9999999 is out of range/,
  );

  // fastMRI: a damaged heap under the root attributes: the attributes are skipped, the scan reads
  const sc = readFileSync(SINGLECOIL);
  const attrHeap = collections(sc).at(-1)!;
  add('fastmri', SINGLECOIL, 'attribute heap: second object zeroed', [zero(heapObjects(sc, attrHeap)[1], 16)], 'ok');

  // … and with the root object header damaged where the raw reader gives up but HDF5 does not: an
  // attribute that cannot be checked is not read
  add(
    'fastmri',
    SINGLECOIL,
    'root object header byte 133 and a heap object size flipped',
    [
      { at: 133, del: 1, bytes: [24] },
      { at: heapObjects(sc, attrHeap)[1] + 8, del: 1, bytes: [29] },
    ],
    'ok',
  );

  // a kspace dataspace claiming 10^18 rows (its dims and the byte before them damaged): the slab size
  // wrapped in the 32-bit wasm malloc, HDF5 overran the buffer and every later read in the process failed
  add(
    'fastmri',
    MULTICOIL,
    'kspace dataspace dim 2 high byte and flags byte flipped',
    [
      { at: 826, del: 1, bytes: [220] },
      { at: 855, del: 1, bytes: [81] },
    ],
    /kspace shape \[2,8,\d+,256\] needs .* far more than the file's/,
  );

  // DICOM: dicom-parser throws strings and wasm codecs throw numbers; a pixel length past the end
  const rt = join(DICOM, 'rtdose.dcm');
  add(
    'dicom',
    rt,
    'a run of elements zeroed',
    [zero(1473, 2283)],
    /rtdose\.dcm: (not readable as DICOM|damaged DICOM|no pixel data)/,
  );
  add(
    'dicom',
    rt,
    'ImagePositionPatient length 2^31 − 1',
    [{ at: 758, del: 4, bytes: le(0x7fffffff, 4) }],
    /reg\d+-rtdose\.dcm: /,
  );
  add('dicom', rt, 'pixel data length one byte past the end', [{ at: 1564, del: 4, bytes: le(6001, 4) }], 'ok');
  add(
    'dicom',
    join(DICOM, 'tk_jpegls.dcm'),
    'JPEG-LS scan zeroed',
    [zero(3359, 34)],
    /JPEG-LS decode failed \(the decoder rejected the codestream as corrupt\)/,
  );

  // NIfTI: a NaN in the sform (its orientation cannot be read): the next method is used, no TypeError
  const nan12 = Array.from({ length: 12 }, () => [0, 0, 0xc0, 0x7f]).flat();
  add('nifti', join(NIFTI, 'int16_sform_scaled.nii'), 'srow_x/y/z all NaN', [{ at: 280, del: 48, bytes: nan12 }], 'ok');

  // .npy: a negative dimension, a control character in the dtype
  const npy = join(FIXTURES, 'unet', 'input.npy');
  const head = readFileSync(npy).toString('latin1', 0, 128);
  const shape = /\(1, 1, 64, 64\)/.exec(head)!;
  add(
    'npy',
    npy,
    'shape (-1, 1, 64, 64)',
    [{ at: shape.index, del: shape[0].length, bytes: [...Buffer.from('(-1,1, 64, 64)')] }],
    /shape \(-1,1, 64, 64\) is not a tuple of non-negative integers/,
  );
  const f4 = head.indexOf("'<f4'");
  add('npy', npy, 'dtype <f\\r', [{ at: f4 + 3, del: 1, bytes: [13] }], /dtype <f\? is not supported/);
  return out;
}
