import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { getDataset, openH5, readSlab } from '../../io/hdf5/h5';
import { readVolume } from '../../io/submission';
import { evaluateVolume } from '../../metrics';
import { parse } from '../args';
import { UsageError } from '../errors';
import { formatMetrics } from '../output';

export const help = `mri-recon evaluate --target T --pred P [--json]
  fastMRI's evaluate: NMSE, PSNR and SSIM of each predicted volume ('reconstruction') against the target
  file's reference (reconstruction_rss / reconstruction_esc). T and P are files, or folders matched by name.`;

async function readTarget(path: string): Promise<{ data: Float32Array; shape: [number, number, number] }> {
  const f = await openH5(path, 'r');
  try {
    const key = ['reconstruction_rss', 'reconstruction_esc', 'reconstruction'].find((k) => getDataset(f, k));
    if (!key) throw new UsageError(`${path}: no reference dataset (reconstruction_rss / reconstruction_esc)`);
    const ds = getDataset(f, key)!;
    const shape = ds.shape ?? [];
    if (shape.length !== 3) throw new UsageError(`${path}: '${key}' has rank ${shape.length}, expected 3`);
    return { data: readSlab(ds, [0, 0, 0], shape), shape: [shape[0], shape[1], shape[2]] };
  } finally {
    f.close();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { target: { type: 'string' }, pred: { type: 'string' }, json: { type: 'boolean' } }, false);
  if (values.help) return (console.log(help), 0);
  const target = values.target as string | undefined;
  const pred = values.pred as string | undefined;
  if (!target || !pred) throw new UsageError('evaluate needs --target and --pred');
  for (const p of [target, pred]) if (!existsSync(p)) throw new UsageError(`not found: ${p}`);
  const pairs: [string, string][] = statSync(pred).isDirectory()
    ? readdirSync(pred)
        .filter((n) => n.endsWith('.h5'))
        .sort()
        .map((n) => [statSync(target).isDirectory() ? join(target, n) : target, join(pred, n)])
    : [[statSync(target).isDirectory() ? join(target, basename(pred)) : target, pred]];
  if (pairs.length === 0) throw new UsageError(`no .h5 files in ${pred}`);
  const rows: { file: string; nmse: number; psnr: number; ssim: number; slices: unknown }[] = [];
  for (const [t, p] of pairs) {
    const gt = await readTarget(t);
    const pr = await readVolume(p);
    if (gt.shape.join() !== pr.shape.join()) {
      throw new UsageError(`${basename(p)}: shape ${pr.shape.join('×')} differs from the target's ${gt.shape.join('×')}`);
    }
    const ev = evaluateVolume(gt.data, pr.data, ...gt.shape);
    rows.push({ file: basename(p), ...ev.volume, slices: ev.slices });
  }
  const mean = (k: 'nmse' | 'psnr' | 'ssim') => rows.reduce((a, r) => a + r[k], 0) / rows.length;
  const overall = { nmse: mean('nmse'), psnr: mean('psnr'), ssim: mean('ssim') };
  if (values.json) console.log(JSON.stringify({ volumes: rows, mean: overall }));
  else {
    for (const r of rows) console.log(`${r.file}  ${formatMetrics(r)}`);
    if (rows.length > 1) console.log(`mean  ${formatMetrics(overall)}`);
  }
  return 0;
}
