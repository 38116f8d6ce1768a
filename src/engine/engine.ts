/**
 * The engine: the one place requests are validated and served, whichever transport brought them
 * (Electron IPC, the WebSocket server, the CLI). Long work becomes jobs whose slices run in worker
 * threads (one task per slice, or one for the whole volume where the method couples the slices: cs-tv
 * with 3-D TV); jobs stream progress and end in a result or an error event; results are cached by
 * (scan, mask, method) so revisiting a combination is instant.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  describeZodError,
  requests,
  type AnyEvent,
  type EventName,
  type EventPayload,
  type JobInfo,
  type MaskSpec,
  type MethodSpec,
  type Metrics,
  type Outcome,
  type ParsedParams,
  type RequestName,
  type RequestResult,
  type ReconSummary,
  type ScanInfo,
} from '../contract/schemas';
import { MASK_TYPES } from '../kspace/masks';
import { evaluateVolume } from '../metrics';
import { openScan, type ScanSource } from '../io/scan';
import { availableMethods, wantsVolume } from '../recon/methods';
import { maskFor } from '../recon/slice';
import { EngineFailure, toEngineError } from './errors';
import { newId } from './ids';
import { absDiff, kspaceLogMagnitude, phaseOf, realToComplex, toImage } from './image';
import { exportResult, writeRecon } from './export';
import { scanMetadata } from './metadata';
import { fft2c } from '../kspace/fft2c';
import { describeMethods } from '../recon/catalog';
import { CancelledTaskError, WorkerPool, type TaskHandle } from './worker-pool';
import type { SliceResult, VolumeResult } from './protocol';
import { packageRoot } from './worker-path';
import { TrainJobs } from './train-jobs';

export const ENGINE_VERSION = '0.1.0';

export interface EngineOptions {
  poolSize?: number;
  /** set by the server, which accepts dropped files at POST /upload */
  uploads?: boolean;
  demoPath?: string | null;
  /** how many finished reconstructions stay in memory */
  maxResults?: number;
}

interface OpenScan {
  info: ScanInfo;
  source: ScanSource;
  mtimeMs: number;
  targets: Promise<Float32Array[]> | null;
}

interface StoredResult {
  summary: ReconSummary;
  images: Float32Array[];
  /** complex coil-combined images when the method made them (the phase view) */
  complex: (Float32Array | null)[];
  targets: Float32Array[] | null;
}

interface JobRecord {
  info: JobInfo;
  tasks: TaskHandle<SliceResult | VolumeResult>[];
  cancelled: boolean;
}

type Handlers = { [N in RequestName]: (p: ParsedParams<N>) => Promise<RequestResult<N>> };

export function defaultDemoPath(): string {
  return join(packageRoot(), 'assets', 'demo', 'colin27_demo.h5');
}

export class Engine {
  readonly pool: WorkerPool;
  private readonly scans = new Map<string, OpenScan>();
  private readonly results = new Map<string, StoredResult>();
  private readonly cache = new Map<string, string>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly listeners = new Set<(ev: AnyEvent) => void>();
  private readonly training = new TrainJobs((event, payload) => this.emit(event, payload));
  private readonly demoPath: string | null;
  private readonly maxResults: number;
  uploads: boolean;

  constructor(options: EngineOptions = {}) {
    this.uploads = options.uploads ?? false;
    this.pool = new WorkerPool(options.poolSize);
    this.demoPath = options.demoPath === undefined ? defaultDemoPath() : options.demoPath;
    this.maxResults = options.maxResults ?? 48;
  }

  /** Subscribes to job events; returns the unsubscribe function. */
  subscribe(listener: (ev: AnyEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<N extends EventName>(event: N, payload: EventPayload<N>): void {
    const ev = { event, payload } as AnyEvent;
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch {
        // a failing transport must not break the engine or other listeners
      }
    }
  }

  /** Validates and serves one request. Never throws: every failure becomes `{ ok: false, error }`. */
  async request(method: string, params: unknown): Promise<Outcome<unknown>> {
    if (!Object.prototype.hasOwnProperty.call(requests, method)) {
      return { ok: false, error: { code: 'invalid_request', message: `unknown request '${String(method).slice(0, 100)}'` } };
    }
    const name = method as RequestName;
    const parsed = requests[name].params.safeParse(params ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid_request', message: `${name}: ${describeZodError(parsed.error)}` } };
    }
    try {
      const handler = this.handlers[name] as (p: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (e) {
      return { ok: false, error: toEngineError(e) };
    }
  }

  /** Typed convenience for in-process clients (CLI, tests): throws EngineFailure on error. */
  async call<N extends RequestName>(name: N, params: ParsedParams<N> | Record<string, unknown>): Promise<RequestResult<N>> {
    const out = await this.request(name, params);
    if (!out.ok) throw new EngineFailure(out.error.code, out.error.message);
    return out.value as RequestResult<N>;
  }

  private readonly handlers: Handlers = {
    'engine.info': async () => ({
      version: ENGINE_VERSION,
      backend: 'typed-array numerics (TypeScript), worker threads',
      threads: this.pool.size,
      methods: availableMethods(),
      methodInfo: describeMethods(availableMethods()),
      uploads: this.uploads,
      defaultExportDir: join(homedir(), 'mri-recon-exports'),
      maskTypes: MASK_TYPES.map((m) => m.type) as RequestResult<'engine.info'>['maskTypes'],
      demoAvailable: this.demoPath !== null && exists(this.demoPath),
    }),
    'scan.open': async (p) => {
      if ('demo' in p) {
        if (!this.demoPath || !exists(this.demoPath)) throw new EngineFailure('not_found', 'the demo scan is not installed');
        return this.openScanAt(this.demoPath);
      }
      return this.openScanAt(p.path);
    },
    'scan.image': async (p) => {
      const scan = this.getScan(p.scanId);
      checkSlice(p.slice, scan.info.slices);
      const [h, w] = scan.info.imageShape;
      if (p.view === 'target') return toImage((await this.targets(scan))[p.slice], h, w);
      const { coils, height, width } = scan.source;
      return toImage(kspaceLogMagnitude(scan.source.readKspace(p.slice), coils, height, width), height, width);
    },
    'mask.make': async (p) => {
      const m = maskFor(p.spec, p.height, p.width);
      return {
        dims: m.dims,
        width: m.width,
        height: m.height,
        data: m.data,
        numLowFrequencies: m.numLowFrequencies,
        acceleration: m.acceleration,
        sampledFraction: m.sampledFraction,
      };
    },
    'recon.start': async (p) => this.startRecon(p.scanId, p.mask, p.method),
    'recon.image': async (p) => {
      const r = this.results.get(p.resultId);
      if (!r) throw new EngineFailure('not_found', `no result ${p.resultId} (it may have been evicted; run it again)`);
      checkSlice(p.slice, r.images.length);
      const [h, w] = r.summary.imageShape;
      const image = r.images[p.slice];
      switch (p.view) {
        case 'recon':
          return toImage(image, h, w);
        case 'error':
          if (!r.targets) throw new EngineFailure('not_found', 'this scan has no reference image to compare with');
          return toImage(absDiff(image, r.targets[p.slice]), h, w);
        case 'kspace': {
          const c = r.complex[p.slice] ?? realToComplex(image);
          return toImage(kspaceLogMagnitude(fft2c(c, h, w), 1, h, w), h, w);
        }
        case 'phase': {
          const c = r.complex[p.slice];
          if (!c)
            throw new EngineFailure(
              'not_found',
              `${r.summary.method.method} gives a magnitude image only (root-sum-of-squares has no phase)`,
            );
          return toImage(phaseOf(c), h, w);
        }
      }
    },
    'recon.export': async (p) => {
      const files: string[] = [];
      for (const id of p.resultIds) {
        const r = this.results.get(id);
        if (!r) throw new EngineFailure('not_found', `no result ${id} (it may have been evicted; run it again)`);
        files.push(...(await exportResult(r.summary, r.images, this.getScan(r.summary.scanId).info, p.format, p.directory)));
      }
      return { files };
    },
    'scan.metadata': async (p) => {
      const scan = this.getScan(p.scanId);
      return { groups: scanMetadata(scan.info, scan.source) };
    },
    'job.cancel': async (p) => {
      if (this.training.has(p.jobId)) return this.training.cancel(p.jobId);
      const job = this.jobs.get(p.jobId);
      if (!job) throw new EngineFailure('not_found', `no job ${p.jobId}`);
      if (job.info.state !== 'running' && job.info.state !== 'queued') return { cancelled: false };
      job.cancelled = true;
      for (const t of job.tasks) t.cancel();
      return { cancelled: true };
    },
    'train.pause': async (p) => {
      if (this.training.has(p.jobId)) return this.training.pause(p.jobId, p.paused);
      if (this.jobs.has(p.jobId))
        throw new EngineFailure('bad_input', `job ${p.jobId} is a reconstruction; only training jobs can be paused`);
      throw new EngineFailure('not_found', `no job ${p.jobId}`);
    },
    'job.list': async () => [...this.jobs.values()].map((j) => ({ ...j.info })).concat(this.training.list()),
    'train.start': async (p) => this.training.start(p),
    'train.runs': async (p) => this.training.runs(p),
  };

  private async openScanAt(path: string): Promise<ScanInfo> {
    const abs = resolve(path);
    for (const [id, s] of this.scans) {
      if (s.info.path !== abs) continue;
      if (existsSync(abs) && statSync(abs).mtimeMs === s.mtimeMs) return s.info;
      // the file changed (or went away) since it was opened: its old handle and targets are stale
      s.source.close();
      this.scans.delete(id);
    }
    const source = await openScan(abs);
    const scanId = newId('scan');
    const info: ScanInfo = {
      scanId,
      path: abs,
      name: basename(abs),
      format: source.format,
      slices: source.slices,
      coils: source.coils,
      kspaceShape: [source.height, source.width],
      imageShape: source.imageShape,
      hasTarget: source.targetKey !== null,
      targetKey: source.targetKey,
      attributes: source.attributes,
    };
    this.scans.set(scanId, { info, source, mtimeMs: statSync(abs).mtimeMs, targets: null });
    return info;
  }

  private getScan(scanId: string): OpenScan {
    const s = this.scans.get(scanId);
    if (!s) throw new EngineFailure('not_found', `no open scan ${scanId}`);
    return s;
  }

  /**
   * Reference images per slice: the file's own (fastMRI's reconstruction_rss / _esc), else the
   * fully sampled root-sum-of-squares reconstruction, cropped the same way.
   */
  private targets(scan: OpenScan): Promise<Float32Array[]> {
    if (!scan.targets) {
      scan.targets = (async () => {
        const n = scan.info.slices;
        if (scan.info.hasTarget) return Array.from({ length: n }, (_, s) => scan.source.readTarget(s)!);
        const tasks = Array.from({ length: n }, (_, s) =>
          this.pool.run({
            path: scan.info.path,
            slice: s,
            mask: { type: 'none', acceleration: 1, centerFraction: 0.5 },
            method: { method: 'zf' },
            imageShape: scan.info.imageShape,
          }),
        );
        return (await Promise.all(tasks.map((t) => t.promise))).map((r) => r.magnitude);
      })();
      scan.targets.catch(() => (scan.targets = null));
    }
    return scan.targets;
  }

  private startRecon(scanId: string, maskIn: MaskSpec, method: MethodSpec): { jobId: string } {
    const scan = this.getScan(scanId);
    // a mask without a seed gets one now, recorded in the result, so every run can be reproduced
    const mask: MaskSpec = { ...maskIn, seed: maskIn.seed ?? Math.floor(Math.random() * 2 ** 31) };
    const [height, width] = [scan.source.height, scan.source.width];
    const mask1d = maskFor(mask, height, width); // validates the mask before any work is queued
    const jobId = newId('job');
    const job: JobRecord = {
      info: {
        jobId,
        kind: 'recon',
        label: `${method.method} · ${scan.info.name}`,
        state: 'running',
        fraction: 0,
        startedAt: Date.now(),
        error: null,
      },
      tasks: [],
      cancelled: false,
    };
    this.jobs.set(jobId, job);
    this.pruneJobs();
    const key = JSON.stringify([scan.info.path, scan.mtimeMs, mask, method]);
    // deferred so that the caller holds the job id before any event about it arrives
    setImmediate(() => {
      void this.runRecon(job, scan, mask, method, key, {
        dims: mask1d.dims,
        width: mask1d.width,
        height: mask1d.height,
        numLowFrequencies: mask1d.numLowFrequencies,
        acceleration: mask1d.acceleration,
        sampledFraction: mask1d.sampledFraction,
      });
    });
    return { jobId };
  }

  private async runRecon(
    job: JobRecord,
    scan: OpenScan,
    mask: MaskSpec,
    method: MethodSpec,
    key: string,
    mask1d: ReconSummary['mask1d'],
  ): Promise<void> {
    const { jobId } = job.info;
    const t0 = performance.now();
    const cachedId = this.cache.get(key);
    const cached = cachedId ? this.results.get(cachedId) : undefined;
    if (cached) {
      this.finishJob(job, { ...cached.summary, cached: true });
      return;
    }
    const n = scan.info.slices;
    const fractions = new Float64Array(n);
    let lastEmit = 0;
    const progress = (message: string, force = false) => {
      const f = fractions.reduce((a, b) => a + b, 0) / n;
      job.info.fraction = f;
      const now = performance.now();
      if (!force && now - lastEmit < 50) return;
      lastEmit = now;
      const elapsedMs = now - t0;
      this.emit('job.progress', {
        jobId,
        fraction: f,
        message,
        elapsedMs,
        remainingMs: f > 0.02 ? (elapsedMs * (1 - f)) / f : null,
      });
    };
    try {
      const targetsPromise = this.targets(scan);
      const outputs = wantsVolume(method)
        ? await this.runVolume(job, scan, mask, method, (f, msg) => {
            fractions.fill(f);
            progress(`volume of ${n} slices${msg ? ': ' + msg : ''}`);
          })
        : await this.runSlices(job, scan, mask, method, (s, f, msg) => {
            fractions[s] = f;
            progress(msg);
          });
      const images = outputs.map((o) => o.magnitude);
      const targets = await targetsPromise;
      const [h, w] = scan.info.imageShape;
      let volume: Metrics | null = null;
      let perSlice: Metrics[] | null = null;
      if (targets.length === n) {
        const ev = evaluateVolume(concat(targets), concat(images), n, h, w);
        volume = ev.volume;
        perSlice = ev.slices;
      }
      const resultId = newId('result');
      const summary: ReconSummary = {
        resultId,
        scanId: scan.info.scanId,
        method,
        mask,
        slices: n,
        imageShape: [h, w],
        volume,
        perSlice,
        mask1d,
        elapsedMs: performance.now() - t0,
        cached: false,
        hasPhase: outputs.every((o) => o.complex !== null),
      };
      this.storeResult(key, {
        summary,
        images,
        complex: outputs.map((o) => o.complex),
        targets: targets.length === n ? targets : null,
      });
      progress('done', true);
      this.finishJob(job, summary);
    } catch (e) {
      const cancelled = job.cancelled || e instanceof CancelledTaskError || (e as Error).name === 'CancelledError';
      job.info.state = cancelled ? 'cancelled' : 'failed';
      job.info.error = cancelled ? 'cancelled' : toEngineError(e).message;
      this.emit('job.error', { jobId, error: job.info.error, cancelled });
    }
  }

  /** One task per slice, run in parallel; onProgress(slice, fraction of that slice, message). */
  private async runSlices(
    job: JobRecord,
    scan: OpenScan,
    mask: MaskSpec,
    method: MethodSpec,
    onProgress: (slice: number, fraction: number, message: string) => void,
  ): Promise<SliceResult[]> {
    const { jobId } = job.info;
    const n = scan.info.slices;
    const tasks = Array.from({ length: n }, (_, s) =>
      this.pool.run(
        { path: scan.info.path, slice: s, mask, method, imageShape: scan.info.imageShape },
        (f, msg) => onProgress(s, f, `slice ${s + 1}/${n}${msg ? ': ' + msg : ''}`),
        (message) => this.emit('job.log', { jobId, message: `slice ${s + 1}: ${message}` }),
      ),
    );
    job.tasks = tasks;
    if (job.cancelled) tasks.forEach((t) => t.cancel());
    return Promise.all(
      tasks.map((t, s) =>
        t.promise.then((r) => {
          onProgress(s, 1, `slice ${s + 1}/${n} done`);
          return r;
        }),
      ),
    ).catch((e) => {
      tasks.forEach((t) => t.cancel());
      throw e;
    });
  }

  /**
   * The whole volume as one task (methods that couple the slices, e.g. cs-tv with 3-D TV): progress is
   * the volume's (per solver iteration), cancellation the same shared flag; the result is split per slice.
   */
  private async runVolume(
    job: JobRecord,
    scan: OpenScan,
    mask: MaskSpec,
    method: MethodSpec,
    onProgress: (fraction: number, message: string) => void,
  ): Promise<SliceResult[]> {
    const { jobId } = job.info;
    const task = this.pool.run(
      { path: scan.info.path, volume: true, mask, method, imageShape: scan.info.imageShape },
      onProgress,
      (message) => this.emit('job.log', { jobId, message }),
    );
    job.tasks = [task];
    if (job.cancelled) task.cancel();
    const r = await task.promise;
    if (r.magnitudes.length !== scan.info.slices) {
      throw new Error(`volume reconstruction returned ${r.magnitudes.length} slices for ${scan.info.slices}`);
    }
    return r.magnitudes.map((magnitude, s) => ({ magnitude, complex: r.complex[s] ?? null, info: r.info, ms: r.ms }));
  }

  private finishJob(job: JobRecord, summary: ReconSummary): void {
    job.info.state = 'done';
    job.info.fraction = 1;
    this.emit('job.result', { jobId: job.info.jobId, result: summary });
  }

  private storeResult(key: string, r: StoredResult): void {
    this.results.set(r.summary.resultId, r);
    this.cache.set(key, r.summary.resultId);
    while (this.results.size > this.maxResults) {
      const oldest = this.results.keys().next().value as string;
      this.results.delete(oldest);
      for (const [k, id] of this.cache) if (id === oldest) this.cache.delete(k);
    }
  }

  private pruneJobs(): void {
    if (this.jobs.size <= 200) return;
    for (const [id, j] of this.jobs) {
      if (j.info.state !== 'running' && j.info.state !== 'queued') this.jobs.delete(id);
      if (this.jobs.size <= 150) break;
    }
  }

  /** Writes a finished reconstruction to `out` (format by its name); CLI clients use this. */
  async writeResult(resultId: string, out: string): Promise<string[]> {
    const r = this.results.get(resultId);
    if (!r) throw new EngineFailure('not_found', `no result ${resultId}`);
    return writeRecon(out, r.summary, r.images, this.getScan(r.summary.scanId).info);
  }

  async close(): Promise<void> {
    await this.training.close();
    for (const j of this.jobs.values()) j.tasks.forEach((t) => t.cancel());
    await this.pool.close();
    for (const s of this.scans.values()) s.source.close();
    this.scans.clear();
  }
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function checkSlice(slice: number, n: number): void {
  if (slice >= n) throw new EngineFailure('bad_input', `slice ${slice} is out of range (the scan has ${n})`);
}

function concat(parts: Float32Array[]): Float32Array {
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
