/**
 * A fixed pool of worker threads running slice tasks. Each task resolves with the worker's result or
 * rejects with its error; a crashed worker is replaced and its task fails with a message, so one bad
 * slice cannot take the engine down. Idle workers are unref'd so they never keep a CLI run alive.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { workerPath } from './worker-path';
import type { FromWorker, SliceResult, SliceTask, Task, ToWorker, VolumeResult, VolumeTask } from './protocol';

export interface TaskHandle<R = SliceResult> {
  promise: Promise<R>;
  cancel(): void;
}

interface Pending {
  taskId: number;
  task: Task;
  cancelFlag: SharedArrayBuffer;
  onProgress: (fraction: number, message: string) => void;
  onLog: (message: string) => void;
  resolve: (r: SliceResult | VolumeResult) => void;
  reject: (e: Error) => void;
}

export class CancelledTaskError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size = Math.max(1, Math.min(availableParallelism(), 8)),
    private readonly entry = 'recon',
  ) {}

  run(task: SliceTask, onProgress?: Pending['onProgress'], onLog?: Pending['onLog']): TaskHandle<SliceResult>;
  run(task: VolumeTask, onProgress?: Pending['onProgress'], onLog?: Pending['onLog']): TaskHandle<VolumeResult>;
  run(
    task: Task,
    onProgress: Pending['onProgress'] = () => {},
    onLog: Pending['onLog'] = () => {},
  ): TaskHandle<SliceResult | VolumeResult> {
    if (this.closed) throw new Error('worker pool is closed');
    const cancelFlag = new SharedArrayBuffer(4);
    let pending!: Pending;
    const promise = new Promise<SliceResult | VolumeResult>((resolve, reject) => {
      pending = { taskId: this.nextId++, task, cancelFlag, onProgress, onLog, resolve, reject };
    });
    this.queue.push(pending);
    this.pump();
    return {
      promise,
      cancel: () => {
        Atomics.store(new Int32Array(cancelFlag), 0, 1);
        const i = this.queue.indexOf(pending);
        if (i >= 0) {
          this.queue.splice(i, 1);
          pending.reject(new CancelledTaskError());
        }
      },
    };
  }

  private spawn(): Worker {
    const w = new Worker(workerPath(this.entry));
    w.on('message', (msg: FromWorker) => this.onMessage(w, msg));
    w.on('error', (err) => this.onCrash(w, err));
    w.on('exit', (code) => {
      if (this.busy.has(w)) this.onCrash(w, new Error(`worker exited with code ${code}`));
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
    });
    return w;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let w = this.idle.pop();
      if (!w) {
        if (this.busy.size >= this.size) return;
        w = this.spawn();
      }
      const p = this.queue.shift()!;
      this.busy.set(w, p);
      w.ref();
      const msg: ToWorker = { type: 'start', taskId: p.taskId, task: p.task, cancelFlag: p.cancelFlag };
      w.postMessage(msg);
    }
  }

  private release(w: Worker): void {
    this.busy.delete(w);
    if (this.closed) {
      void w.terminate();
      return;
    }
    w.unref();
    this.idle.push(w);
    this.pump();
  }

  private onMessage(w: Worker, msg: FromWorker): void {
    const p = this.busy.get(w);
    if (!p || msg.taskId !== p.taskId) return;
    switch (msg.type) {
      case 'progress':
        p.onProgress(msg.fraction, msg.message);
        break;
      case 'log':
        p.onLog(msg.message);
        break;
      case 'result':
        this.release(w);
        p.resolve(msg.result);
        break;
      case 'error':
        this.release(w);
        p.reject(msg.cancelled ? new CancelledTaskError() : new Error(msg.error));
        break;
    }
  }

  private onCrash(w: Worker, err: Error): void {
    const p = this.busy.get(w);
    this.busy.delete(w);
    void w.terminate();
    if (p) p.reject(new Error(`reconstruction worker failed: ${err.message}`));
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new CancelledTaskError());
    for (const p of this.busy.values()) Atomics.store(new Int32Array(p.cancelFlag), 0, 1);
    await Promise.all([...this.idle.splice(0), ...this.busy.keys()].map((w) => w.terminate()));
  }
}
