/**
 * tfjs backend selection: at start-up pick the fastest backend that loads, in this order —
 *   tensorflow  @tensorflow/tfjs-node-gpu, then @tensorflow/tfjs-node (native libtensorflow);
 *   webgpu      @tensorflow/tfjs-backend-webgpu over Dawn (`webgpu` package), only when an adapter exists;
 *   wasm        XNNPACK + SIMD (single-threaded in Node), with our conv-gradient kernels registered;
 *   cpu         plain JS (correct, but minutes per 320² U-Net inference).
 * Every failure of a candidate is caught (a missing native library throws at import, not only
 * MODULE_NOT_FOUND) and recorded in `tried`. A user forces one with `preferred` or MRI_RECON_BACKEND;
 * a forced backend that fails to load is an error, never a silent fallback.
 *
 * One selection per thread (each worker has its own tfjs engine); `ensureBackend` caches it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { registerGradients, registerPreferredGradients } from './gradients';
import { gemmKernels, gemmLoadError } from './gemm';
import { registerWasmKernels } from './wasm-kernels';

registerGradients();

export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** why it did not load (one line) */
  error?: string;
  /** milliseconds spent trying */
  ms: number;
  /** e.g. which package provided `tensorflow`, the wasm flavour, the GPU adapter */
  detail?: string;
}

export interface BackendSelection {
  name: BackendName;
  tried: BackendAttempt[];
}

export class BackendError extends Error {
  constructor(
    message: string,
    readonly tried: BackendAttempt[],
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

const require = createRequire(import.meta.url);

function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (
    msg
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim()
      .slice(0, 300) ?? 'unknown error'
  );
}

export function isBackendName(s: string): s is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(s);
}

/** The backend asked for by option or environment; undefined = automatic. */
export function requestedBackend(preferred?: string): BackendName | undefined {
  const raw = (preferred ?? process.env.MRI_RECON_BACKEND ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'auto') return undefined;
  if (raw === 'node' || raw === 'tfjs-node') return 'tensorflow';
  if (!isBackendName(raw)) throw new RangeError(`unknown backend '${raw}' (expected ${BACKEND_NAMES.join(', ')} or auto)`);
  return raw;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function activate(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

// ---- candidates ------------------------------------------------------------------------------

/**
 * tfjs-node's native addon (lib/napi-v*\/tfjs_binding.node, which links libtensorflow) is fetched by
 * its install script; without it an import fails only after registering ~150 kernels (and warning
 * about every one of them on the next try), so look before importing.
 */
function nativeBindingPresent(pkg: string): string | null {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return `${pkg} is not installed`;
  }
  const lib = join(dir, 'lib');
  const found =
    existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
  return found ? null : `${pkg}: native binding not installed (lib/napi-v*/tfjs_binding.node missing)`;
}

async function tryTensorflow(): Promise<string> {
  const errors: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    const missing = nativeBindingPresent(pkg);
    if (missing) {
      errors.push(missing);
      continue;
    }
    try {
      await import(/* @vite-ignore */ pkg);
      if (!tf.findBackend('tensorflow'))
        throw new Error(`${pkg} loaded but registered no 'tensorflow' backend with this tfjs-core`);
      await activate('tensorflow');
      return pkg;
    } catch (e) {
      if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
      errors.push(`${pkg}: ${oneLine(e)}`);
    }
  }
  throw new Error(errors.join('; '));
}

/** Dawn needs the Vulkan loader on Linux; without it, it prints a warning and finds nothing. */
function vulkanLoaderPresent(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/lib/x86_64-linux-gnu',
    '/lib64',
    '/usr/local/lib',
  ];
  return dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')));
}

async function tryWebgpu(): Promise<string> {
  if (!vulkanLoaderPresent()) throw new Error('no Vulkan loader (libvulkan.so.1), so no WebGPU adapter');
  const dawn = (await import(/* @vite-ignore */ 'webgpu')) as { create(options: string[]): GPU; globals: object };
  const gpu = dawn.create([]);
  const adapter = await withTimeout(gpu.requestAdapter(), 5000, 'requestAdapter');
  if (!adapter) throw new Error('no WebGPU adapter found');
  const g = globalThis as unknown as { navigator?: { gpu?: GPU } };
  Object.assign(globalThis, dawn.globals);
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (!g.navigator.gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  await import(/* @vite-ignore */ '@tensorflow/tfjs-backend-webgpu');
  await withTimeout(activate('webgpu'), 20_000, 'webgpu backend start');
  const info = (adapter as unknown as { info?: { vendor?: string; architecture?: string; description?: string } }).info;
  return [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'adapter found';
}

/** Folder holding tfjs-backend-wasm's .wasm binaries (node_modules/@tensorflow/tfjs-backend-wasm/dist). */
export function wasmBinaryDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

async function tryWasm(): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = wasmBinaryDir();
  if (!existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm'))) throw new Error(`wasm binaries not found in ${dir}`);
  wasm.setWasmPaths(dir.endsWith('/') ? dir : dir + '/');
  await activate('wasm');
  const { registered } = registerWasmKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const gemm = gemmKernels();
  const ours = gemm
    ? `our kernels (${gemm.relaxed ? 'relaxed SIMD, fused multiply-add' : 'SIMD'}; Winograd 3×3 convolutions): ${registered.length ? registered.join(', ') : 'already registered'}`
    : `our kernels did not load (${gemmLoadError() ?? 'unknown'}); tfjs' own kernels`;
  return `${simd ? 'SIMD' : 'no SIMD'}, no threads; ${ours}`;
}

async function tryCpu(): Promise<string> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu');
  // the cpu backend greets Node users on its first write with a multi-line warning advertising tfjs-node
  const cpu = tf.backend() as unknown as { firstUse?: boolean };
  if ('firstUse' in cpu) cpu.firstUse = false;
  return 'plain JS';
}

const CANDIDATES: Record<BackendName, () => Promise<string>> = {
  tensorflow: tryTensorflow,
  webgpu: tryWebgpu,
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Activates the fastest backend that loads (or `preferred` / MRI_RECON_BACKEND when given) and
 * reports every attempt. Throws BackendError when a forced backend fails or none loads.
 */
export async function selectBackend(preferred?: string): Promise<BackendSelection> {
  const forced = requestedBackend(preferred);
  const order: readonly BackendName[] = forced ? [forced] : BACKEND_NAMES;
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    const t0 = performance.now();
    try {
      const detail = await CANDIDATES[name]();
      tried.push({ name, ok: true, ms: performance.now() - t0, detail });
      registerPreferredGradients();
      return { name, tried };
    } catch (e) {
      tried.push({ name, ok: false, error: oneLine(e), ms: performance.now() - t0 });
    }
  }
  const why = tried.map((t) => `${t.name}: ${t.error}`).join('; ');
  throw new BackendError(forced ? `backend '${forced}' failed to load (${why})` : `no tfjs backend loads (${why})`, tried);
}

let current: { key: string; selection: Promise<BackendSelection> } | null = null;

/** selectBackend once per thread (and again only if a different backend is forced). */
export function ensureBackend(preferred?: string): Promise<BackendSelection> {
  const key = requestedBackend(preferred) ?? 'auto';
  if (current && (current.key === key || (key === 'auto' && current.key !== 'auto'))) return current.selection;
  const selection = selectBackend(preferred);
  current = { key, selection };
  selection.catch(() => {
    if (current?.selection === selection) current = null;
  });
  return selection;
}

/** For `mri-recon info --backend`: which backend would run the models here, and why not the others. */
export async function describeBackend(
  preferred?: string,
): Promise<{ text: string; selection: BackendSelection | null; error?: string }> {
  const lines: string[] = [];
  let selection: BackendSelection | null = null;
  let error: string | undefined;
  try {
    selection = await selectBackend(preferred);
  } catch (e) {
    error = oneLine(e);
  }
  const tried = selection?.tried ?? (error ? [] : []);
  if (selection) lines.push(`tfjs backend: ${selection.name} (tfjs-core ${tf.version_core})`);
  else lines.push(`tfjs backend: none (${error})`);
  for (const t of tried) {
    lines.push(`  ${t.ok ? 'ok  ' : 'skip'} ${t.name.padEnd(10)} ${(t.ok ? t.detail : t.error) ?? ''} [${t.ms.toFixed(0)} ms]`);
  }
  if (selection && !requestedBackend(preferred)) {
    const after = BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(selection.name) + 1);
    if (after.length) lines.push(`  (not tried: ${after.join(', ')} — a faster one loaded first)`);
  }
  lines.push(`  force one with MRI_RECON_BACKEND=${BACKEND_NAMES.join('|')} or --backend`);
  return { text: lines.join('\n'), selection, error };
}
