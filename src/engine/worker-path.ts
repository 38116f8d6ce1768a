import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The package root: the nearest folder above this module holding our package.json. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return (cachedRoot = dir);
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist'))) return (cachedRoot = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot locate the package root from ' + import.meta.url);
    dir = up;
  }
}

/**
 * Path of a built worker entry (src/**\/NAME.worker.ts → dist/workers/NAME.mjs). Workers always run
 * the built file, from the CLI bundle and under the test runner alike, so both exercise the same code.
 */
export function workerPath(name: string): string {
  // in a packaged app the workers are unpacked beside the asar archive (electron-builder asarUnpack)
  const root = packageRoot().replace(/app\.asar(?=$|[\\/])/, 'app.asar.unpacked');
  const p = join(root, 'dist', 'workers', `${name}.mjs`);
  if (!existsSync(p)) throw new Error(`worker bundle ${p} is missing: run \`npm run build:fast\``);
  return p;
}
