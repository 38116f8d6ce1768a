import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qformAffine } from '../../src/io/nifti/header';
import { readNifti, voxelReader } from '../../src/io/nifti/read';
import { niftiImageVolume, openNiftiSource } from '../../src/io/nifti/source';
import { writeNifti, writeVolumeNifti } from '../../src/io/nifti/write';
import { ifft2c } from '../../src/kspace/fft2c';
import { FIXTURES } from '../helpers/paths';

const DIR = join(FIXTURES, 'io', 'nifti');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<
  string,
  { shape: number[]; values: number[]; affine: number[][]; display: number[][][] }
>;
const COLIN = '/usr/share/mricron/templates/ch2better.nii.gz';

describe('NIfTI reader', () => {
  for (const [name, e] of Object.entries(expected)) {
    it(`${name}: values, affine and display slices match numpy`, () => {
      const img = readNifti(join(DIR, name));
      expect(img.header.dims).toEqual(e.shape);
      const at = voxelReader(img);
      const got = Array.from({ length: e.values.length }, (_, i) => at(i));
      got.forEach((v, i) => expect(v).toBeCloseTo(e.values[i], 4));
      img.affine.forEach((row, r) => row.forEach((x, c) => expect(x).toBeCloseTo(e.affine[r][c], 4)));
      const vol = niftiImageVolume(join(DIR, name));
      expect(vol.shape).toEqual([e.display.length, e.display[0].length, e.display[0][0].length]);
      expect(Array.from(vol.data)).toEqual(e.display.flat(2).map((x) => Math.fround(x)));
    });
  }

  it('one-line errors for bad input', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nii-'));
    try {
      writeFileSync(join(tmp, 'empty.nii'), '');
      writeFileSync(join(tmp, 'text.nii'), 'hello, this is not a NIfTI header '.repeat(20));
      const good = readFileSync(join(DIR, 'int16_sform_scaled.nii'));
      writeFileSync(join(tmp, 'trunc.nii'), good.subarray(0, good.length - 10));
      writeFileSync(join(tmp, 'badgz.nii.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
      const huge = Buffer.from(good);
      huge.writeInt16LE(30000, 42);
      huge.writeInt16LE(30000, 44);
      huge.writeInt16LE(30000, 46);
      writeFileSync(join(tmp, 'huge.nii'), huge);
      for (const [f, re] of [
        ['empty.nii', /empty/],
        ['text.nii', /not a NIfTI/],
        ['trunc.nii', /truncated/],
        ['badgz.nii.gz', /gzip/],
        ['huge.nii', /more than we load/],
        ['missing.nii', /not found/],
      ] as const) {
        let msg = '';
        try {
          readNifti(join(tmp, f));
        } catch (err) {
          msg = (err as Error).message;
        }
        expect(msg, f).toMatch(re);
        expect(msg).not.toContain('\n');
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('writes NIfTI-1 (.nii and .nii.gz) that reads back with the same voxels and affine', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nii-'));
    try {
      // an oblique sheared sform (NIfTI-2 fixture) and a rotated qform with qfac −1 (gzipped big-endian)
      for (const [input, orthogonal] of [
        ['float64_nifti2.nii', false],
        ['float32_be_qform.nii.gz', true],
      ] as const) {
        const src = readNifti(join(DIR, input));
        const at = voxelReader(src);
        const data = Float32Array.from({ length: src.volumeSize }, (_, i) => at(i));
        for (const f of ['out.nii', 'out.nii.gz']) {
          await writeNifti(join(tmp, f), { data, dims: src.header.dims, affine: src.affine });
          const back = readNifti(join(tmp, f));
          expect(back.voxels).toEqual(data);
          back.affine.forEach((row, r) => row.forEach((x, c) => expect(x).toBeCloseTo(src.affine[r][c], 5)));
          expect(back.affineSource).toBe('sform');
          // a qform can hold only rotation × zoom: where that is the whole affine it places the volume the same way
          if (orthogonal)
            qformAffine(back.header).forEach((row, r) => row.forEach((x, c) => expect(x).toBeCloseTo(src.affine[r][c], 4)));
        }
      }
      // a display-order volume written with its geometry comes back in the same display order
      const vol = niftiImageVolume(join(DIR, 'int16_sform_scaled.nii'));
      await writeVolumeNifti(join(tmp, 'vol.nii.gz'), vol);
      const again = niftiImageVolume(join(tmp, 'vol.nii.gz'));
      expect(again.shape).toEqual(vol.shape);
      expect(again.data).toEqual(vol.data);
      again.geometry!.forEach((g, s) => g.position.forEach((x, i) => expect(x).toBeCloseTo(vol.geometry![s].position[i], 4)));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('serves axial slices as retrospective single-coil k-space', () => {
    const s = openNiftiSource(join(DIR, 'int16_sform_scaled.nii'));
    expect(s.format).toBe('nifti');
    expect(s.coils).toBe(1);
    const target = s.readTarget(1)!;
    const img = ifft2c(s.readKspace(1), s.height, s.width);
    for (let i = 0; i < target.length; i++) expect(img[2 * i]).toBeCloseTo(target[i], 3);
    expect(() => s.readKspace(s.slices)).toThrow(/out of range/);
  });

  it.skipIf(!existsSync(COLIN))('reads the Colin27 0.5 mm template in RAS display order', () => {
    const s = openNiftiSource(COLIN);
    expect([s.slices, s.height, s.width]).toEqual([316, 370, 301]);
    expect(s.attributes.affine_source).toBe('sform');
    const mid = s.readTarget(158)!;
    expect(Math.max(...mid)).toBeGreaterThan(0);
  });
});
