/**
 * One call of every contract request, in an order that makes each meaningful (open before image,
 * start before pause and cancel). Transport tests run the tour through each transport and compare.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyEvent, Outcome, RequestName } from '../../src/contract/schemas';
import { REQUEST_NAMES } from '../../src/contract/schemas';

export type Caller = (method: RequestName, params: unknown) => Promise<Outcome<unknown>>;

export async function requestTour(
  call: Caller,
  waitForJobEnd: (jobId: string) => Promise<AnyEvent>,
): Promise<Map<RequestName, Outcome<unknown>>> {
  const seen = new Map<RequestName, Outcome<unknown>>();
  const ok = async (name: RequestName, params: unknown) => {
    const out = await call(name, params);
    seen.set(name, out);
    if (!out.ok) throw new Error(`${name} failed: ${out.error.message}`);
    return out.value as Record<string, unknown>;
  };
  await ok('engine.info', {});
  const scan = await ok('scan.open', { demo: true });
  await ok('scan.image', { scanId: scan.scanId, slice: 1, view: 'target' });
  await ok('mask.make', { spec: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 3 }, height: 192, width: 160 });
  const { jobId } = await ok('recon.start', {
    scanId: scan.scanId,
    mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: Math.floor(Math.random() * 1e6) },
    method: { method: 'zf' },
  });
  const end = await waitForJobEnd(jobId as string);
  if (end.event !== 'job.result') throw new Error('job failed');
  const resultId = end.payload.result.resultId;
  await ok('recon.image', { resultId, slice: 0, view: 'error' });
  await ok('scan.metadata', { scanId: scan.scanId });
  const exported = await ok('recon.export', {
    resultIds: [resultId],
    format: 'png',
    directory: mkdtempSync(join(tmpdir(), 'tour-')),
  });
  if ((exported.files as string[]).length !== 6) throw new Error('export wrote the wrong number of files');
  await ok('job.cancel', { jobId });
  // training, cheaply: an empty runs folder, then a one-step run of a tiny U-Net that is cancelled at once
  const runs = mkdtempSync(join(tmpdir(), 'tour-runs-'));
  await ok('train.runs', { directory: runs });
  const train = await ok('train.start', {
    data: scan.path,
    out: join(runs, 'run'),
    chans: 2,
    pools: 1,
    maxSlices: 1,
    epochs: 1,
    maxSteps: 1,
    patch: 32,
    backend: 'wasm',
  });
  // paused, then cancelled while paused (it still stops at a checkpoint)
  const pause = await ok('train.pause', { jobId: train.jobId, paused: true });
  if (typeof pause.paused !== 'boolean') throw new Error('train.pause answered without a pause state');
  await ok('job.cancel', { jobId: train.jobId });
  await ok('job.list', {});
  const missing = REQUEST_NAMES.filter((n) => !seen.has(n));
  if (missing.length) throw new Error(`tour misses ${missing.join(', ')}`);
  return seen;
}
