/** Worker side of FftPool: transforms a run of contiguous images between two shared buffers. */
import { parentPort } from 'node:worker_threads';
import { fft2cBatch, ifft2cBatch } from '../fft2c';
import type { FftJob, FftReply } from './protocol';

const port = parentPort;
if (!port) throw new Error('fft.worker must run in a worker thread');

port.on('message', (job: FftJob) => {
  let reply: FftReply;
  try {
    const len = 2 * job.batch * job.h * job.w;
    const src = new Float32Array(job.src, 4 * job.srcOffset, len);
    const dst = new Float32Array(job.dst, 4 * job.dstOffset, len);
    (job.inverse ? ifft2cBatch : fft2cBatch)(src, job.batch, job.h, job.w, dst);
    reply = { id: job.id, ok: true };
  } catch (e) {
    reply = { id: job.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
