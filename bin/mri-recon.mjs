#!/usr/bin/env node
// Entry of the `mri-recon` command. Builds the Node bundle first when it is missing or older than the
// sources (a fresh checkout, or after a pull), so that `npx mri-recon` works straight after `npm ci`.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli.mjs');

function newestMtime(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return t;
}

const stale = !existsSync(bundle) || (existsSync(join(root, 'src')) && newestMtime(join(root, 'src')) > statSync(bundle).mtimeMs);
if (stale) {
  const { buildNode } = await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href);
  await buildNode();
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
