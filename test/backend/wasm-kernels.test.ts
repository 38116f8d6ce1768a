import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '../../src/backend';
import { relErr, seededUniform } from '../helpers/numeric';

interface Case {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid' | number;
  /** relative tolerance of the forward convolution (ddy): 1e-6, or F(4×4) Winograd's where it applies */
  forwardTol?: number;
}

const CASES: Case[] = [
  { name: '3×3 same s1', x: [2, 9, 7, 3], f: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { name: '3×3 valid s1', x: [1, 8, 8, 4], f: [3, 3, 4, 2], stride: 1, pad: 'valid' },
  { name: '3×3 explicit pad 1 s1', x: [1, 6, 10, 2], f: [3, 3, 2, 3], stride: 1, pad: 1 },
  { name: '1×1 s1', x: [1, 5, 5, 3], f: [1, 1, 3, 4], stride: 1, pad: 'valid' },
  { name: '2×2 s2 valid', x: [2, 8, 6, 3], f: [2, 2, 3, 4], stride: 2, pad: 'valid' },
  { name: '3×3 same s2 odd', x: [1, 9, 7, 2], f: [3, 3, 2, 3], stride: 2, pad: 'same' },
  { name: '5×5 same s1', x: [1, 7, 6, 2], f: [5, 5, 2, 2], stride: 1, pad: 'same' },
  // channel counts that take the Winograd paths: F(2×2) gradients (1e-6), F(4×4) forward (ddy)
  { name: '3×3 same s1 Winograd', x: [2, 11, 9, 8], f: [3, 3, 8, 12], stride: 1, pad: 'same', forwardTol: 4e-6 },
  { name: '3×3 valid s1 Winograd', x: [1, 10, 13, 12], f: [3, 3, 12, 8], stride: 1, pad: 'valid', forwardTol: 4e-6 },
];

const seeded = (shape: number[], seed: number) =>
  seededUniform(
    shape.reduce((p, q) => p * q, 1),
    seed,
  );

async function grads(backend: string, c: Case) {
  await selectBackend(backend);
  const x = tf.tensor4d(seeded(c.x, 1), c.x);
  const f = tf.tensor4d(seeded(c.f, 2), c.f);
  const y0 = tf.conv2d(x, f, c.stride, c.pad);
  const dy = tf.tensor(seeded(y0.shape, 3), y0.shape) as tf.Tensor4D;
  const g = tf.grads((...[a, b]: tf.Tensor[]) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), dy)),
  );
  const [dx, df] = g([x, f]);
  // conv2dTranspose = Conv2DBackpropInput in the forward pass (what the U-Net's up-sampling uses)
  const yt = tf.conv2dTranspose(dy, f, c.x, c.stride, c.pad);
  const gt = tf.grads((...[a, b]: tf.Tensor[]) =>
    tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.x, c.stride, c.pad), x)),
  );
  const [ddy, dft] = gt([dy, f]);
  const out = {
    dx: dx.dataSync().slice(),
    df: df.dataSync().slice(),
    yt: yt.dataSync().slice(),
    ddy: ddy.dataSync().slice(),
    dft: dft.dataSync().slice(),
  };
  tf.dispose([x, f, y0, dy, dx, df, yt, ddy, dft]);
  return out;
}

describe('wasm conv-gradient kernels', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  for (const c of CASES) {
    it(`match the cpu backend: ${c.name}`, async () => {
      const ref = await grads('cpu', c);
      const got = await grads('wasm', c);
      for (const k of Object.keys(ref) as (keyof typeof ref)[]) {
        expect(got[k].length, k).toBe(ref[k].length);
        expect(relErr(got[k], ref[k]), `${c.name} ${k}`).toBeLessThan(k === 'ddy' ? (c.forwardTol ?? 1e-6) : 1e-6);
      }
    });
  }

  it('leave no tensors or wasm buffers behind', async () => {
    await tf.setBackend('wasm');
    const c = CASES[0];
    const run = () =>
      tf.tidy(() => {
        const x = tf.ones(c.x) as tf.Tensor4D;
        const f = tf.ones(c.f) as tf.Tensor4D;
        const [dx, df] = tf.grads((...[a, b]: tf.Tensor[]) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([
          x,
          f,
        ]);
        const t = tf.conv2dTranspose(
          tf.ones([2, 4, 3, 5]) as tf.Tensor4D,
          tf.ones([2, 2, 3, 5]) as tf.Tensor4D,
          [2, 8, 6, 3],
          2,
          'valid',
        );
        return tf.add(tf.sum(dx), tf.add(tf.sum(df), tf.sum(t)));
      });
    run().dispose();
    const before = tf.memory();
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const ids = backend.numDataIds();
    run().dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(backend.numDataIds()).toBe(ids);
  });
});
