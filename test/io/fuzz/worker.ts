/**
 * Runs fuzz cases one at a time for test/io/fuzz.test.ts, in a worker thread so that the test can
 * time out a hung case (terminate the thread) and survive a crash. Bundled with esbuild by the test.
 *
 * Protocol: the parent posts a FuzzCase; the worker writes the mutant, exercises the readers, deletes
 * the mutant and posts a CaseResult. For HDF5 mutants it then checks that the pristine fixture still
 * opens and reads, so a corrupt file that broke the shared wasm module is caught.
 */
import fs, { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readDicom, readDicomDataSet, readDicomHeader } from '../../../src/io/dicom/parse';
import { dicomTagEntries } from '../../../src/io/dicom/tags';
import { FastMriSource } from '../../../src/io/fastmri';
import { IsmrmrdSource } from '../../../src/io/ismrmrd/source';
import { readNifti } from '../../../src/io/nifti/read';
import { readNpy } from '../../../src/io/npy';
import { openScan, type ScanSource } from '../../../src/io/scan';
import { applyMutation, type FuzzCase } from './mutants';

export interface CaseResult {
  id: number;
  /** null: every step succeeded or failed the way the standard asks; else what went wrong */
  problem: string | null;
  /** the message the readers threw (the first one), for the report */
  message: string | null;
  ms: number;
}

// h5wasm (NODERAWFS) writes HDF5-DIAG traces straight to fd 2, past the worker's stderr stream: thousands
// of lines for a run. Drop them here (this thread only); the tail is kept for a crash report.
let diagTail = '';
const writeSync = fs.writeSync;
(fs as { writeSync: unknown }).writeSync = (fd: number, buffer: unknown, ...rest: unknown[]) => {
  if (fd !== 2) return (writeSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
  if (typeof buffer === 'string') {
    diagTail = (diagTail + buffer).slice(-2000);
    return Buffer.byteLength(buffer);
  }
  // (fd, buffer, offset, length, position): Emscripten passes its whole heap and a window of it
  const b = buffer as Uint8Array;
  const offset = typeof rest[0] === 'number' ? rest[0] : 0;
  const length = typeof rest[1] === 'number' ? rest[1] : b.byteLength - offset;
  diagTail = (diagTail + Buffer.from(b.buffer, b.byteOffset + offset, length).toString()).slice(-2000);
  return length;
};

/** where mutants are written (one at a time, deleted after use): the parent's folder */
const dir = (workerData as { dir: string }).dir;
const pristine = new Map<string, Uint8Array>();
function fixture(path: string): Uint8Array {
  let b = pristine.get(path);
  if (!b) pristine.set(path, (b = new Uint8Array(readFileSync(path))));
  return b;
}

/** What is wrong with what a reader threw, or null for an Error naming `file` (and no allocation failure or wasm trap). */
function judge(e: unknown, file: string, step: string): string | null {
  if (!(e instanceof Error)) return `${step}: threw a non-Error ${typeof e}: ${String(e).slice(0, 200)}`;
  const m = e.message;
  if (!m.includes(file)) return `${step}: ${e.constructor.name} without the file name: ${m.slice(0, 300)}`;
  if (/[\n\r]/.test(m)) return `${step}: message spans several lines: ${JSON.stringify(m.slice(0, 300))}`;
  if (/Aborted\(|RuntimeError|unreachable|memory access out of bounds/.test(m)) return `${step}: wasm abort: ${m.slice(0, 300)}`;
  if (/Invalid typed array length|Array buffer allocation failed|Maximum call stack|Invalid array length/.test(m))
    return `${step}: unguarded allocation/recursion: ${m.slice(0, 300)}`;
  return null;
}

type Step = [string, () => unknown];
interface Steps {
  steps: Step[];
  /** runs whatever happened (closes what was opened) */
  cleanup?: () => void;
}

async function drive({ steps, cleanup }: Steps, file: string): Promise<{ problem: string | null; message: string | null }> {
  try {
    for (const [name, run] of steps) {
      try {
        await run();
      } catch (e) {
        return { problem: judge(e, file, name), message: e instanceof Error ? e.message : String(e) };
      }
    }
    return { problem: null, message: null };
  } finally {
    cleanup?.();
  }
}

/** Opens a scan and reads what a user would: metadata, the first (or every) slice, the target. */
function scanSteps(path: string, all: boolean, open: () => Promise<ScanSource>): Steps {
  let s: ScanSource | null = null;
  const steps: Step[] = [
    ['open', async () => (s = await open())],
    ['metadata', () => s!.metadata?.()],
    [
      'readKspace',
      () => {
        const n = all ? s!.slices : Math.min(1, s!.slices);
        for (let i = 0; i < n; i++) {
          const k = s!.readKspace(i);
          if (k.length !== 2 * s!.coils * s!.height * s!.width) throw new Error(`${path}: slice ${i} has ${k.length} floats`);
        }
      },
    ],
    ['readTarget', () => s!.readTarget(0)],
  ];
  return { steps, cleanup: () => s?.close() };
}

async function exercise(c: FuzzCase, path: string): Promise<{ problem: string | null; message: string | null }> {
  const file = c.file;
  const sets: Steps[] = [];
  switch (c.format) {
    case 'fastmri':
      sets.push(scanSteps(path, false, () => openScan(path)));
      sets.push(scanSteps(path, false, () => FastMriSource.open(path)));
      break;
    case 'ismrmrd':
      sets.push(scanSteps(path, true, () => openScan(path)));
      sets.push(scanSteps(path, true, () => IsmrmrdSource.open(path, { index: 'hdf5' })));
      break;
    case 'dicom':
      sets.push({
        steps: [
          ['readDicomHeader', () => readDicomHeader(path)],
          ['tags', () => dicomTagEntries(readDicomDataSet(path))],
        ],
      });
      sets.push({ steps: [['readDicom', () => readDicom(path)]] });
      sets.push(scanSteps(path, false, () => openScan(path)));
      break;
    case 'nifti':
      sets.push({ steps: [['readNifti', () => readNifti(path)]] });
      sets.push(scanSteps(path, false, () => openScan(path)));
      break;
    case 'npy':
      sets.push({ steps: [['readNpy', () => readNpy(path)]] });
      break;
  }
  let message: string | null = null;
  for (const steps of sets) {
    const r = await drive(steps, file);
    if (r.problem) return r;
    message ??= r.message;
  }
  return { problem: null, message };
}

/** After an HDF5 mutant: the pristine file must still open and read (the wasm module is shared). */
async function healthCheck(c: FuzzCase): Promise<string | null> {
  if (c.format !== 'fastmri' && c.format !== 'ismrmrd') return null;
  try {
    const s = await openScan(c.fixture);
    try {
      s.readKspace(0);
    } finally {
      s.close();
    }
    return null;
  } catch (e) {
    return `after this mutant the pristine ${basename(c.fixture)} no longer reads: ${(e as Error).message}`;
  }
}

parentPort!.on('message', async (c: FuzzCase) => {
  const t0 = performance.now();
  const path = join(dir, c.file);
  writeFileSync(
    path,
    applyMutation(
      fixture(c.fixture),
      c.mutation,
      (b) => gzipSync(b),
      (b) => gunzipSync(b),
    ),
  );
  let result: { problem: string | null; message: string | null };
  try {
    result = await exercise(c, path);
  } catch (e) {
    result = { problem: `harness: ${(e as Error).message}; stderr: ${diagTail.slice(-300)}`, message: null };
  } finally {
    rmSync(path, { force: true });
  }
  // after any HDF5 mutant, failed or not: the shared wasm module must still read a good file
  const health = await healthCheck(c);
  if (health) result.problem = result.problem ? `${result.problem}; ${health}` : health;
  const out: CaseResult = { id: c.id, ...result, ms: performance.now() - t0 };
  parentPort!.postMessage(out);
});
