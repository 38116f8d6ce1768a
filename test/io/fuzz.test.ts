/**
 * Deterministic fuzzing of every reader: mutants of small real files (truncations, byte flips biased to
 * the headers, zeroed ranges, header fields set to absurd values) must either read or fail with an
 * Error naming the file — never a non-Error throw, a bare allocation failure, a wasm abort that breaks
 * the next file, a crash or a hang. Cases run one at a time in a worker thread (test/io/fuzz/worker.ts),
 * which is terminated and restarted when a case takes longer than CASE_MS.
 *
 * FUZZ_SEED=<n> runs another deterministic set; FUZZ_SCALE=<k> multiplies the mutant counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { ROOT } from '../helpers/paths';
import { FORMATS, fuzzCases, regressions } from './fuzz/fixtures';
import type { FuzzCase } from './fuzz/mutants';
import type { CaseResult } from './fuzz/worker';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
/** a case slower than this is a hang */
const CASE_MS = 5000;
/** bundled here (git-ignored, and not under dist/, which the app packages) */
const WORKER = join(ROOT, 'test-output', 'fuzz', 'worker.mjs');

/** One case at a time through the worker; a case over CASE_MS or a dead worker is a failure, and the worker restarts. */
class Runner {
  private worker: Worker | null = null;
  private stderr = '';
  /** the worker writes each mutant here */
  readonly dir = mkdtempSync(join(tmpdir(), 'mri-fuzz-'));

  private start(): Worker {
    const w = new Worker(WORKER, { stdout: true, stderr: true, workerData: { dir: this.dir } });
    // HDF5-DIAG and codec chatter: kept (the tail) for a crash report, not printed
    w.stdout.resume();
    w.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
    return w;
  }

  run(c: FuzzCase): Promise<CaseResult> {
    const w = (this.worker ??= this.start());
    this.stderr = '';
    return new Promise((resolve) => {
      const t0 = performance.now();
      const done = (r: CaseResult, dead: boolean) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        if (dead) {
          void w.terminate();
          this.worker = null;
        }
        resolve(r);
      };
      const onMessage = (r: CaseResult) => done(r, false);
      const onError = (e: Error) =>
        done({ id: c.id, problem: `worker crashed: ${e.message}`, message: null, ms: performance.now() - t0 }, true);
      const onExit = (code: number) =>
        done(
          {
            id: c.id,
            problem: `worker exited (${code}); stderr: ${this.stderr.slice(-500)}`,
            message: null,
            ms: performance.now() - t0,
          },
          true,
        );
      const timer = setTimeout(
        () => done({ id: c.id, problem: `hung: no result after ${CASE_MS} ms`, message: null, ms: CASE_MS }, true),
        CASE_MS,
      );
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(c);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const runner = new Runner();

beforeAll(async () => {
  mkdirSync(join(ROOT, 'test-output', 'fuzz'), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'test', 'io', 'fuzz', 'worker.ts')],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}, 60_000);

afterAll(() => runner.close());

describe('reader fuzzing: bad input fails with an Error naming the file, never a crash or a hang', () => {
  it('regressions: what the fuzzing found, as fixed cases', async () => {
    const failures: string[] = [];
    for (const { case: c, expect: want } of regressions()) {
      const r = await runner.run(c);
      const got = r.problem ?? r.message ?? 'ok';
      if (r.problem || (want === 'ok' ? r.message !== null : !want.test(r.message ?? '')))
        failures.push(`${c.file} (${c.mutation.what}): expected ${String(want)}, got ${got}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 60_000);

  FORMATS.forEach((format) => {
    it(
      format,
      async () => {
        const cases = await fuzzCases(format, SEED, SCALE);
        const failures: string[] = [];
        const outcomes = { ok: 0, refused: 0 };
        for (const c of cases) {
          const r = await runner.run(c);
          if (process.env.FUZZ_VERBOSE)
            console.log(
              `#${c.id} ${c.mutation.what.slice(0, 60)} ${Math.round(r.ms)}ms → ${r.problem ?? r.message?.slice(0, 160) ?? 'ok'}`,
            );
          if (r.problem)
            failures.push(`#${c.id} ${c.file} (${c.mutation.what}${c.mutation.inner ? ', inside the gzip' : ''}): ${r.problem}`);
          else if (r.message) outcomes.refused++;
          else outcomes.ok++;
          if (!r.problem && r.ms > CASE_MS) failures.push(`#${c.id} ${c.file}: took ${Math.round(r.ms)} ms`);
        }
        if (process.env.FUZZ_VERBOSE) console.log(format, cases.length, 'mutants', outcomes);
        expect(failures, failures.join('\n')).toEqual([]);
        expect(cases.length).toBeGreaterThanOrEqual(40 * Math.min(1, SCALE));
      },
      180_000,
    );
  });
});
