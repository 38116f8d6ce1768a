/** Child process for the crash test: trains a tiny U-Net on synthetic data, one JSON line per event on stdout. */
import { selectBackend } from '../../src/backend';
import { trainRun, type TrainConfig } from '../../src/train/trainer';
import { syntheticSource } from './synthetic';

const [out, mode] = process.argv.slice(2);
const config: TrainConfig = {
  version: 1,
  model: { arch: 'unet', config: { inChans: 1, outChans: 1, chans: 4, numPoolLayers: 2, dropProb: 0, norm: 'group' } },
  data: { train: [], val: null, valFraction: 0.5 },
  mask: { type: 'random', accelerations: [4, 8], centerFractions: [0.25, 0.125] },
  optimizer: { name: 'adam', lr: 1e-3 },
  schedule: { name: 'cosine', warmupSteps: 3, totalSteps: 60 },
  loss: { type: 'l1' },
  epochs: 3,
  batch: 1,
  clipNorm: null,
  checkpointEvery: 3,
  keepCheckpoints: 2,
  seed: 11,
  init: null,
};
await selectBackend('wasm');
const train = [syntheticSource('a', 8, 32, 32), syntheticSource('b', 8, 32, 32, 2, 3)];
const val = [syntheticSource('v', 2, 32, 32, 2, 5)];
const res = await trainRun({
  out,
  config: mode === 'resume' ? undefined : config,
  resume: mode === 'resume',
  sources: { train, val },
  hooks: { onEvent: (e) => process.stdout.write(JSON.stringify(e) + '\n') },
});
process.stdout.write(JSON.stringify({ type: 'done', step: res.step }) + '\n');
