/**
 * fastMRI's U-Net (fastmri/models/unet.py) as a tfjs-layers functional model, NHWC, any H × W.
 *
 *   down:  ConvBlock(in → chans), then ConvBlock(ch → 2ch) × (pools − 1); each followed by 2×2 average pool
 *   mid:   ConvBlock(ch → 2ch)
 *   up:    per level: TransposeConvBlock(2ch → ch) (convT 2×2 stride 2, no bias → norm → LeakyReLU 0.2),
 *          reflect-pad by one row / column where the skip tensor is larger (odd sizes), concat [up, skip],
 *          ConvBlock(2ch → ch); the last level ends with a 1×1 conv (with bias) to out_chans.
 *   ConvBlock = 2 × (conv 3×3 'same', no bias → norm → LeakyReLU 0.2 → channel dropout)
 *
 * Norms: 'instance' (fastMRI: no affine), 'group' (default; groups = groupsFor(channels): the largest
 * divisor of the channel count that is ≤ 32, so 32 groups for chans ≥ 32 powers of two, one channel per
 * group below), 'batch', 'layer' (GroupNorm with one group), 'none'.
 *
 * Layer names are fixed (down0_conv1, …) so weights map one-to-one onto fastMRI's state_dict names
 * (see fastmriWeightName) and onto our own checkpoints, independent of tfjs' global name counters.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BatchNorm, GroupNorm, InstanceNorm, ReflectPadToMatch, SpatialDropout2D } from './layers';
import { fusedNormActAvailable, normActInfer, normActTrain } from './norm-act';

export const NORM_TYPES = ['instance', 'group', 'batch', 'layer', 'none'] as const;
export type NormType = (typeof NORM_TYPES)[number];

export interface UnetConfig {
  inChans: number;
  outChans: number;
  chans: number;
  numPoolLayers: number;
  dropProb: number;
  norm: NormType;
  /**
   * Not in fastMRI: add the input to the output (the network learns the correction to the zero-filled
   * image; needs inChans = outChans). Trains far faster from scratch; absent / false = fastMRI's U-Net.
   */
  residual?: boolean;
}

export const DEFAULT_UNET: UnetConfig = { inChans: 1, outChans: 1, chans: 32, numPoolLayers: 4, dropProb: 0, norm: 'group' };

/** GroupNorm's group count for `channels`: the largest divisor of channels that is ≤ 32. */
export function groupsFor(channels: number): number {
  for (let g = Math.min(32, channels); g > 1; g--) if (channels % g === 0) return g;
  return 1;
}

export function checkUnetConfig(c: UnetConfig): UnetConfig {
  const int = (v: number, name: string, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max)
      throw new RangeError(`unet: ${name} must be an integer in [${min}, ${max}], got ${v}`);
  };
  int(c.inChans, 'inChans', 1, 64);
  int(c.outChans, 'outChans', 1, 64);
  int(c.chans, 'chans', 1, 1024);
  int(c.numPoolLayers, 'numPoolLayers', 1, 8);
  if (!(c.dropProb >= 0 && c.dropProb < 1)) throw new RangeError(`unet: dropProb must be in [0, 1), got ${c.dropProb}`);
  if (c.residual && c.inChans !== c.outChans) throw new RangeError('unet: residual needs inChans = outChans');
  if (!(NORM_TYPES as readonly string[]).includes(c.norm))
    throw new RangeError(`unet: norm must be one of ${NORM_TYPES.join(', ')}, got ${c.norm}`);
  return c;
}

function norm(kind: NormType, name: string, channels: number): tfl.layers.Layer | null {
  switch (kind) {
    case 'instance':
      return new InstanceNorm({ name });
    case 'group':
      return new GroupNorm({ name, groups: groupsFor(channels) });
    case 'layer':
      return new GroupNorm({ name, groups: 1 });
    case 'batch':
      return new BatchNorm({ name });
    case 'none':
      return null;
  }
}

type Sym = tfl.SymbolicTensor;

function apply(layer: tfl.layers.Layer, x: Sym | Sym[]): Sym {
  return layer.apply(x) as Sym;
}

function convBlock(x: Sym, out: number, prefix: string, c: UnetConfig): Sym {
  for (const i of [1, 2]) {
    x = apply(
      tfl.layers.conv2d({
        name: `${prefix}_conv${i}`,
        filters: out,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: 'heNormal',
      }),
      x,
    );
    const n = norm(c.norm, `${prefix}_norm${i}`, out);
    if (n) x = apply(n, x);
    x = apply(tfl.layers.leakyReLU({ name: `${prefix}_act${i}`, alpha: 0.2 }), x);
    if (c.dropProb > 0) x = apply(new SpatialDropout2D({ name: `${prefix}_drop${i}`, rate: c.dropProb }), x);
  }
  return x;
}

function transposeBlock(x: Sym, out: number, prefix: string, c: UnetConfig): Sym {
  x = apply(
    tfl.layers.conv2dTranspose({
      name: `${prefix}_tconv`,
      filters: out,
      kernelSize: 2,
      strides: 2,
      padding: 'valid',
      useBias: false,
      kernelInitializer: 'heNormal',
    }),
    x,
  );
  const n = norm(c.norm, `${prefix}_tnorm`, out);
  if (n) x = apply(n, x);
  return apply(tfl.layers.leakyReLU({ name: `${prefix}_tact`, alpha: 0.2 }), x);
}

/** Builds the U-Net; input [N, H, W, inChans] of any H, W ≥ 2^pools; output [N, H, W, outChans]. */
export function buildUnet(config: UnetConfig, name = 'unet'): tfl.LayersModel {
  const c = checkUnetConfig({ ...config });
  const input = tfl.input({ shape: [null, null, c.inChans], name: 'image' });
  const stack: Sym[] = [];
  let x: Sym = input;
  const L = c.numPoolLayers;
  for (let i = 0; i < L; i++) {
    x = convBlock(x, c.chans * 2 ** i, `down${i}`, c);
    stack.push(x);
    x = apply(tfl.layers.averagePooling2d({ name: `down${i}_pool`, poolSize: 2, strides: 2, padding: 'valid' }), x);
  }
  x = convBlock(x, c.chans * 2 ** L, 'mid', c);
  for (let i = 0; i < L; i++) {
    const ch = c.chans * 2 ** (L - 1 - i);
    const skip = stack.pop()!;
    x = transposeBlock(x, ch, `up${i}`, c);
    x = apply(new ReflectPadToMatch({ name: `up${i}_pad` }), [x, skip]);
    x = apply(tfl.layers.concatenate({ name: `up${i}_cat`, axis: -1 }), [x, skip]);
    x = convBlock(x, ch, `up${i}`, c);
  }
  let out = apply(tfl.layers.conv2d({ name: 'out_conv', filters: c.outChans, kernelSize: 1, useBias: true }), x);
  if (c.residual) out = apply(tfl.layers.add({ name: 'residual' }), [out, input]);
  return tfl.model({ inputs: input, outputs: out, name });
}

export function parameterCount(model: tfl.LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

const LEAKY_ALPHA = 0.2;

function layerOrNull(model: tfl.LayersModel, name: string): tfl.layers.Layer | null {
  try {
    return model.getLayer(name);
  } catch {
    return null;
  }
}

/**
 * Execution of a buildUnet model on the wasm backend with each norm → LeakyReLU pair as one fused
 * operation (src/models/norm-act.ts) instead of ~10 tfjs ops and their intermediate tensors: the same
 * layers in the same order, dropout applied in training and skipped at inference. Null where the model
 * is not a buildUnet U-Net with group / instance / no norm (batch norm and unknown layouts take
 * model.apply) or the fused kernels are unavailable (MRI_RECON_FAST_NORM=0 disables them).
 */
function fusedUnet(model: tfl.LayersModel, x: tf.Tensor4D, training: boolean): tf.Tensor4D | null {
  if (!fusedNormActAvailable()) return null;
  const get = (name: string) => layerOrNull(model, name);
  let pools = 0;
  while (get(`down${pools}_pool`)) pools++;
  if (pools === 0 || !get('mid_conv1') || !get('out_conv')) return null;
  // every norm must be one we fuse (or absent); check before running anything
  for (const l of model.layers)
    if (/_t?norm\d?$/.test(l.name) && !(l instanceof GroupNorm || l instanceof InstanceNorm)) return null;
  const call = (name: string, input: tf.Tensor | tf.Tensor[]): tf.Tensor4D => {
    const layer = get(name);
    if (!layer) throw new Error(`fusedUnet: no layer ${name}`);
    return layer.apply(input, { training }) as tf.Tensor4D;
  };
  const normAct = (normName: string, t: tf.Tensor4D): tf.Tensor4D => {
    const layer = get(normName);
    if (layer === null) return tf.leakyRelu(t, LEAKY_ALPHA);
    const p = (layer as GroupNorm | InstanceNorm).normParams(t.shape[3]);
    return training ? normActTrain(t, p, LEAKY_ALPHA) : normActInfer(t, p, LEAKY_ALPHA);
  };
  const block = (t: tf.Tensor4D, prefix: string): tf.Tensor4D => {
    for (const i of [1, 2]) {
      t = normAct(`${prefix}_norm${i}`, call(`${prefix}_conv${i}`, t));
      if (training && get(`${prefix}_drop${i}`)) t = call(`${prefix}_drop${i}`, t);
    }
    return t;
  };
  const stack: tf.Tensor4D[] = [];
  let t = x;
  for (let i = 0; i < pools; i++) {
    t = block(t, `down${i}`);
    stack.push(t);
    t = call(`down${i}_pool`, t);
  }
  t = block(t, 'mid');
  for (let i = 0; i < pools; i++) {
    const skip = stack.pop()!;
    t = normAct(`up${i}_tnorm`, call(`up${i}_tconv`, t));
    t = call(`up${i}_pad`, [t, skip]);
    t = call(`up${i}_cat`, [t, skip]);
    t = block(t, `up${i}`);
  }
  let out = call('out_conv', t);
  if (get('residual')) out = call('residual', [out, x]);
  return out;
}

/**
 * Runs the model on an NHWC tensor (inference mode); the caller owns the result. On the wasm backend a
 * buildUnet model runs through fusedUnet; elsewhere model.apply.
 */
export function predict(model: tfl.LayersModel, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => fusedUnet(model, x, false) ?? (model.apply(x, { training: false }) as tf.Tensor4D));
}

/**
 * The training-mode forward pass (dropout on, batch norm on batch statistics), differentiable; fused
 * norm + activation on the wasm backend as predict. Call inside the gradient function.
 */
export function applyTraining(model: tfl.LayersModel, x: tf.Tensor4D): tf.Tensor4D {
  return fusedUnet(model, x, true) ?? (model.apply(x, { training: true }) as tf.Tensor4D);
}

/** The plain tfjs-layers path (reference for the fused inference path). */
export function predictPlain(model: tfl.LayersModel, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor4D);
}
