import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '../../src/backend';
import { parseNpy } from '../../src/io/npy';
import { GroupNorm, InstanceNorm, BatchNorm, ReflectPadToMatch, SpatialDropout2D } from '../../src/models/layers';
import { parseSafetensors, serializeSafetensors, WeightsFileError } from '../../src/models/safetensors';
import { buildUnet, groupsFor, parameterCount, predict, NORM_TYPES, type UnetConfig } from '../../src/models/unet';
import {
  decodeWeights,
  encodeCheckpoint,
  fastmriName,
  inferFastmriConfig,
  modelWeights,
  oursToFastmri,
  setModelWeights,
} from '../../src/models/weights';
import { FIXTURES } from '../helpers/paths';

const DIR = join(FIXTURES, 'unet');

function npy(name: string) {
  const a = parseNpy(new Uint8Array(readFileSync(join(DIR, name))));
  return { shape: a.shape, data: Float32Array.from(a.data as Float32Array) };
}

describe('fastMRI U-Net', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('has fastMRI parameter counts (chans 8 / pools 2 and chans 32 / pools 4)', () => {
    const small = buildUnet({ inChans: 1, outChans: 1, chans: 8, numPoolLayers: 2, dropProb: 0, norm: 'instance' });
    expect(parameterCount(small)).toBe(29137);
    small.dispose();
    const big = buildUnet({ inChans: 1, outChans: 1, chans: 32, numPoolLayers: 4, dropProb: 0, norm: 'instance' });
    expect(parameterCount(big)).toBe(7756097);
    big.dispose();
  });

  it('maps every weight to a fastMRI state_dict name and back', () => {
    expect(fastmriName('down1_conv2/kernel', 2)).toBe('down_sample_layers.1.layers.4.weight');
    expect(fastmriName('up1_conv1/kernel', 2)).toBe('up_conv.1.0.layers.0.weight');
    expect(fastmriName('up0_conv1/kernel', 2)).toBe('up_conv.0.layers.0.weight');
    expect(fastmriName('up1_tconv/kernel', 2)).toBe('up_transpose_conv.1.layers.0.weight');
    expect(fastmriName('out_conv/bias', 2)).toBe('up_conv.1.1.bias');
    expect(fastmriName('mid_norm2/gamma', 2)).toBe('conv.layers.5.weight');
  });

  for (const backend of ['wasm', 'cpu']) {
    it(`reproduces PyTorch's output on the fixture within 1e-4 (${backend})`, async () => {
      await selectBackend(backend);
      const bytes = new Uint8Array(readFileSync(join(DIR, 'unet_c8_p2.safetensors')));
      const file = parseSafetensors(bytes);
      expect(inferFastmriConfig(file)).toEqual({
        inChans: 1,
        outChans: 1,
        chans: 8,
        numPoolLayers: 2,
        dropProb: 0,
        norm: 'instance',
      });
      const contents = decodeWeights(bytes);
      const config = contents.spec.config as UnetConfig;
      const model = buildUnet(config);
      setModelWeights(model, contents.weights);
      const input = npy('input.npy');
      const expected = npy('output.npy');
      const [, , h, w] = input.shape;
      const x = tf.tensor4d(input.data, [1, h, w, 1]);
      const y = predict(model, x);
      const got = y.dataSync();
      let maxErr = 0;
      for (let i = 0; i < got.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - expected.data[i]));
      expect(maxErr).toBeLessThan(1e-4);
      // round trip back to fastMRI names reproduces the file's tensors
      const back = new Map(oursToFastmri(model, config).map((t) => [t.name, t]));
      for (const [name, t] of file.tensors) expect(Array.from(back.get(name)!.data)).toEqual(Array.from(t.data));
      tf.dispose([x, y]);
      model.dispose();
      await selectBackend('wasm');
    });
  }

  it('handles odd sizes with reflect padding (shape follows the input)', () => {
    const model = buildUnet({ inChans: 1, outChans: 1, chans: 4, numPoolLayers: 2, dropProb: 0, norm: 'group' });
    for (const [h, w] of [
      [17, 13],
      [20, 23],
    ]) {
      const y = predict(model, tf.zeros([1, h, w, 1]) as tf.Tensor4D);
      expect(y.shape).toEqual([1, h, w, 1]);
      y.dispose();
    }
    model.dispose();
  });

  it('group-norm rule: largest divisor of channels ≤ 32', () => {
    expect(groupsFor(64)).toBe(32);
    expect(groupsFor(32)).toBe(32);
    expect(groupsFor(16)).toBe(16);
    expect(groupsFor(48)).toBe(24);
    expect(groupsFor(4)).toBe(4);
    expect(groupsFor(1)).toBe(1);
  });

  it('custom layers survive save-then-reload through tf.io (every norm)', async () => {
    for (const norm of NORM_TYPES) {
      const model = buildUnet({ inChans: 1, outChans: 1, chans: 4, numPoolLayers: 1, dropProb: 0.1, norm });
      // give every weight a distinctive value
      model.weights.forEach((w, i) => w.write(tf.fill(w.shape as number[], 0.01 * (i + 1))));
      let saved: tf.io.ModelArtifacts | null = null;
      await model.save(
        tf.io.withSaveHandler(async (a) => {
          saved = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const art = saved as unknown as tf.io.ModelArtifacts;
      const topo = JSON.stringify(art.modelTopology);
      for (const cls of ['MriReflectPadToMatch', 'MriSpatialDropout2D']) expect(topo).toContain(cls);
      const reloaded = await tfl.loadLayersModel(tf.io.fromMemory(art));
      const x = tf.randomNormal([1, 8, 8, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
      const a = predict(model, x);
      const b = predict(reloaded, x);
      expect(Math.max(...Array.from(tf.abs(tf.sub(a, b)).dataSync()))).toBeLessThan(1e-6);
      tf.dispose([x, a, b]);
      model.dispose();
      reloaded.dispose();
    }
  });

  it('layers report their full config', () => {
    expect(new GroupNorm({ groups: 4, epsilon: 1e-3, name: 'g' }).getConfig()).toMatchObject({
      groups: 4,
      epsilon: 1e-3,
      center: true,
      scale: true,
      name: 'g',
    });
    expect(new InstanceNorm({ affine: true }).getConfig()).toMatchObject({ epsilon: 1e-5, affine: true });
    expect(new BatchNorm({ momentum: 0.2 }).getConfig()).toMatchObject({ epsilon: 1e-5, momentum: 0.2 });
    expect(new SpatialDropout2D({ rate: 0.3 }).getConfig()).toMatchObject({ rate: 0.3 });
    expect(new ReflectPadToMatch({ name: 'p' }).getConfig()).toMatchObject({ name: 'p' });
  });

  it('our checkpoints round-trip; mismatched shapes and corrupt files are one-line errors', () => {
    const config = { inChans: 1, outChans: 1, chans: 4, numPoolLayers: 1, dropProb: 0, norm: 'batch' as const };
    const model = buildUnet(config);
    const bytes = encodeCheckpoint({ arch: 'unet', config }, modelWeights(model), [], { step: 3 });
    const back = decodeWeights(bytes);
    expect(back.spec.config).toEqual(config);
    expect(back.training).toEqual({ step: 3 });
    const other = buildUnet({ ...config, chans: 8 });
    expect(() => setModelWeights(other, back.weights)).toThrow(/shape/);
    expect(() => decodeWeights(bytes.subarray(0, bytes.length - 10))).toThrow(WeightsFileError);
    expect(() => decodeWeights(new Uint8Array(16))).toThrow(WeightsFileError);
    const junk = serializeSafetensors([{ name: 'foo', shape: [1], data: new Float32Array(1) }]);
    expect(() => decodeWeights(junk)).toThrow(/neither/);
    model.dispose();
    other.dispose();
  });
});
