import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFrom } from '../../src/cli/commands/train';
import { buildTrainConfig, cliFlag } from '../../src/train/config';
import { DEMO } from '../helpers/paths';

const tmp = mkdtempSync(join(tmpdir(), 'mri-train-config-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('buildTrainConfig', () => {
  it('fills the same defaults as the CLI', () => {
    const c = buildTrainConfig({ data: DEMO });
    expect(c).toEqual(configFrom({ data: DEMO }));
    expect(c).toMatchObject({
      model: { arch: 'unet', config: { chans: 32, numPoolLayers: 4, norm: 'group', dropProb: 0 } },
      data: { train: [resolve(DEMO)], val: null, valFraction: 0.2 },
      mask: { type: 'random', accelerations: [4], centerFractions: [0.08] },
      optimizer: { name: 'adam', lr: 1e-3 },
      schedule: { name: 'constant', warmupSteps: 0 },
      loss: { type: 'l1' },
      epochs: 10,
      batch: 1,
      clipNorm: null,
      checkpointEvery: 50,
      keepCheckpoints: 3,
      seed: 0,
      init: null,
    });
  });

  it('matches the CLI for a full set of options', () => {
    const c = buildTrainConfig({
      data: DEMO,
      val: DEMO,
      chans: 8,
      pools: 2,
      norm: 'instance',
      accelerations: [4, 8],
      optimizer: 'sgd',
      momentum: 0.9,
      lr: 0.01,
      epochs: 3,
      batch: 2,
      maxSlices: 4,
      patch: 96,
      schedule: 'step',
      stepSize: 10,
      gamma: 0.5,
      clip: 1,
      loss: 'mix',
      ssimWeight: 0.84,
      seed: 7,
      backend: 'wasm',
    });
    const cli = configFrom({
      data: DEMO,
      val: DEMO,
      chans: '8',
      pools: '2',
      norm: 'instance',
      accel: '4,8',
      optimizer: 'sgd',
      momentum: '0.9',
      lr: '0.01',
      epochs: '3',
      batch: '2',
      'max-slices': '4',
      patch: '96',
      schedule: 'step',
      'step-size': '10',
      gamma: '0.5',
      clip: '1',
      loss: 'mix',
      'ssim-weight': '0.84',
      seed: '7',
      backend: 'wasm',
    });
    expect(c).toEqual(cli);
    expect(c.mask.centerFractions).toEqual([0.08, 0.04]);
  });

  it('refuses bad values with a RangeError naming the field', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ data: join(tmp, 'missing') }, /^data .*missing: not found$/],
      [{ data: DEMO, val: join(tmp, 'nope') }, /^val .*nope: not found$/],
      [{ data: DEMO, lr: 0 }, /^lr must be positive, got 0$/],
      [{ data: DEMO, lr: Number.NaN }, /^lr must be a number/],
      [{ data: DEMO, epochs: 1.5 }, /^epochs must be a positive integer, got 1.5$/],
      [{ data: DEMO, chans: 0 }, /^chans must be a positive integer/],
      [{ data: DEMO, norm: 'weird' }, /^norm must be one of instance, group, batch, layer, none, got 'weird'$/],
      [{ data: DEMO, optimizer: 'lbfgs' }, /^optimizer must be one of adam, adamw, rmsprop, sgd/],
      [{ data: DEMO, model: 'varnet', cascades: 0 }, /^cascades must be a positive integer/],
      [{ data: DEMO, accelerations: [] }, /^accelerations needs at least one value$/],
      [{ data: DEMO, accelerations: [100] }, /^accelerations values must be in \[1, 64\]$/],
      [
        { data: DEMO, accelerations: [4, 8], centerFractions: [0.1, 0.2, 0.3] },
        /^centerFractions needs one value or one per accelerations value$/,
      ],
      [{ data: DEMO, valFraction: 1 }, /^valFraction must be in \(0, 1\)$/],
      [{ data: DEMO, clip: -1 }, /^clip must be positive$/],
      [{ data: DEMO, seed: -2 }, /^seed must be a non-negative integer$/],
      [{ data: DEMO, momentum: 1.5 }, /^momentum must be in \[0, 1\)/],
      [{ data: DEMO, mask: 'custom' }, /^mask must be one of/],
      [{ data: DEMO, dropout: 1 }, /dropProb must be in \[0, 1\)/],
    ];
    for (const [input, re] of bad) {
      const err = (() => {
        try {
          buildTrainConfig(input as never);
        } catch (e) {
          return e as Error;
        }
        return null;
      })();
      expect(err, JSON.stringify(input)).toBeInstanceOf(RangeError);
      expect(err!.message).toMatch(re);
    }
  });

  it('speaks the CLI vocabulary when asked', () => {
    expect(() => buildTrainConfig({ data: DEMO, maxSlices: 0 }, { label: cliFlag })).toThrow(
      /^--max-slices must be a positive integer, got 0$/,
    );
    expect(() => buildTrainConfig({ data: DEMO, accelerations: [4], centerFractions: [2] }, { label: cliFlag })).toThrow(
      /^--center values must be in \(0, 1\)$/,
    );
  });

  it('reports a fine-tuning source that is missing or broken', () => {
    const broken = join(tmp, 'broken.safetensors');
    writeFileSync(broken, 'not weights');
    expect(() => buildTrainConfig({ data: DEMO, init: broken })).toThrow(/^init: .*not a safetensors file/);
    expect(() => buildTrainConfig({ data: DEMO, init: join(tmp, 'gone.safetensors') })).toThrow(
      /^init .*gone\.safetensors: not found$/,
    );
  });
});
