/**
 * Batched centred 2-D FFTs split across worker_threads over shared memory. Workers are started on
 * first use and unref'd whenever idle, so an idle pool never keeps the process alive.
 *
 * It pays only for batches of sizeable images (e.g. the coils of a slice); for single images or
 * tiny ones the postMessage round trip costs more than the transform — call fft2cBatch directly.
 * Workers run the same fft2c code (the wasm kernel where available) with the calling thread's backend,
 * so results are bit-identical to the synchronous API. Inputs and outputs on SharedArrayBuffers are
 * used in place; the pool keeps and reuses its own staging buffers rather than allocating per call.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerPath } from '../../engine/worker-path';
import type { FftJob, FftReply } from './protocol';
import { getFftBackend } from './wasm';

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
  private buffers = new Map<string, { buf: SharedArrayBuffer; busy: boolean }>();

  constructor(threads?: number) {
    const t = threads ?? Math.max(1, availableParallelism());
    if (!Number.isInteger(t) || t < 1) throw new RangeError(`FftPool: threads must be a positive integer, got ${threads}`);
    this.threads = t;
  }

  /**
   * fft2cBatch on the pool. The result goes to `out` when given (a Float32Array on a SharedArrayBuffer,
   * x.length floats; it may be x itself for an in-place transform), else to a new shared array; x is
   * left untouched unless it is out. Pass shared arrays both ways to avoid any copy or allocation.
   */
  fft2cBatch(x: Float32Array, batch: number, h: number, w: number, out?: Float32Array): Promise<Float32Array> {
    return this.run(x, batch, h, w, false, out);
  }

  ifft2cBatch(x: Float32Array, batch: number, h: number, w: number, out?: Float32Array): Promise<Float32Array> {
    return this.run(x, batch, h, w, true, out);
  }

  /**
   * ifft2cRss on the pool: the root-sum-of-squares over coils of ifft2c(kspace[c]) into out (h·w floats,
   * any Float32Array) or a new array. Each worker takes a contiguous run of coils and sums |·|² of them,
   * in order, into its own partial buffer (reused between calls), so the result never depends on timing
   * and equals for shared and plain input. A kspace on a SharedArrayBuffer is read in place, one job per
   * worker; any other is copied coil by coil into a reused shared staging buffer, each coil submitted as
   * soon as it is there, so the workers start while the copy goes on.
   */
  async ifft2cRss(kspace: Float32Array, coils: number, h: number, w: number, out?: Float32Array): Promise<Float32Array> {
    const fn = 'FftPool.ifft2cRss';
    this.validate(fn, kspace, coils, h, w);
    const n = h * w;
    const per = 2 * n;
    if (out && out.length !== n) throw new RangeError(`${fn}: out must hold ${n} floats (h·w), got ${out.length}`);
    const o = out ?? new Float32Array(n);
    const parts = Math.min(this.threads, coils);
    const staged = kspace.buffer instanceof SharedArrayBuffer ? undefined : this.borrow('staging', kspace.length);
    const partial = this.borrow('partial', parts * n);
    try {
      const src = staged ? staged.arr : kspace;
      const job = (worker: number, first: number, count: number, accumulate: boolean): FftJob => ({
        id: nextId++,
        op: 'sumsq',
        backend: getFftBackend(),
        src: src.buffer as SharedArrayBuffer,
        srcOffset: src.byteOffset / 4 + first * per,
        dst: partial.arr.buffer as SharedArrayBuffer,
        dstOffset: partial.arr.byteOffset / 4 + worker * n,
        accumulate,
        batch: count,
        h,
        w,
      });
      const start: number[] = [];
      const end: number[] = [];
      for (let i = 0, s = 0; i < parts; i++) {
        start.push(s);
        s += Math.floor(coils / parts) + (i < coils % parts ? 1 : 0);
        end.push(s);
      }
      if (!staged) {
        await Promise.all(start.map((s, wk) => this.submit(wk, job(wk, s, end[wk] - s, false))));
      } else {
        const pos = start.slice();
        // two jobs in flight per worker, submitted round the workers, so each starts on its first coil
        const lane = async (wk: number) => {
          while (pos[wk] < end[wk]) {
            const c = pos[wk]++;
            staged.arr.set(kspace.subarray(c * per, (c + 1) * per), c * per);
            await this.submit(wk, job(wk, c, 1, c > start[wk]));
          }
        };
        const lanes: Promise<void>[] = [];
        for (let depth = 0; depth < 2; depth++) for (let wk = 0; wk < parts; wk++) lanes.push(lane(wk));
        await Promise.all(lanes);
      }
      const p = partial.arr;
      if (parts === 1) for (let j = 0; j < n; j++) o[j] = Math.sqrt(p[j]);
      else if (parts === 2) for (let j = 0; j < n; j++) o[j] = Math.sqrt(p[j] + p[n + j]);
      else {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let i = 0; i < parts; i++) sum += p[i * n + j];
          o[j] = Math.sqrt(sum);
        }
      }
      return o;
    } finally {
      staged?.release();
      partial.release();
    }
  }

  /**
   * Runs items 0…count−1 on `workers` workers, each going to whichever worker frees up first (which
   * also rebalances when other processes share the cores), two in flight per worker so none idles while
   * its next job travels; prepare(i) runs on this thread just before item i is submitted.
   */
  private async schedule(
    count: number,
    workers: number,
    prepare: (i: number) => void,
    make: (i: number) => FftJob,
  ): Promise<void> {
    let next = 0;
    const lane = async (wk: number) => {
      while (next < count) {
        const i = next++;
        prepare(i);
        await this.submit(wk, make(i));
      }
    };
    const lanes: Promise<void>[] = [];
    for (let depth = 0; depth < 2; depth++) for (let wk = 0; wk < workers; wk++) lanes.push(lane(wk));
    await Promise.all(lanes);
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    this.buffers.clear();
    await Promise.all(
      slots.map(async (s) => {
        if (!s) return;
        for (const p of s.pending.values()) p.reject(new Error('FftPool closed'));
        s.pending.clear();
        await s.worker.terminate();
      }),
    );
  }

  private validate(fn: string, x: Float32Array, batch: number, h: number, w: number): void {
    if (this.closed) throw new Error(`${fn}: the pool is closed`);
    // Validate here so that bad sizes reject with the same RangeError as the synchronous API.
    if (!Number.isInteger(batch) || batch <= 0) throw new RangeError(`${fn}: batch must be a positive integer, got ${batch}`);
    if (!Number.isInteger(h) || h <= 0) throw new RangeError(`${fn}: h must be a positive integer, got ${h}`);
    if (!Number.isInteger(w) || w <= 0) throw new RangeError(`${fn}: w must be a positive integer, got ${w}`);
    const per = 2 * h * w;
    if (x.length !== batch * per) throw new RangeError(`${fn}: x must hold ${batch * per} floats (2·batch·h·w), got ${x.length}`);
  }

  /** A reusable shared buffer of at least `floats` (a fresh one while the pooled one is in use). */
  private borrow(kind: string, floats: number): { arr: Float32Array; release: () => void } {
    const have = this.buffers.get(kind);
    if (have && !have.busy && have.buf.byteLength >= 4 * floats) {
      have.busy = true;
      return { arr: new Float32Array(have.buf, 0, floats), release: () => (have.busy = false) };
    }
    const entry = { buf: new SharedArrayBuffer(4 * floats), busy: true };
    if (!have || !have.busy) this.buffers.set(kind, entry);
    return { arr: new Float32Array(entry.buf, 0, floats), release: () => (entry.busy = false) };
  }

  private async run(
    x: Float32Array,
    batch: number,
    h: number,
    w: number,
    inverse: boolean,
    out: Float32Array | undefined,
  ): Promise<Float32Array> {
    const fn = inverse ? 'FftPool.ifft2cBatch' : 'FftPool.fft2cBatch';
    this.validate(fn, x, batch, h, w);
    if (out && (out.length !== x.length || !(out.buffer instanceof SharedArrayBuffer)))
      throw new RangeError(`${fn}: out must be a Float32Array of ${x.length} floats on a SharedArrayBuffer`);
    const per = 2 * h * w;
    const o = out ?? new Float32Array(new SharedArrayBuffer(4 * x.length));
    // A plain x is copied image by image into the shared output and transformed there in place.
    const shared = x.buffer instanceof SharedArrayBuffer;
    const src = shared ? x : o;
    await this.schedule(
      batch,
      Math.min(this.threads, batch),
      (i) => {
        if (!shared) o.set(x.subarray(i * per, (i + 1) * per), i * per);
      },
      (i) => ({
        id: nextId++,
        op: inverse ? 'ifft' : 'fft',
        backend: getFftBackend(),
        src: src.buffer as SharedArrayBuffer,
        srcOffset: src.byteOffset / 4 + i * per,
        dst: o.buffer as SharedArrayBuffer,
        dstOffset: o.byteOffset / 4 + i * per,
        batch: 1,
        h,
        w,
      }),
    );
    return o;
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
