import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readDicom } from '../../src/io/dicom/parse';
import { parseNpy } from '../../src/io/npy';
import { FIXTURES } from '../helpers/paths';

const DIR = join(FIXTURES, 'io', 'dicom');
const withReference = readdirSync(DIR).filter((f) => f.endsWith('.npy.gz'));

async function errorOf(p: string): Promise<string> {
  try {
    await readDicom(p);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('DICOM pixel decoding equals pydicom (dcmtk for JPEG lossless / JPEG-LS)', () => {
  for (const npy of withReference) {
    const dcm = npy.replace(/\.npy\.gz$/, '.dcm');
    it(dcm, async () => {
      const ref = parseNpy(gunzipSync(readFileSync(join(DIR, npy))));
      const img = await readDicom(join(DIR, dcm));
      expect(img.stored.length).toBe(ref.data.length);
      let bad = 0;
      for (let i = 0; i < ref.data.length; i++) if (img.stored[i] !== Number(ref.data[i])) bad++;
      expect(bad).toBe(0);
    });
  }
});

describe('DICOM bad input: one-line errors', () => {
  it('truncated, empty, text, absurd dimensions, 12-bit lossy JPEG', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'dcm-'));
    try {
      writeFileSync(join(tmp, 'empty.dcm'), '');
      writeFileSync(join(tmp, 'text.dcm'), 'this is a text file, not DICOM\n'.repeat(10));
      const good = readFileSync(join(DIR, 'MR_small.dcm'));
      // Rows (0028,0010) is US in explicit LE: find it and make the image absurdly large
      const absurd = Buffer.from(good);
      const at = absurd.indexOf(Buffer.from([0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00]));
      absurd.writeUInt16LE(65535, at + 8);
      absurd.writeUInt16LE(65535, at + 18); // Columns follows Rows
      writeFileSync(join(tmp, 'absurd.dcm'), absurd);
      writeFileSync(join(tmp, 'half.dcm'), good.subarray(0, 200));
      const cases: [string, RegExp][] = [
        [join(DIR, 'MR_truncated.dcm'), /truncated/],
        [join(tmp, 'empty.dcm'), /empty/],
        [join(tmp, 'text.dcm'), /not a DICOM file/],
        [join(tmp, 'absurd.dcm'), /truncated|not loadable/],
        [join(tmp, 'half.dcm'), /MR_small|half\.dcm/],
        [join(DIR, 'tk_jpeg_extended12.dcm'), /12-bit lossy JPEG/],
        [join(DIR, 'JPGExtended.dcm'), /12-bit lossy JPEG/],
        [join(tmp, 'missing.dcm'), /not found/],
      ];
      for (const [p, re] of cases) {
        const msg = await errorOf(p);
        expect(msg, p).toMatch(re);
        expect(msg).not.toContain('\n');
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
