#!/usr/bin/env node
// Builds the Node side with esbuild (CLI, server, worker entries, Electron main + preload) and,
// unless --node-only, the renderer with Vite. Worker entries are every src/**/*.worker.ts; each becomes
// dist/workers/<name>.mjs so that workerPath(name) finds it from source and from the bundle alike.
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync, mkdirSync } from 'node:fs';
import { join, basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));

function findWorkers(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findWorkers(p));
    else if (name.endsWith('.worker.ts')) out.push(p);
  }
  return out;
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

export async function buildNode() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const workers = findWorkers(join(root, 'src'));
  const entryPoints = { cli: 'src/cli/main.ts' };
  for (const w of workers) entryPoints[`workers/${basename(w, '.worker.ts')}`] = w;
  // old chunks are left in place: a CLI, server or worker started from the previous build may still
  // load them (chunk names are content hashes, so nothing is overwritten with different code)
  await Promise.all([
    // one build with code splitting: what a command or method imports lazily (tfjs for the U-Net,
    // the train command) becomes a chunk that is loaded only when used, in the CLI and workers alike
    build({
      ...common,
      format: 'esm',
      entryPoints,
      outdir: 'dist',
      outExtension: { '.js': '.mjs' },
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
    }),
    build({ ...common, format: 'esm', entryPoints: ['main/main.ts'], outfile: 'dist/main/main.mjs', external: ['electron'] }),
    // A sandboxed preload cannot be an ES module.
    build({
      ...common,
      format: 'cjs',
      entryPoints: ['main/preload.ts'],
      outfile: 'dist/main/preload.cjs',
      external: ['electron'],
    }),
  ]);
}

export async function buildRenderer() {
  const { build: viteBuild } = await import('vite');
  rmSync(join(root, 'dist/renderer'), { recursive: true, force: true });
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildNode();
  if (!args.has('--node-only')) await buildRenderer();
}
