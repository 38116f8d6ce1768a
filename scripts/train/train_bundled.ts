/**
 * Reproduces the bundled U-Net (assets/models/unet-colin27-c16p3.safetensors):
 *
 *   /usr/bin/python3 scripts/train/make_colin27_train.py /tmp/colin27_train     # Colin27 only, demo slices held out
 *   npx vite-node scripts/train/train_bundled.ts /tmp/colin27_train /tmp/bundled-run
 *
 * Trains with scripts/train/bundled.json (chans 16, pools 3, group norm, 4× and 8× random masks,
 * 96² patches, Adam + cosine, L1; a few minutes on one CPU core with the wasm backend), then copies the
 * run's model.safetensors into assets/models/. --resume continues an interrupted run.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainRun, type TrainConfig } from '../../src/train/trainer';
import { BUNDLED_MODEL } from '../../src/recon/unet';

const here = dirname(fileURLToPath(import.meta.url));
const [data, out, flag] = process.argv.slice(2);
if (!data || !out) {
  console.error('usage: vite-node scripts/train/train_bundled.ts DATA_DIR RUN_DIR [--resume]');
  process.exit(2);
}
const config = JSON.parse(readFileSync(join(here, 'bundled.json'), 'utf8')) as TrainConfig;
config.data.train = [resolve(data)];
const t0 = performance.now();
const res = await trainRun({
  out,
  config,
  resume: flag === '--resume',
  hooks: {
    onEvent: (e) => {
      if (e.type === 'step' && e.step % 25 === 0)
        console.log(
          `step ${e.step} epoch ${e.epoch} loss ${e.loss.toFixed(4)} lr ${e.lr.toExponential(2)} ${e.ms.toFixed(0)} ms`,
        );
      if (e.type === 'epoch')
        console.log(
          `epoch ${e.epoch}: train ${e.trainLoss.toFixed(4)} val ${JSON.stringify(e.val)} ${(e.ms / 1000).toFixed(1)} s`,
        );
      if (e.type === 'log') console.log(e.message);
    },
  },
});
console.log(`done: step ${res.step}, ${((performance.now() - t0) / 1000).toFixed(0)} s on ${res.backend}`);
if (res.modelPath) {
  const dest = join(here, '..', '..', 'assets', 'models', BUNDLED_MODEL);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(res.modelPath, dest);
  console.log(`copied to ${dest}`);
}
