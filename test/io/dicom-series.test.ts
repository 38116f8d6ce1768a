import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDicom } from '../../src/io/dicom/parse';
import { loadDicomVolume, openDicomSource } from '../../src/io/dicom/source';
import { writeDicomSeries } from '../../src/io/dicom/write';
import { FIXTURES } from '../helpers/paths';

const DIR = join(FIXTURES, 'io', 'dicom');
const PY = '/usr/bin/python3';
const hasPydicom =
  existsSync(PY) &&
  (() => {
    try {
      execFileSync(PY, ['-c', 'import pydicom']);
      return true;
    } catch {
      return false;
    }
  })();
const hasDcmdump = existsSync('/usr/bin/dcmdump');

describe('DICOM series', () => {
  it('groups a folder by series and sorts slices along the normal, not by instance number', async () => {
    const vol = await loadDicomVolume(join(DIR, 'series'));
    expect(vol.seriesCount).toBe(2);
    expect(vol.series!.sortedBy).toBe('position');
    expect(vol.shape).toEqual([4, 64, 64]);
    const base = (await readDicom(join(DIR, 'MR_small.dcm'))).stored;
    // slice k was written as MR_small + 100·k
    for (let k = 0; k < 4; k++) expect(vol.data[k * 4096 + 10]).toBe(base[10] + 100 * k);
    const d = vol.geometry!.map((g) => g.position);
    const step = Math.hypot(d[1][0] - d[0][0], d[1][1] - d[0][1], d[1][2] - d[0][2]);
    expect(step).toBeCloseTo(2.5, 3);
  });

  it('is a scan with retrospective k-space and patient / series metadata', async () => {
    const s = await openDicomSource(join(DIR, 'series'));
    expect(s.format).toBe('dicom');
    expect([s.slices, s.coils, s.height, s.width]).toEqual([4, 1, 64, 64]);
    expect(s.attributes.series_in_folder).toBe(2);
    expect(typeof s.attributes.patient_name).toBe('string');
    expect(s.readKspace(0).length).toBe(2 * 64 * 64);
  });

  it('a multi-frame file is one slice per frame', async () => {
    const v = await loadDicomVolume(join(DIR, 'rtdose.dcm'));
    expect(v.shape).toEqual([15, 10, 10]);
  });
});

describe('DICOM writer', () => {
  it('round-trips float images and geometry through our reader; pydicom and dcmdump accept the files', async () => {
    const src = await loadDicomVolume(join(DIR, 'series'));
    const floats = { ...src, data: src.data.map((v, i) => v * 0.37 + (i % 5) * 0.01 - 3) };
    const tmp = mkdtempSync(join(tmpdir(), 'dcmw-'));
    try {
      for (const [name, vol] of [
        ['ints', src],
        ['floats', floats],
      ] as const) {
        const out = join(tmp, name);
        const files = await writeDicomSeries(out, vol, {
          description: 'zf random 4x',
          derivation: 'method=zf mask=random accel=4 center=0.08',
          seriesNumber: 901,
          patientName: 'Test^Patient',
        });
        expect(files.length).toBe(4);
        const back = await loadDicomVolume(out);
        expect(back.shape).toEqual(vol.shape);
        const h = back.headers[0];
        const step = h.rescaleSlope;
        let maxErr = 0;
        for (let i = 0; i < vol.data.length; i++) maxErr = Math.max(maxErr, Math.abs(back.data[i] - vol.data[i]));
        if (name === 'ints') expect(maxErr).toBe(0);
        else expect(maxErr).toBeLessThanOrEqual(step / 2 + 1e-4 * Math.abs(h.rescaleIntercept) + 1e-6);
        back.geometry!.forEach((g, s) => {
          g.position.forEach((x, i) => expect(x).toBeCloseTo(vol.geometry![s].position[i], 4));
          g.rowCosines.forEach((x, i) => expect(x).toBeCloseTo(vol.geometry![s].rowCosines[i], 6));
          g.colCosines.forEach((x, i) => expect(x).toBeCloseTo(vol.geometry![s].colCosines[i], 6));
        });
        expect(h.seriesDescription).toBe('zf random 4x');
        if (hasPydicom) {
          execFileSync(PY, [
            '-W',
            'error',
            '-c',
            'import sys, pydicom\nfor p in sys.argv[1:]:\n d = pydicom.dcmread(p); d.pixel_array',
            ...files,
          ]);
        }
        if (hasDcmdump) {
          for (const f of files) {
            const outText = execFileSync('sh', ['-c', 'dcmdump -q "$1" 2>&1', 'sh', f], { encoding: 'utf8' });
            expect(outText).not.toMatch(/error|warn/i);
          }
        }
      }
      expect(readdirSync(join(tmp, 'ints')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
