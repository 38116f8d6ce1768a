/**
 * Batched centred 2-D FFTs split across worker_threads over shared memory. Workers are started on
 * first use and unref'd whenever idle, so an idle pool never keeps the process alive.
 *
 * It pays only for batches of sizeable images (e.g. the coils of a slice); for single images or
 * tiny ones the postMessage round trip costs more than the transform — call fft2cBatch directly.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerPath } from '../../engine/worker-path';
import type { FftJob, FftReply } from './protocol';

interface Pending {
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

let sharedPool: FftPool | undefined;
let nextId = 1;

export class FftPool {
  /** A process-wide pool with one worker per core. */
  static shared(): FftPool {
    if (!sharedPool || sharedPool.closed) sharedPool = new FftPool();
    return sharedPool;
  }

  readonly threads: number;
  private slots: (Slot | undefined)[] = [];
  private closed = false;

  constructor(threads?: number) {
    const t = threads ?? Math.max(1, availableParallelism());
    if (!Number.isInteger(t) || t < 1) throw new RangeError(`FftPool: threads must be a positive integer, got ${threads}`);
    this.threads = t;
  }

  /** fft2cBatch on the pool; the result is a new array on a SharedArrayBuffer, x is left untouched. */
  fft2cBatch(x: Float32Array, batch: number, h: number, w: number): Promise<Float32Array> {
    return this.run(x, batch, h, w, false);
  }

  ifft2cBatch(x: Float32Array, batch: number, h: number, w: number): Promise<Float32Array> {
    return this.run(x, batch, h, w, true);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(
      slots.map(async (s) => {
        if (!s) return;
        for (const p of s.pending.values()) p.reject(new Error('FftPool closed'));
        s.pending.clear();
        await s.worker.terminate();
      }),
    );
  }

  private async run(x: Float32Array, batch: number, h: number, w: number, inverse: boolean): Promise<Float32Array> {
    const fn = inverse ? 'FftPool.ifft2cBatch' : 'FftPool.fft2cBatch';
    if (this.closed) throw new Error(`${fn}: the pool is closed`);
    // Validate here so that bad sizes reject with the same RangeError as the synchronous API.
    if (!Number.isInteger(batch) || batch <= 0) throw new RangeError(`${fn}: batch must be a positive integer, got ${batch}`);
    if (!Number.isInteger(h) || h <= 0) throw new RangeError(`${fn}: h must be a positive integer, got ${h}`);
    if (!Number.isInteger(w) || w <= 0) throw new RangeError(`${fn}: w must be a positive integer, got ${w}`);
    const per = 2 * h * w;
    if (x.length !== batch * per) throw new RangeError(`${fn}: x must hold ${batch * per} floats (2·batch·h·w), got ${x.length}`);

    const out = new Float32Array(new SharedArrayBuffer(4 * x.length));
    let src: Float32Array = x;
    if (!(x.buffer instanceof SharedArrayBuffer)) {
      out.set(x);
      src = out; // transform in place inside the shared output
    }
    const parts = Math.min(this.threads, batch);
    const jobs: Promise<void>[] = [];
    let start = 0;
    for (let i = 0; i < parts; i++) {
      const count = Math.floor(batch / parts) + (i < batch % parts ? 1 : 0);
      const job: FftJob = {
        id: nextId++,
        inverse,
        src: src.buffer as SharedArrayBuffer,
        srcOffset: src.byteOffset / 4 + start * per,
        dst: out.buffer as SharedArrayBuffer,
        dstOffset: start * per,
        batch: count,
        h,
        w,
      };
      jobs.push(this.submit(i, job));
      start += count;
    }
    await Promise.all(jobs);
    return out;
  }

  private slot(i: number): Slot {
    let s = this.slots[i];
    if (s) return s;
    const worker = new Worker(workerPath('fft'));
    const slot: Slot = { worker, pending: new Map() };
    const failAll = (err: Error) => {
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
      if (this.slots[i] === slot) this.slots[i] = undefined;
    };
    worker.on('message', (m: FftReply) => {
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.ok) p.resolve();
      else p.reject(new Error(`fft worker: ${m.error}`));
    });
    worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
    worker.on('exit', (code) => failAll(new Error(`fft worker exited with code ${code}`)));
    worker.unref();
    this.slots[i] = s = slot;
    return s;
  }

  private submit(i: number, job: FftJob): Promise<void> {
    const slot = this.slot(i);
    return new Promise<void>((resolve, reject) => {
      slot.pending.set(job.id, { resolve, reject });
      // Held while work is outstanding so that awaiting the result keeps the process alive.
      slot.worker.ref();
      try {
        slot.worker.postMessage(job);
      } catch (e) {
        slot.pending.delete(job.id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }
}
