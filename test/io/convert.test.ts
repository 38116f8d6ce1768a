import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { loadDicomVolume } from '../../src/io/dicom/source';
import { FastMriSource } from '../../src/io/fastmri';
import { niftiImageVolume } from '../../src/io/nifti/source';
import { openScan } from '../../src/io/scan';
import { FIXTURES, SINGLECOIL } from '../helpers/paths';

const DCM = join(FIXTURES, 'io', 'dicom');
const NII = join(FIXTURES, 'io', 'nifti');

async function quiet(argv: string[]): Promise<number> {
  const [log, err] = [console.log, console.error];
  const lines: string[] = [];
  console.log = (...a: unknown[]) => lines.push(a.join(' '));
  console.error = (...a: unknown[]) => lines.push(a.join(' '));
  try {
    return await main(argv);
  } finally {
    [console.log, console.error] = [log, err];
  }
}

describe('openScan detects the format by content', () => {
  it('fastMRI, DICOM file and folder, NIfTI, and a clear error otherwise', async () => {
    expect((await openScan(SINGLECOIL)).format).toBe('fastmri');
    expect((await openScan(join(DCM, 'MR_small.dcm'))).format).toBe('dicom');
    expect((await openScan(join(DCM, 'series'))).format).toBe('dicom');
    expect((await openScan(join(NII, 'float32_be_qform.nii.gz'))).format).toBe('nifti');
    await expect(openScan(join(NII, 'expected.json'))).rejects.toThrow(/unknown format/);
  });
});

describe('mri-recon convert / info', () => {
  it('NIfTI → DICOM → NIfTI keeps voxels and geometry; fastMRI → NIfTI, PNG, .h5; errors exit 2', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'conv-'));
    try {
      const src = join(NII, 'int16_sform_scaled.nii');
      expect(await quiet(['convert', src, join(tmp, 'dcm') + '/'])).toBe(0);
      expect(await quiet(['convert', join(tmp, 'dcm'), join(tmp, 'back.nii.gz')])).toBe(0);
      const a = niftiImageVolume(src);
      const b = niftiImageVolume(join(tmp, 'back.nii.gz'));
      expect(b.shape).toEqual(a.shape);
      // 16-bit DICOM quantises a 300-wide range in steps of ~0.005
      b.data.forEach((v, i) => expect(Math.abs(v - a.data[i])).toBeLessThan(0.005));
      b.geometry!.forEach((g, s) => g.position.forEach((x, i) => expect(x).toBeCloseTo(a.geometry![s].position[i], 3)));
      const d = await loadDicomVolume(join(tmp, 'dcm'));
      expect(d.shape).toEqual(a.shape);

      expect(await quiet(['convert', SINGLECOIL, join(tmp, 'colin.nii')])).toBe(0);
      expect(niftiImageVolume(join(tmp, 'colin.nii')).shape).toEqual([5, 256, 256]);
      expect(await quiet(['convert', SINGLECOIL, join(tmp, 'sl_%02d.png'), '--bits', '16'])).toBe(0);
      expect(readdirSync(tmp).filter((f) => f.endsWith('.png')).length).toBe(5);
      expect(await quiet(['convert', join(DCM, 'series'), join(tmp, 'retro.h5')])).toBe(0);
      const h5 = await FastMriSource.open(join(tmp, 'retro.h5'));
      expect([h5.slices, h5.coils, h5.height, h5.width]).toEqual([4, 1, 64, 64]);
      expect(h5.targetKey).toBe('reconstruction_esc');
      h5.close();

      expect(await quiet(['convert', src, join(tmp, 'out.xyz')])).toBe(2);
      expect(await quiet(['convert', join(tmp, 'nope.nii'), join(tmp, 'o.nii')])).not.toBe(0);
      expect(await quiet(['info', join(DCM, 'series'), '--json'])).toBe(0);
      expect(await quiet(['info', join(NII, 'float64_nifti2.nii')])).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('recon --out writes NIfTI, PNG and a DICOM series', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rec-'));
    try {
      const input = join(DCM, 'series');
      for (const out of [join(tmp, 'r.nii.gz'), join(tmp, 'r_%03d.png'), join(tmp, 'dcm') + '/']) {
        expect(await quiet(['recon', input, '--method', 'zf', '--accel', '4', '--seed', '1', '--out', out])).toBe(0);
      }
      expect(existsSync(join(tmp, 'r.nii.gz'))).toBe(true);
      expect(existsSync(join(tmp, 'r_003.png'))).toBe(true);
      const d = await loadDicomVolume(join(tmp, 'dcm'));
      expect(d.headers[0].seriesDescription).toMatch(/zf random 4x/);
      const src = await loadDicomVolume(input);
      d.geometry!.forEach((g, s) => g.position.forEach((x, i) => expect(x).toBeCloseTo(src.geometry![s].position[i], 3)));
      expect(await quiet(['recon', input, '--out', join(tmp, 'bad.txt')])).toBe(2);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
