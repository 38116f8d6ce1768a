import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { selectBackend } from '../../src/backend';

function seq(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    new Float32Array(n).map((_, i) => Math.sin(i * 0.37 + seed)),
    shape,
  );
}

/** Runs f on cpu and on wasm; returns both results as plain arrays with shapes. */
async function both(f: () => tf.Tensor | tf.Tensor[]) {
  const out: { shape: number[]; data: number[] }[][] = [];
  for (const backend of ['cpu', 'wasm']) {
    await selectBackend(backend);
    const r = tf.tidy(f);
    const list = Array.isArray(r) ? r : [r];
    out.push(list.map((t) => ({ shape: t.shape, data: Array.from(t.dataSync()) })));
    tf.dispose(list);
  }
  return out;
}

async function sameOnBoth(f: () => tf.Tensor | tf.Tensor[]) {
  const [ref, got] = await both(f);
  expect(got.length).toBe(ref.length);
  got.forEach((g, i) => {
    expect(g.shape).toEqual(ref[i].shape);
    expect(g.data).toEqual(ref[i].data); // pure data movement (and ×1/4 for the pool): exact
  });
}

describe('wasm data-movement kernels (Concat / SplitV on the last axis, tiled AvgPoolGrad)', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('concat along the last axis (2 and 3 inputs, widths 1 to 5)', async () => {
    await sameOnBoth(() => tf.concat([seq([2, 3, 4, 5], 1), seq([2, 3, 4, 3], 2)], -1));
    await sameOnBoth(() => tf.concat([seq([3, 1], 1), seq([3, 4], 2), seq([3, 2], 3)], 1));
  });

  it('concat along another axis still works (the backend original)', async () => {
    await sameOnBoth(() => tf.concat([seq([2, 3, 4], 1), seq([2, 1, 4], 2)], 1));
  });

  it('split along the last axis (equal parts and explicit sizes with −1)', async () => {
    await sameOnBoth(() => tf.split(seq([2, 5, 3, 8], 4), 2, 3));
    await sameOnBoth(() => tf.split(seq([4, 9], 5), [2, -1, 3], -1));
    await sameOnBoth(() => tf.split(seq([4, 6, 2], 6), [4, 2], 1)); // not the last axis
  });

  it('the gradient of a channel concat (SplitV) equals the cpu backend', async () => {
    const a = seq([1, 4, 4, 3], 7);
    const b = seq([1, 4, 4, 2], 8);
    const w = seq([1, 4, 4, 5], 9);
    await sameOnBoth(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], 3), w)))([a, b]));
  });

  it('average-pool gradient for 2×2 stride 2 (even and odd sizes) and a fallback for overlapping windows', async () => {
    for (const shape of [
      [2, 8, 6, 3],
      [1, 7, 9, 4],
    ]) {
      const x = seq(shape, 3);
      await sameOnBoth(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(t as tf.Tensor4D, 2, 2, 'valid'), 1.5)))(x));
    }
    const x = seq([1, 6, 6, 2], 4);
    await sameOnBoth(() => tf.grad((t: tf.Tensor) => tf.sum(tf.avgPool(t as tf.Tensor4D, 3, 1, 'valid')))(x));
  });
});
