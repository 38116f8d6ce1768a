import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/backend';
import { normActAvailable } from '../../src/backend/wasm-kernels';
import { buildUnet, predict, predictPlain, NORM_TYPES, type UnetConfig } from '../../src/models/unet';
import { relErr } from '../helpers/numeric';

/** Deterministic non-trivial weights (gamma ≠ 1, beta ≠ 0) so the affine part is exercised. */
function randomize(model: ReturnType<typeof buildUnet>, seed: number): void {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  model.setWeights(
    model.weights.map((w) => {
      const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      const fan = w.shape.length === 4 ? w.shape[0]! * w.shape[1]! * w.shape[2]! : 1;
      const isGamma = w.name.includes('gamma') || w.name.includes('variance');
      const vals = new Float32Array(n).map(() => (isGamma ? 1 + next() : (2 * next()) / Math.sqrt(fan)));
      return tf.tensor(vals, w.shape as number[]);
    }),
  );
}

describe('fused inference path (wasm: one MriNormAct kernel per norm + LeakyReLU)', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('is available on the wasm backend', () => {
    expect(normActAvailable('wasm')).toBe(true);
    expect(normActAvailable('cpu')).toBe(false);
  });

  for (const norm of NORM_TYPES) {
    for (const residual of [false, true]) {
      it(`matches the plain tfjs-layers path within 1e-5 (norm ${norm}${residual ? ', residual' : ''}, odd size)`, async () => {
        const cfg: UnetConfig = { inChans: 2, outChans: 2, chans: 8, numPoolLayers: 2, dropProb: 0.1, norm, residual };
        const model = buildUnet(cfg);
        randomize(model, 7);
        const x = tf.tensor4d(
          new Float32Array(2 * 19 * 22 * 2).map((_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 0.011)),
          [2, 19, 22, 2],
        );
        const before = tf.memory().numTensors;
        const prof = await tf.profile(() => predict(model, x));
        const fused = prof.kernels.filter((k) => k.name === 'MriNormAct').length;
        expect(fused).toBe(norm === 'batch' || norm === 'none' ? 0 : 2 * 2 * 2 + 2 + 2);
        tf.dispose(prof.result as tf.Tensor);
        const fast = predict(model, x);
        const plain = predictPlain(model, x);
        expect(fast.shape).toEqual(plain.shape);
        expect(relErr(fast.dataSync(), plain.dataSync())).toBeLessThan(1e-5);
        tf.dispose([fast, plain]);
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
        model.dispose();
      });
    }
  }
});
