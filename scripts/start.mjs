#!/usr/bin/env node
// `npm start`: the desktop app when Electron's binary is there (fetching it once if the network
// allows), otherwise the same workstation in server mode: prints the URL to open in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const p = require('electron'); // the package exports the binary's path, and throws when it is missing
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const { buildNode, buildRenderer } = await import('./build.mjs');
await buildNode();
await buildRenderer();

let bin = electronBinary();
if (!bin && existsSync(join(root, 'node_modules', 'electron', 'install.js')) && !process.env.MRI_RECON_NO_ELECTRON) {
  console.error('Electron binary missing: trying to download it once…');
  spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  bin = electronBinary();
}

if (bin && !process.env.MRI_RECON_NO_ELECTRON) {
  const child = spawn(bin, [join(root, 'dist', 'main', 'main.mjs')], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error('Electron is not available here: starting the workstation in server mode instead.');
  const child = spawn(process.execPath, [join(root, 'bin', 'mri-recon.mjs'), 'serve', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
