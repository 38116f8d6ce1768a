import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/backend';
import { groupNormalize } from '../../src/models/layers';
import { fusedNormActAvailable, normActInfer, normActTrain } from '../../src/models/norm-act';
import { applyTraining, buildUnet, type NormType } from '../../src/models/unet';
import { relErr, seededUniform as seeded } from '../helpers/numeric';

describe('fused norm + LeakyReLU (wasm MriNormActTrain / MriNormActGrad)', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('is available on wasm', () => {
    expect(fusedNormActAvailable()).toBe(true);
  });

  const shape: [number, number, number, number] = [2, 7, 6, 12];
  const cases: { groups: number; affine: boolean; alpha: number | null }[] = [
    { groups: 12, affine: false, alpha: 0.2 }, // instance norm (fastMRI)
    { groups: 4, affine: true, alpha: 0.2 }, // group norm
    { groups: 1, affine: true, alpha: 0.2 }, // layer norm
    { groups: 3, affine: true, alpha: null }, // no activation; 12 channels, a non-multiple-of-4 group size
  ];
  for (const c of cases) {
    it(`value and gradients (x, gamma, beta) equal autodiff through the unfused ops: groups ${c.groups}, affine ${c.affine}, alpha ${c.alpha}`, () => {
      const x = tf.tensor4d(
        seeded(
          shape.reduce((a, b) => a * b),
          1,
          4,
          0.3,
        ),
        shape,
      );
      const w = tf.tensor4d(
        seeded(
          shape.reduce((a, b) => a * b),
          2,
        ),
        shape,
      );
      const gamma = c.affine ? tf.tensor1d(seeded(12, 3, 1, 1)) : null;
      const beta = c.affine ? tf.tensor1d(seeded(12, 4, 0.5)) : null;
      const params = { groups: c.groups, epsilon: 1e-5, gamma, beta };
      const plain = (xi: tf.Tensor4D, g: tf.Tensor | null, b: tf.Tensor | null) => {
        let y = groupNormalize(xi, c.groups, 1e-5);
        if (g) y = tf.mul(y, g);
        if (b) y = tf.add(y, b);
        return c.alpha === null ? y : tf.leakyRelu(y, c.alpha);
      };
      const loss =
        (f: (xi: tf.Tensor4D, g: tf.Tensor | null, b: tf.Tensor | null) => tf.Tensor) =>
        (...a: tf.Tensor[]) =>
          tf.sum(tf.mul(f(a[0] as tf.Tensor4D, a[1] ?? null, a[2] ?? null), w));
      const inputs = [x, ...(gamma ? [gamma, beta!] : [])];
      const fused = (xi: tf.Tensor4D, g: tf.Tensor | null, b: tf.Tensor | null) =>
        normActTrain(xi, { ...params, gamma: g, beta: b }, c.alpha);
      const before = tf.memory().numTensors;
      const got = tf.grads(loss(fused))(inputs);
      const ref = tf.grads(loss(plain))(inputs);
      const names = ['dx', 'dgamma', 'dbeta'];
      got.forEach((g, i) => expect(relErr(g.dataSync(), ref[i].dataSync()), names[i]).toBeLessThan(2e-5));
      const v = normActTrain(x, params, c.alpha);
      const vi = normActInfer(x, params, c.alpha);
      const vr = tf.tidy(() => plain(x, gamma, beta));
      expect(relErr(v.dataSync(), vr.dataSync())).toBeLessThan(1e-5);
      expect(relErr(vi.dataSync(), v.dataSync())).toBe(0);
      tf.dispose([...got, ...ref, v, vi, vr]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w, ...(gamma ? [gamma, beta!] : [])]);
    });
  }

  it('rejects a channel count the groups do not divide and a dy of the wrong shape', () => {
    const x = tf.zeros([1, 4, 4, 6]) as tf.Tensor4D;
    expect(() => normActTrain(x, { groups: 4, epsilon: 1e-5, gamma: null, beta: null }, 0.2)).toThrow(
      /6 channels do not split into 4 groups/,
    );
    const saved = tf.zeros([1, 2, 2]);
    expect(() =>
      tf.engine().runKernel('MriNormActGrad', { x, dy: tf.zeros([1, 4, 4, 5]), saved }, { groups: 2, epsilon: 1e-5, alpha: 0.2 }),
    ).toThrow(/dy must have x's shape/);
    tf.dispose([x, saved]);
  });

  for (const norm of ['instance', 'group', 'none'] as NormType[]) {
    it(`a U-Net's training-mode gradients equal model.apply's (norm ${norm})`, () => {
      const model = buildUnet({ inChans: 1, outChans: 1, chans: 8, numPoolLayers: 2, dropProb: 0, norm });
      const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
      const x = tf.tensor4d(seeded(2 * 20 * 18, 5, 2), [2, 20, 18, 1]);
      const t = tf.tensor4d(seeded(2 * 20 * 18, 6), [2, 20, 18, 1]);
      const lossOf = (out: tf.Tensor) => tf.mean(tf.abs(tf.sub(out, t))) as tf.Scalar;
      const fused = tf.variableGrads(() => lossOf(applyTraining(model, x)), vars);
      const plain = tf.variableGrads(() => lossOf(model.apply(x, { training: true }) as tf.Tensor), vars);
      expect(Math.abs(fused.value.dataSync()[0] - plain.value.dataSync()[0])).toBeLessThan(1e-5);
      for (const v of vars) {
        const a = fused.grads[v.name].dataSync();
        const b = plain.grads[v.name].dataSync();
        expect(relErr(a, b), v.name).toBeLessThan(1e-4);
      }
      tf.dispose([fused.value, plain.value, ...Object.values(fused.grads), ...Object.values(plain.grads), x, t]);
      model.dispose();
    });
  }
});
