import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRows } from '../../src/io/hdf5/h5';
import { openIsmrmrdSource, readIsmrmrd } from '../../src/io/ismrmrd/source';
import { parseNpy } from '../../src/io/npy';
import { openScan } from '../../src/io/scan';
import { FIXTURES, ROOT } from '../helpers/paths';

const DIR = join(FIXTURES, 'io', 'ismrmrd');
const GEN = '/usr/bin/ismrmrd_generate_cartesian_shepp_logan';
const PY = '/usr/bin/python3';
const SCRIPT = join(ROOT, 'test', 'fixtures', 'scripts', 'ismrmrd_reference.py');
const VARIANTS = join(ROOT, 'test', 'fixtures', 'scripts', 'ismrmrd_variants.py');
/** 2 slices × 2 repetitions, acquisitions interleaved in runs of 3, 2 noise scans (ismrmrd_variants.py interleave) */
const INTERLEAVED = join(DIR, 'interleaved.h5');

// every h5wasm row read of the acquisition table goes through readRows: count the rows it reads
vi.mock('../../src/io/hdf5/h5', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../../src/io/hdf5/h5')>();
  return { ...mod, readRows: vi.fn(mod.readRows) };
});
const rowsRead = () => vi.mocked(readRows).mock.calls.reduce((n, call) => n + call[2], 0);

function compare(
  path: string,
  ref: { data: Float32Array | ArrayLike<number>; shape: number[] },
  s: Awaited<ReturnType<typeof openIsmrmrdSource>>,
) {
  const [n, coils, h, w] = ref.shape;
  expect([s.slices, s.coils, s.height, s.width]).toEqual([n, coils, h, w]);
  const per = 2 * coils * h * w;
  for (let i = 0; i < n; i++) {
    const k = s.readKspace(i);
    let num = 0;
    let den = 0;
    for (let j = 0; j < per; j++) {
      num += (k[j] - Number(ref.data[i * per + j])) ** 2;
      den += Number(ref.data[i * per + j]) ** 2;
    }
    expect(Math.sqrt(num / den), `${path} image ${i}`).toBeLessThan(1e-5);
  }
}

describe('ISMRMRD reader', () => {
  it('assembles the shipped Shepp-Logan fixture like the numpy reference (noise skipped, calibration kept, oversampling removed)', async () => {
    const s = await openIsmrmrdSource(join(DIR, 'shepp_logan.h5'));
    // written by the ISMRMRD library: its headers are indexed from the stored bytes, no samples read
    expect(s.indexedFrom).toBe('stored');
    expect(s.attributes.noise_scans_skipped).toBe(1);
    expect(Number(s.attributes.calibration_lines)).toBeGreaterThan(0);
    expect(s.attributes.recon_matrix).toBe('32x32x1');
    compare('fixture', parseNpy(readFileSync(join(DIR, 'shepp_logan_kspace.npy'))), s);
    const viaDetect = await openScan(join(DIR, 'shepp_logan.h5'));
    expect(viaDetect.format).toBe('ismrmrd');
  });

  const canGenerate = existsSync(GEN) && existsSync(PY);
  if (!canGenerate) console.warn(`note: ${GEN} or ${PY} missing, the freshly generated ISMRMRD comparison is skipped`);
  it.skipIf(!canGenerate)('a freshly generated 64² 4-coil 2-repetition file matches numpy', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ismrmrd-'));
    try {
      const h5 = join(tmp, 'sl.h5');
      execFileSync(GEN, ['-m', '64', '-c', '4', '-r', '2', '-o', h5], { stdio: 'ignore' });
      execFileSync(PY, [SCRIPT, h5, join(tmp, 'ref.npy')]);
      const t0 = performance.now();
      const s = await openIsmrmrdSource(h5);
      const ms = performance.now() - t0;
      console.log(`ISMRMRD open (${s.attributes.acquisitions} acquisitions, ${s.coils} coils): ${ms.toFixed(0)} ms`);
      expect(s.indexedFrom).toBe('stored');
      compare('generated', parseNpy(readFileSync(join(tmp, 'ref.npy'))), s);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('ISMRMRD reader, lazily', () => {
  const ref = () => parseNpy(readFileSync(join(DIR, 'interleaved_kspace.npy')));

  it('opens from the acquisition headers alone and reads only the requested image’s acquisitions', async () => {
    vi.mocked(readRows).mockClear();
    const s = await openIsmrmrdSource(INTERLEAVED);
    // the headers come from the stored element bytes; h5wasm reads only three sample rows to cross-check them
    expect(s.indexedFrom).toBe('stored');
    expect(rowsRead()).toBeLessThanOrEqual(3);
    expect(s.attributes.slice_labels).toBe('s0c0r0 s0c0r1 s1c0r0 s1c0r1');
    expect([s.attributes.acquisitions, s.attributes.noise_scans_skipped, s.attributes.acquisitions_used]).toEqual([82, 2, 80]);

    const whole = await readIsmrmrd(INTERLEAVED);
    const { data, shape } = ref();
    const per = 2 * shape[1] * shape[2] * shape[3];
    const out = new Float32Array(per);
    for (const i of [2, 0, 3, 1, 2]) {
      vi.mocked(readRows).mockClear();
      const k = s.readKspace(i, out);
      expect(k).toBe(out);
      // 20 acquisitions per image, read in runs of 3 (the file interleaves the images)
      expect(rowsRead(), `image ${i}`).toBe(20);
      expect(vi.mocked(readRows).mock.calls.length).toBe(7);
      expect(k).toEqual(whole.kspace.images[i]);
      let num = 0;
      let den = 0;
      for (let j = 0; j < per; j++) {
        num += (k[j] - Number(data[i * per + j])) ** 2;
        den += Number(data[i * per + j]) ** 2;
      }
      expect(Math.sqrt(num / den), `image ${i}`).toBeLessThan(1e-5);
    }
    s.close();
  });

  it('indexing through h5wasm instead (which reads every row) gives the same images', async () => {
    vi.mocked(readRows).mockClear();
    const s = await openIsmrmrdSource(INTERLEAVED, { index: 'hdf5' });
    expect(s.indexedFrom).toBe('hdf5');
    expect(rowsRead()).toBe(82);
    const lazy = await openIsmrmrdSource(INTERLEAVED);
    for (let i = s.slices - 1; i >= 0; i--) expect(s.readKspace(i)).toEqual(lazy.readKspace(i));
    s.close();
    lazy.close();
  });

  it('a truncated file is named as such on open', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ismrmrd-'));
    try {
      const cut = join(tmp, 'cut.h5');
      const bytes = readFileSync(INTERLEAVED);
      writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
      await expect(openIsmrmrdSource(cut)).rejects.toThrow(/cut\.h5 is truncated/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  const canGenerate = existsSync(PY);
  describe.skipIf(!canGenerate)('other HDF5 layouts and damaged files (h5py)', () => {
    let tmp = '';
    beforeAll(() => {
      tmp = mkdtempSync(join(tmpdir(), 'ismrmrd-'));
    });
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it.each([
      ['chunk7', 'stored'],
      ['contiguous', 'stored'],
      ['v108', 'stored'],
      ['latest', 'hdf5'],
      ['gzip', 'hdf5'],
    ] as const)('%s storage is indexed from %s and assembles like numpy', async (kind, from) => {
      const h5 = join(tmp, `${kind}.h5`);
      execFileSync(PY, [VARIANTS, 'layout', kind, INTERLEAVED, h5]);
      const s = await openIsmrmrdSource(h5);
      expect(s.indexedFrom).toBe(from);
      compare(kind, ref(), s);
      s.close();
    });

    it('a damaged acquisition fails its own image only, with an error naming the file and the image', async () => {
      const h5 = join(tmp, 'damaged.h5');
      // row 2 belongs to image 2 (slice 1, repetition 0); its samples now point past the end of the file
      execFileSync(PY, [VARIANTS, 'break-row', '2', INTERLEAVED, h5]);
      const s = await openIsmrmrdSource(h5);
      const intact = await readIsmrmrd(INTERLEAVED);
      for (const i of [0, 1, 3]) expect(s.readKspace(i)).toEqual(intact.kspace.images[i]);
      // refused before h5wasm reads it: the heap the row points at is checked first (heap-guard.ts)
      expect(() => s.readKspace(2)).toThrow(
        /^damaged\.h5: cannot read slice 2 \(s1c0r0\): acquisition 2 \(data\): the global heap collection at \d+ is corrupt \(it starts past the end of the file/,
      );
      s.close();
    });
  });
});
