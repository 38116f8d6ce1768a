/**
 * An end-to-end variational network (E2E-VarNet, Sriram et al. 2020; fastMRI's models/varnet.py) in
 * tfjs: sensitivity maps estimated from the centre band of k-space, then `numCascades` unrolled steps
 *
 *   k ← k − λ·M⊙(k − k₀) − F(S·NormUnet(Σ_c conj(S_c)·F⁻¹(k_c)))        (λ learned per cascade)
 *
 * and the output is the RSS of |F⁻¹(k)| over coils. Complex data are two channels [re, im] (the last
 * axis of [coils, H, W, 2], fastMRI's layout). F = orthonormal centred 2-D FFT (fft2c), computed by the
 * project's FFT (src/kspace/fft2c: wasm SIMD) inside a tf.customGrad whose gradient is the adjoint,
 * ifft2c (F is unitary). Single-coil data are the one-coil case (S = phase of the estimate).
 *
 * NormUnet (fastMRI): per-sample mean / unbiased std of the real and imaginary channels, zero-pad to a
 * multiple of 16, U-Net (2 → 2 channels, instance norm), unpad, de-normalise.
 * SensitivityModel: keep the centre band (numLowFrequencies columns, fastMRI's mask_center) → ifft2c
 * → each coil through a NormUnet as a batch → divide by the RSS over coils (+ a 1e-12 floor under the
 * square root, which fastMRI lacks, so an all-zero pixel cannot produce NaN).
 *
 * Weights: our names `sens/<unet layer>/<weight>`, `cascade<i>/<unet layer>/<weight>`, `cascade<i>/dc_weight`;
 * fastMRI's state_dict names map one-to-one (`sens_net.norm_unet.unet.…`, `cascades.<i>.model.unet.…`,
 * `cascades.<i>.dc_weight`), see src/models/weights.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { fft2cBatch, ifft2cBatch } from '../kspace/fft2c';
import type { NamedArray } from './safetensors';
import { buildUnet, type UnetConfig, applyTraining, predict } from './unet';

export interface VarnetConfig {
  numCascades: number;
  /** U-Net channels / pools of each cascade's refinement network */
  chans: number;
  pools: number;
  /** the sensitivity network's U-Net */
  sensChans: number;
  sensPools: number;
  /** keep only the centre band of k-space for the sensitivity estimate (fastMRI's mask_center) */
  maskCenter: boolean;
}

/** fastMRI's E2E-VarNet defaults (12 cascades, U-Nets of 18 channels / 4 pools, sensitivity net 8 / 4). */
export const DEFAULT_VARNET: VarnetConfig = {
  numCascades: 12,
  chans: 18,
  pools: 4,
  sensChans: 8,
  sensPools: 4,
  maskCenter: true,
};

export function checkVarnetConfig(c: VarnetConfig): VarnetConfig {
  const int = (v: number, name: string, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max)
      throw new RangeError(`varnet: ${name} must be an integer in [${min}, ${max}], got ${v}`);
  };
  int(c.numCascades, 'numCascades', 1, 64);
  int(c.chans, 'chans', 1, 512);
  int(c.pools, 'pools', 1, 6);
  int(c.sensChans, 'sensChans', 1, 512);
  int(c.sensPools, 'sensPools', 1, 6);
  if (typeof c.maskCenter !== 'boolean') throw new RangeError('varnet: maskCenter must be a boolean');
  return c;
}

function unetConfig(chans: number, pools: number): UnetConfig {
  return { inChans: 2, outChans: 2, chans, numPoolLayers: pools, dropProb: 0, norm: 'instance' };
}

// ---- complex helpers on [B, H, W, 2] ------------------------------------------------------------

function fftOp(inverse: boolean): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad(((x: tf.Tensor) => {
    const [b, h, w] = x.shape as [number, number, number, number];
    const data = x.dataSync() as Float32Array;
    const out = (inverse ? ifft2cBatch : fft2cBatch)(data, b, h, w);
    // F is unitary: the gradient of F is F⁻¹ applied to dy (and vice versa)
    return { value: tf.tensor(out, x.shape, 'float32'), gradFunc: (dy: tf.Tensor) => (inverse ? fft2c : ifft2c)(dy) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;
}
const fftForward = fftOp(false);
const fftInverse = fftOp(true);

/** Orthonormal centred 2-D FFT of complex [B, H, W, 2], differentiable. */
export function fft2c(x: tf.Tensor): tf.Tensor {
  return fftForward(x);
}

/** Orthonormal centred inverse 2-D FFT of complex [B, H, W, 2], differentiable. */
export function ifft2c(x: tf.Tensor): tf.Tensor {
  return fftInverse(x);
}

function re(x: tf.Tensor): tf.Tensor {
  return tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1]);
}
function im(x: tf.Tensor): tf.Tensor {
  return tf.slice(x, [0, 0, 0, 1], [-1, -1, -1, 1]);
}

/** a·b (or a·conj(b)) for complex [·, H, W, 2] tensors (broadcasting over the batch). */
export function complexMul(a: tf.Tensor, b: tf.Tensor, conjB = false): tf.Tensor {
  const [ar, ai, br, bi] = [re(a), im(a), re(b), im(b)];
  if (conjB) return tf.concat([tf.add(tf.mul(ar, br), tf.mul(ai, bi)), tf.sub(tf.mul(ai, br), tf.mul(ar, bi))], 3);
  return tf.concat([tf.sub(tf.mul(ar, br), tf.mul(ai, bi)), tf.add(tf.mul(ar, bi), tf.mul(ai, br))], 3);
}

/** √(Σ_coils |x|²) of complex [C, H, W, 2] → [1, H, W, 1]. */
export function rssComplex(x: tf.Tensor, floor = 0): tf.Tensor {
  const s = tf.sum(tf.sum(tf.square(x), 3, true), 0, true);
  return tf.sqrt(floor > 0 ? tf.add(s, floor) : s);
}

// ---- the network --------------------------------------------------------------------------------

/** fastMRI's NormUnet around one of our U-Nets (2 → 2 channels). */
export function normUnet(unet: tfl.LayersModel, x: tf.Tensor, training: boolean): tf.Tensor {
  const [b, h, w] = x.shape as [number, number, number, number];
  const n = h * w;
  const { mean, variance } = tf.moments(x, [1, 2], true);
  const std = tf.sqrt(tf.mul(variance, n / Math.max(1, n - 1)));
  let y = tf.div(tf.sub(x, mean), std);
  const hm = ((h - 1) | 15) + 1;
  const wm = ((w - 1) | 15) + 1;
  const top = Math.floor((hm - h) / 2);
  const left = Math.floor((wm - w) / 2);
  if (hm !== h || wm !== w)
    y = tf.pad(y, [
      [0, 0],
      [top, hm - h - top],
      [left, wm - w - left],
      [0, 0],
    ]);
  y = training ? applyTraining(unet, y as tf.Tensor4D) : predict(unet, y as tf.Tensor4D);
  if (hm !== h || wm !== w) y = tf.slice(y, [0, top, left, 0], [b, h, w, 2]);
  return tf.add(tf.mul(y, std), mean);
}

/** The column band fastMRI's mask_center keeps: [pad, pad + numLow) with pad = ⌊(W − numLow + 1) / 2⌋. */
export function centerBand(width: number, numLowFrequencies: number): [number, number] {
  const low = Math.max(1, Math.min(width, Math.round(numLowFrequencies)));
  const pad = Math.floor((width - low + 1) / 2);
  return [pad, pad + low];
}

/** Inputs of one slice: masked k-space [C, H, W, 2], the sampling mask [1, H, W, 1] (0 / 1), the centre band width. */
export interface VarnetInput {
  kspace: tf.Tensor4D;
  mask: tf.Tensor4D;
  numLowFrequencies: number;
}

export class VarNet {
  readonly config: VarnetConfig;
  readonly sens: tfl.LayersModel;
  readonly cascades: tfl.LayersModel[];
  readonly dcWeights: tf.Variable[];

  constructor(config: VarnetConfig) {
    this.config = checkVarnetConfig({ ...config });
    this.sens = buildUnet(unetConfig(config.sensChans, config.sensPools), 'varnet_sens');
    this.cascades = [];
    this.dcWeights = [];
    for (let i = 0; i < config.numCascades; i++) {
      this.cascades.push(buildUnet(unetConfig(config.chans, config.pools), `varnet_cascade${i}`));
      this.dcWeights.push(tf.variable(tf.ones([1]), true, `varnet_dc_weight_${i}_${uid()}`));
    }
  }

  /** Every trainable variable, in a fixed order (sensitivity U-Net, then per cascade U-Net + λ). */
  trainableVariables(): tf.Variable[] {
    const vars = this.sens.trainableWeights.map((w) => w.read() as tf.Variable);
    this.cascades.forEach((c, i) => {
      vars.push(...c.trainableWeights.map((w) => w.read() as tf.Variable));
      vars.push(this.dcWeights[i]);
    });
    return vars;
  }

  /** Sensitivity maps [C, H, W, 2] (normalised to unit RSS). */
  sensitivityMaps(input: VarnetInput, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      let k: tf.Tensor = input.kspace;
      if (this.config.maskCenter) {
        const w = input.kspace.shape[2];
        const [lo, hi] = centerBand(w, input.numLowFrequencies);
        const band = new Float32Array(w).map((_, x) => (x >= lo && x < hi ? 1 : 0));
        k = tf.mul(k, tf.tensor4d(band, [1, 1, w, 1]));
      }
      const maps = normUnet(this.sens, ifft2c(k), training);
      return tf.div(maps, rssComplex(maps, 1e-12));
    });
  }

  /** The soft data-consistency term of cascade i: λᵢ·M⊙(k − k₀). */
  softDc(i: number, current: tf.Tensor, ref: tf.Tensor, mask: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.mul(tf.sub(current, ref), mask), this.dcWeights[i]));
  }

  /** One cascade: soft data consistency plus the U-Net refinement in the coil-combined image domain. */
  cascade(i: number, current: tf.Tensor, ref: tf.Tensor, mask: tf.Tensor, sens: tf.Tensor, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      const softDc = this.softDc(i, current, ref, mask);
      const reduced = tf.sum(complexMul(ifft2c(current), sens, true), 0, true);
      const refined = normUnet(this.cascades[i], reduced, training);
      const modelTerm = fft2c(complexMul(refined, sens));
      return tf.sub(tf.sub(current, softDc), modelTerm);
    });
  }

  /** The final k-space estimate [C, H, W, 2]. */
  kspace(input: VarnetInput, training = false): tf.Tensor {
    return tf.tidy(() => {
      const sens = this.sensitivityMaps(input, training);
      let k: tf.Tensor = input.kspace;
      for (let i = 0; i < this.cascades.length; i++) k = this.cascade(i, k, input.kspace, input.mask, sens, training);
      return k;
    });
  }

  /** The reconstruction: RSS over coils of |ifft2c(k)|, [1, H, W, 1]. */
  forward(input: VarnetInput, training = false): tf.Tensor4D {
    return tf.tidy(() => rssComplex(ifft2c(this.kspace(input, training))) as tf.Tensor4D);
  }

  /** Weights by our names (see the module comment). */
  weights(): NamedArray[] {
    const out: NamedArray[] = [];
    const add = (prefix: string, m: tfl.LayersModel) => {
      for (const w of m.weights)
        out.push({ name: `${prefix}/${w.originalName}`, shape: w.shape as number[], data: w.read().dataSync() as Float32Array });
    };
    add('sens', this.sens);
    this.cascades.forEach((c, i) => {
      add(`cascade${i}`, c);
      out.push({ name: `cascade${i}/dc_weight`, shape: [1], data: this.dcWeights[i].dataSync() as Float32Array });
    });
    return out;
  }

  /** The layer-model a prefixed name belongs to (null for dc weights). */
  modelFor(prefix: string): tfl.LayersModel | null {
    if (prefix === 'sens') return this.sens;
    const m = /^cascade(\d+)$/.exec(prefix);
    return m ? (this.cascades[Number(m[1])] ?? null) : null;
  }

  dispose(): void {
    this.sens.dispose();
    for (const c of this.cascades) c.dispose();
    for (const v of this.dcWeights) v.dispose();
  }
}

let counter = 0;
function uid(): number {
  return counter++;
}
