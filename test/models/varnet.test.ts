import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../src/backend';
import { serializeSafetensors } from '../../src/models/safetensors';
import { VarNet, centerBand, complexMul, fft2c, ifft2c, type VarnetConfig } from '../../src/models/varnet';
import { decodeWeights, encodeCheckpoint, loadVarnet, setVarnetWeights, varnetToFastmri } from '../../src/models/weights';
import { varnetMethod, NO_VARNET_MESSAGE } from '../../src/recon/varnet';
import { makeOptimizer } from '../../src/train/optim';
import { Rng } from '../../src/train/rng';
import { trainRun, type TrainConfig } from '../../src/train/trainer';
import { makeVarnetSample, varnetInput, varnetTrainStep } from '../../src/train/varnet';
import { syntheticSource } from '../train/synthetic';

const TINY: VarnetConfig = { numCascades: 2, chans: 4, pools: 1, sensChans: 2, sensPools: 1, maskCenter: true };
const MASK = { type: 'random' as const, accelerations: [4], centerFractions: [0.25] };
const RUN: TrainConfig = {
  version: 1,
  model: { arch: 'varnet', config: TINY },
  data: { train: [], val: null, valFraction: 0.5 },
  mask: MASK,
  optimizer: { name: 'adam', lr: 1e-3 },
  schedule: { name: 'constant' },
  loss: { type: 'l1' },
  epochs: 1,
  batch: 1,
  clipNorm: 1,
  checkpointEvery: 100,
  keepCheckpoints: 3,
  seed: 1,
  init: null,
};
const tmp = mkdtempSync(join(tmpdir(), 'mri-varnet-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function randomInit(net: VarNet, seed: number): void {
  const rng = new Rng(seed);
  for (const v of net.trainableVariables()) {
    const t = tf.tensor(
      new Float32Array(v.size).map(() => (rng.next() - 0.5) * 0.4),
      v.shape,
    );
    v.assign(t);
    t.dispose();
  }
}

describe('VarNet', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('fft2c is orthonormal and its gradient is the adjoint (ifft2c)', () => {
    const x = tf.randomNormal([2, 8, 6, 2], 0, 1, 'float32', 1);
    const w = tf.randomNormal([2, 8, 6, 2], 0, 1, 'float32', 2);
    const back = ifft2c(fft2c(x));
    expect(tf.max(tf.abs(tf.sub(back, x))).dataSync()[0]).toBeLessThan(1e-5);
    // <F x, w> = <x, F^H w>  ⇒  d<F x, w>/dx = F^H w
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(fft2c(a), w)))(x);
    expect(tf.max(tf.abs(tf.sub(g, ifft2c(w)))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([x, w, back, g]);
  });

  it('has the right shapes, multi-coil and single-coil, and leaves no tensors behind', () => {
    const net = new VarNet(TINY);
    for (const coils of [3, 1]) {
      const src = syntheticSource(`s${coils}`, 1, 20, 18, coils);
      const s = makeVarnetSample(src, 0, MASK, 1);
      const input = varnetInput(s);
      const before = tf.memory().numTensors;
      const sens = net.sensitivityMaps(input, false);
      expect(sens.shape).toEqual([coils, 20, 18, 2]);
      const out = net.forward(input);
      expect(out.shape).toEqual([1, 20, 18, 1]);
      expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([sens, out]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([input.kspace, input.mask]);
    }
    expect(centerBand(18, 4)).toEqual([7, 11]);
    net.dispose();
  });

  it('soft data consistency equals its closed form (λ = 1: sampled entries replaced by the measured ones)', () => {
    const net = new VarNet({ ...TINY, numCascades: 1 });
    const k = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 3);
    const k0 = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 4);
    const m = new Float32Array(16).map((_, i) => (i % 3 === 0 ? 1 : 0));
    const mask = tf.tensor4d(m, [1, 4, 4, 1]);
    for (const lambda of [1, 0.3]) {
      net.dcWeights[0].assign(tf.tensor([lambda]));
      const got = tf.sub(k, net.softDc(0, k, k0, mask)).dataSync();
      const a = k.dataSync();
      const b = k0.dataSync();
      for (let i = 0; i < a.length; i++) {
        const sampled = m[Math.floor(i / 2) % 16] === 1;
        const want = sampled ? (1 - lambda) * a[i] + lambda * b[i] : a[i];
        expect(Math.abs(got[i] - want)).toBeLessThan(1e-6);
      }
    }
    // the full cascade is that minus F(S·NormUnet(Σ conj(S)·F⁻¹k))
    const sens = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 5);
    const full = net.cascade(0, k, k0, mask, sens, false);
    const reduced = tf.sum(complexMul(ifft2c(k), sens, true), 0, true);
    expect(reduced.shape).toEqual([1, 4, 4, 2]);
    expect(full.shape).toEqual([2, 4, 4, 2]);
    tf.dispose([k, k0, mask, sens, full, reduced]);
    net.dispose();
  });

  it('a few training steps on tiny data reduce the loss without NaN', () => {
    const net = new VarNet(TINY);
    randomInit(net, 7);
    const vars = net.trainableVariables();
    const opt = makeOptimizer({ name: 'adam', lr: 3e-3 });
    const s = makeVarnetSample(syntheticSource('t', 1, 16, 16, 2), 0, MASK, 3);
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) losses.push(varnetTrainStep(net, vars, opt, [s], { type: 'l1' }, null).loss);
    expect(losses.every(Number.isFinite), String(losses)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    opt.dispose();
    net.dispose();
  });

  it('saves and reloads exactly (our checkpoint and fastMRI state_dict names)', () => {
    const net = new VarNet(TINY);
    randomInit(net, 11);
    const s = makeVarnetSample(syntheticSource('r', 1, 16, 16, 2), 0, MASK, 5);
    const input = varnetInput(s);
    const ref = net.forward(input).dataSync().slice();
    const ours = decodeWeights(encodeCheckpoint({ arch: 'varnet', config: TINY }, net.weights()));
    expect(ours.spec).toEqual({ arch: 'varnet', config: TINY });
    const fm = varnetToFastmri(net);
    expect(fm.map((t) => t.name)).toContain('cascades.1.dc_weight');
    expect(fm.map((t) => t.name)).toContain('sens_net.norm_unet.unet.down_sample_layers.0.layers.0.weight');
    const theirs = decodeWeights(serializeSafetensors(fm));
    expect(theirs.spec).toEqual({ arch: 'varnet', config: TINY });
    for (const contents of [ours, theirs]) {
      const again = new VarNet(TINY);
      setVarnetWeights(again, contents.weights);
      expect(Array.from(again.forward(input).dataSync())).toEqual(Array.from(ref));
      again.dispose();
    }
    tf.dispose([input.kspace, input.mask]);
    net.dispose();
  });

  it('trains through trainRun and reconstructs through the varnet method', async () => {
    const out = join(tmp, 'run');
    const res = await trainRun({
      out,
      config: RUN,
      sources: { train: [syntheticSource('a', 2, 16, 16, 2)], val: [syntheticSource('v', 1, 16, 16, 2, 9)] },
    });
    expect(res.step).toBe(2);
    expect(Number.isFinite(res.lastVal!.psnr)).toBe(true);
    expect(loadVarnet(out).spec.arch).toBe('varnet');
    const src = syntheticSource('q', 1, 16, 16, 2);
    const s = makeVarnetSample(src, 0, MASK, 2);
    const ctx = { isCancelled: () => false, progress: () => undefined, log: () => undefined };
    const { makeMask, applyMaskBatch } = await import('../../src/kspace/masks');
    const mask = makeMask({ type: 'random', acceleration: 4, centerFraction: 0.25, seed: 2 }, { height: 16, width: 16 });
    const kspace = applyMaskBatch(src.readKspace(0), 2, 16, 16, mask);
    const r = await varnetMethod.reconstructSlice({ kspace, coils: 2, height: 16, width: 16, mask }, { model: out }, ctx);
    expect(r.magnitude.length).toBe(256);
    expect(Array.from(r.magnitude).every(Number.isFinite)).toBe(true);
    expect(s.crop).toEqual([16, 16]);
    await expect(
      Promise.resolve().then(() => varnetMethod.reconstructSlice({ kspace, coils: 2, height: 16, width: 16, mask }, {}, ctx)),
    ).rejects.toThrow(NO_VARNET_MESSAGE);
    expect(NO_VARNET_MESSAGE).not.toContain('\n');
  });
});
