/** Worker thread entry: runs slice (and whole-volume) reconstructions for the pool (see protocol.ts). */
import { parentPort } from 'node:worker_threads';
import { openScan, type ScanSource } from '../io/scan';
import { reconstructScanSlice, reconstructScanVolume } from '../recon/slice';
import { CancelledError } from '../recon/types';
import type { FromWorker, ToWorker } from './protocol';

if (!parentPort) throw new Error('recon.worker must run in a worker thread');
const port = parentPort;
const sources = new Map<string, Promise<ScanSource>>();

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

async function run(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const { taskId, task } = msg;
  const flag = new Int32Array(msg.cancelFlag);
  const t0 = performance.now();
  try {
    let source = sources.get(task.path);
    if (!source) {
      source = openScan(task.path);
      sources.set(task.path, source);
      source.catch(() => sources.delete(task.path));
    }
    const src = await source;
    const ctx = {
      isCancelled: () => Atomics.load(flag, 0) !== 0,
      progress: (fraction: number, message = '') => post({ type: 'progress', taskId, fraction, message }),
      log: (message: string) => post({ type: 'log', taskId, message }),
    };
    if ('volume' in task) {
      const outs = await reconstructScanVolume(src, task.mask, task.method, task.imageShape, ctx);
      if (Atomics.load(flag, 0) !== 0) throw new CancelledError();
      const magnitudes = outs.map((o) => o.magnitude);
      const complex = outs.map((o) => o.complex ?? null);
      const buffers = new Set<ArrayBuffer>();
      for (const a of [...magnitudes, ...complex]) if (a) buffers.add(a.buffer as ArrayBuffer);
      const info = outs[0]?.info ?? {};
      post({ type: 'result', taskId, result: { magnitudes, complex, info, ms: performance.now() - t0 } }, [...buffers]);
      return;
    }
    const out = await reconstructScanSlice(src, task.slice, task.mask, task.method, task.imageShape, ctx);
    if (Atomics.load(flag, 0) !== 0) throw new CancelledError();
    const { magnitude } = out;
    const complex = out.complex ?? null;
    const transfer = [magnitude.buffer as ArrayBuffer];
    if (complex && complex.buffer !== magnitude.buffer) transfer.push(complex.buffer as ArrayBuffer);
    post({ type: 'result', taskId, result: { magnitude, complex, info: out.info ?? {}, ms: performance.now() - t0 } }, transfer);
  } catch (e) {
    const err = e as Error;
    post({
      type: 'error',
      taskId,
      error: err.message || String(e),
      cancelled: err instanceof CancelledError || err.name === 'CancelledError',
    });
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'start') void run(msg);
});
