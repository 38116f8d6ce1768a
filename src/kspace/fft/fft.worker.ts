/** Worker side of FftPool: transforms a run of contiguous images between two shared buffers. */
import { parentPort } from 'node:worker_threads';
import { fft2cBatch, getFftBackend, ifft2cBatch, ifft2cSumSquares, setFftBackend } from '../fft2c';
import type { FftJob, FftReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('fft.worker must run in a worker thread');

port.on('message', (job: FftJob) => {
  let reply: FftReply;
  try {
    if (job.backend !== getFftBackend()) setFftBackend(job.backend);
    const len = 2 * job.batch * job.h * job.w;
    const src = new Float32Array(job.src, 4 * job.srcOffset, len);
    if (job.op === 'sumsq') {
      const acc = new Float32Array(job.dst, 4 * job.dstOffset, job.h * job.w);
      ifft2cSumSquares(src, job.batch, job.h, job.w, acc, job.accumulate ?? false);
    } else {
      const dst = new Float32Array(job.dst, 4 * job.dstOffset, len);
      (job.op === 'ifft' ? ifft2cBatch : fft2cBatch)(src, job.batch, job.h, job.w, dst);
    }
    reply = { id: job.id, ok: true };
  } catch (e) {
    reply = { id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
