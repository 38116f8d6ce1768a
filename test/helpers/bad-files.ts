/** Broken inputs every reader must refuse with a one-line message. Made fresh in a temp folder. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as h5 from 'h5wasm/node';
import { SINGLECOIL } from './paths';

export async function makeBadFiles(): Promise<Record<string, string>> {
  await h5.ready;
  const dir = mkdtempSync(join(tmpdir(), 'mri-bad-'));
  const files = {
    missing: join(dir, 'does-not-exist.h5'),
    empty: join(dir, 'empty.h5'),
    text: join(dir, 'notes.h5'),
    truncated: join(dir, 'truncated.h5'),
    noKspace: join(dir, 'no-kspace.h5'),
    realKspace: join(dir, 'real-kspace.h5'),
    directory: dir,
  };
  writeFileSync(files.empty, '');
  writeFileSync(files.text, 'this is a text file renamed .h5\n');
  const full = readFileSync(SINGLECOIL);
  writeFileSync(files.truncated, full.subarray(0, Math.floor(full.length / 3)));
  const a = new h5.File(files.noKspace, 'w');
  a.create_dataset({ name: 'reconstruction_rss', data: new Float32Array(16), shape: [1, 4, 4], dtype: '<f' });
  a.close();
  const b = new h5.File(files.realKspace, 'w');
  b.create_dataset({ name: 'kspace', data: new Float32Array(32), shape: [2, 4, 4], dtype: '<f' });
  b.close();
  copyFileSync(SINGLECOIL, join(dir, 'good.h5'));
  return files;
}
