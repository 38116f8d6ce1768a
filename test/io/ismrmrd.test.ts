import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIsmrmrdSource } from '../../src/io/ismrmrd/source';
import { parseNpy } from '../../src/io/npy';
import { openScan } from '../../src/io/scan';
import { FIXTURES, ROOT } from '../helpers/paths';

const DIR = join(FIXTURES, 'io', 'ismrmrd');
const GEN = '/usr/bin/ismrmrd_generate_cartesian_shepp_logan';
const PY = '/usr/bin/python3';
const SCRIPT = join(ROOT, 'test', 'fixtures', 'scripts', 'ismrmrd_reference.py');

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
      compare('generated', parseNpy(readFileSync(join(tmp, 'ref.npy'))), s);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
