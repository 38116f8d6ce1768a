/**
 * Custom tfjs layers for the U-Net family, NHWC. Each follows tfjs-layers' built-in pattern: typed
 * args, `static className`, weights created in build(), call() inside tidy, a full getConfig(), and
 * serialization.registerClass (so models round-trip through tf.io handlers).
 *
 *   GroupNorm            per-sample statistics over (H, W, channels of a group); per-channel affine.
 *                        groups = 1 is "layer norm" for conv nets (PyTorch GroupNorm(1, C)).
 *   InstanceNorm         per-sample, per-channel statistics over (H, W); affine off by default
 *                        (fastMRI's nn.InstanceNorm2d: affine=False, no running stats).
 *   BatchNorm            PyTorch semantics: batch statistics in training (biased variance to
 *                        normalise, unbiased into the running variance, momentum 0.1), running
 *                        statistics at inference.
 *   SpatialDropout2D     fastMRI's nn.Dropout2d: drops whole channels, training only.
 *   ReflectPadToMatch    fastMRI's odd-size fix: pads x by one reflected row / column at the bottom /
 *                        right where it is smaller than the skip tensor (built from slice + concat
 *                        so that gradients are exact).
 * All variances are biased (divide by the count) and eps = 1e-5, as in PyTorch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type Kwargs = Record<string, unknown>;
type Shape = (number | null)[];
type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor4D {
  return (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
}

function lastDim(inputShape: Shape | Shape[], layer: string): number {
  const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  const c = s[s.length - 1];
  if (s.length !== 4 || c == null) throw new Error(`${layer}: expects NHWC input with a known channel count, got [${s}]`);
  return c;
}

/**
 * (x − mean) / sqrt(var + eps) with statistics over H, W and the channels of each of `groups` groups.
 * One fused gradient (tf.customGrad) instead of autodiff through mean / sub / square / rsqrt: with
 * x̂ the output and r = 1 / sqrt(var + eps), dx = r · (dy − mean(dy) − x̂ · mean(dy · x̂)), the means
 * over the same axes — 5 full-size passes instead of ~15 (the norms were a third of a training step).
 */
export function groupNormalize(x: tf.Tensor4D, groups: number, epsilon: number): tf.Tensor {
  const [n, h, w, c] = x.shape;
  const perChannel = groups === c;
  const shape = perChannel ? x.shape : [n, h, w, groups, c / groups];
  // statistics as means over H, W (contiguous middle axes: one streaming pass on the wasm backend),
  // then, for groups, over the channels of each group (a small innermost reduction)
  const stat = (t: tf.Tensor) => (perChannel ? tf.mean(t, [1, 2], true) : tf.mean(tf.mean(t, [1, 2], true), 4, true));
  const f = tf.customGrad(((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    const g = perChannel ? xi : tf.reshape(xi, shape);
    const centred = tf.sub(g, stat(g));
    const r = tf.rsqrt(tf.add(stat(tf.square(centred)), epsilon));
    const y = tf.mul(centred, r);
    save([y, r]);
    return {
      value: perChannel ? y : tf.reshape(y, [n, h, w, c]),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [yh, rs] = saved;
        const d = perChannel ? (dy as tf.Tensor) : tf.reshape(dy as tf.Tensor, shape);
        const dx = tf.mul(tf.sub(tf.sub(d, stat(d)), tf.mul(yh, stat(tf.mul(d, yh)))), rs);
        return perChannel ? dx : tf.reshape(dx, [n, h, w, c]);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x);
}

/** A group / instance norm's inference parameters: y = (x − mean) / sqrt(var + eps) · gamma + beta. */
export interface NormParams {
  groups: number;
  epsilon: number;
  gamma: tf.Tensor | null;
  beta: tf.Tensor | null;
}

// ---- GroupNorm ----------------------------------------------------------------------------------

export interface GroupNormArgs extends LayerArgs {
  groups: number;
  epsilon?: number;
  /** learn a per-channel offset (beta) */
  center?: boolean;
  /** learn a per-channel scale (gamma) */
  scale?: boolean;
}

export class GroupNorm extends tfl.layers.Layer {
  static className = 'MriGroupNorm';
  readonly groups: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;

  constructor(args: GroupNormArgs) {
    super(args);
    if (!Number.isInteger(args.groups) || args.groups < 1)
      throw new RangeError(`GroupNorm: groups must be a positive integer, got ${args.groups}`);
    this.groups = args.groups;
    this.epsilon = args.epsilon ?? 1e-5;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = lastDim(inputShape, 'GroupNorm');
    if (c % this.groups !== 0) throw new RangeError(`GroupNorm: ${c} channels do not split into ${this.groups} groups`);
    if (this.scale) this.gamma = this.addWeight('gamma', [c], 'float32', tfl.initializers.ones());
    if (this.center) this.beta = this.addWeight('beta', [c], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  /** What an inference-only fused kernel needs (src/models/unet.ts predict). */
  normParams(channels: number): NormParams {
    void channels;
    return { groups: this.groups, epsilon: this.epsilon, gamma: this.gamma?.read() ?? null, beta: this.beta?.read() ?? null };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      let y = groupNormalize(single(inputs), this.groups, this.epsilon);
      if (this.gamma) y = tf.mul(y, this.gamma.read());
      if (this.beta) y = tf.add(y, this.beta.read());
      return y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): serialization.ConfigDict {
    return { groups: this.groups, epsilon: this.epsilon, center: this.center, scale: this.scale, ...super.getConfig() };
  }
}

// ---- InstanceNorm ------------------------------------------------------------------------------

export interface InstanceNormArgs extends LayerArgs {
  epsilon?: number;
  /** learn a per-channel scale and offset (PyTorch affine=True); fastMRI uses false */
  affine?: boolean;
}

export class InstanceNorm extends tfl.layers.Layer {
  static className = 'MriInstanceNorm';
  readonly epsilon: number;
  readonly affine: boolean;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;

  constructor(args: InstanceNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
    this.affine = args.affine ?? false;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = lastDim(inputShape, 'InstanceNorm');
    if (this.affine) {
      this.gamma = this.addWeight('gamma', [c], 'float32', tfl.initializers.ones());
      this.beta = this.addWeight('beta', [c], 'float32', tfl.initializers.zeros());
    }
    this.built = true;
  }

  /** What an inference-only fused kernel needs (src/models/unet.ts predict). */
  normParams(channels: number): NormParams {
    const affine = this.gamma !== null && this.beta !== null;
    return {
      groups: channels,
      epsilon: this.epsilon,
      gamma: affine ? this.gamma!.read() : null,
      beta: affine ? this.beta!.read() : null,
    };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      let y = groupNormalize(x, x.shape[3], this.epsilon);
      if (this.gamma && this.beta) y = tf.add(tf.mul(y, this.gamma.read()), this.beta.read());
      return y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): serialization.ConfigDict {
    return { epsilon: this.epsilon, affine: this.affine, ...super.getConfig() };
  }
}

// ---- BatchNorm ---------------------------------------------------------------------------------

export interface BatchNormArgs extends LayerArgs {
  epsilon?: number;
  /** PyTorch convention: running = (1 − momentum)·running + momentum·batch */
  momentum?: number;
}

export class BatchNorm extends tfl.layers.Layer {
  static className = 'MriBatchNorm';
  readonly epsilon: number;
  readonly momentum: number;
  private gamma!: tfl.LayerVariable;
  private beta!: tfl.LayerVariable;
  private movingMean!: tfl.LayerVariable;
  private movingVariance!: tfl.LayerVariable;

  constructor(args: BatchNormArgs = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
    this.momentum = args.momentum ?? 0.1;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const c = lastDim(inputShape, 'BatchNorm');
    this.gamma = this.addWeight('gamma', [c], 'float32', tfl.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tfl.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tfl.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tfl.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (kwargs.training === true) {
        mean = tf.mean(x, [0, 1, 2]);
        variance = tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2]);
        const count = x.size / x.shape[3];
        const m = this.momentum;
        const unbiased = tf.mul(variance, count / Math.max(1, count - 1));
        // running statistics are state, not part of the differentiated graph
        const newMean = tf.add(tf.mul(this.movingMean.read(), 1 - m), tf.mul(tf.clone(mean), m));
        const newVar = tf.add(tf.mul(this.movingVariance.read(), 1 - m), tf.mul(unbiased, m));
        this.movingMean.write(newMean);
        this.movingVariance.write(newVar);
      } else {
        mean = this.movingMean.read();
        variance = this.movingVariance.read();
      }
      const y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(y, this.gamma.read()), this.beta.read());
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): serialization.ConfigDict {
    return { epsilon: this.epsilon, momentum: this.momentum, ...super.getConfig() };
  }
}

// ---- SpatialDropout2D -----------------------------------------------------------------------------

export interface SpatialDropout2DArgs extends LayerArgs {
  rate: number;
  seed?: number;
}

export class SpatialDropout2D extends tfl.layers.Layer {
  static className = 'MriSpatialDropout2D';
  readonly rate: number;
  readonly seed: number | undefined;

  constructor(args: SpatialDropout2DArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) throw new RangeError(`SpatialDropout2D: rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      if (kwargs.training !== true || this.rate === 0) return tf.clone(x);
      const keep = 1 - this.rate;
      const noise = tf.randomUniform([x.shape[0], 1, 1, x.shape[3]], 0, 1, 'float32', this.seed);
      const multiplier = tf.div(tf.floor(tf.add(noise, keep)), keep);
      return tf.mul(x, multiplier);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): serialization.ConfigDict {
    return { rate: this.rate, ...(this.seed !== undefined ? { seed: this.seed } : {}), ...super.getConfig() };
  }
}

// ---- ReflectPadToMatch ---------------------------------------------------------------------------

export class ReflectPadToMatch extends tfl.layers.Layer {
  static className = 'MriReflectPadToMatch';

  constructor(args: LayerArgs = {}) {
    super(args);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error('ReflectPadToMatch: expects [x, reference]');
    return tf.tidy(() => {
      let x = inputs[0] as tf.Tensor4D;
      const ref = inputs[1] as tf.Tensor4D;
      const [n, h, w, c] = x.shape;
      if (ref.shape[1] !== h) {
        if (ref.shape[1] !== h + 1 || h < 2) throw new Error(`ReflectPadToMatch: cannot pad height ${h} to ${ref.shape[1]}`);
        x = tf.concat([x, tf.slice(x, [0, h - 2, 0, 0], [n, 1, w, c])], 1);
      }
      const h2 = x.shape[1] as number;
      if (ref.shape[2] !== w) {
        if (ref.shape[2] !== w + 1 || w < 2) throw new Error(`ReflectPadToMatch: cannot pad width ${w} to ${ref.shape[2]}`);
        x = tf.concat([x, tf.slice(x, [0, 0, w - 2, 0], [n, h2, 1, c])], 2);
      }
      return x === inputs[0] ? tf.clone(x) : x;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [x, ref] = inputShape as Shape[];
    return [x[0], ref[1], ref[2], x[3]];
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig() };
  }
}

for (const cls of [GroupNorm, InstanceNorm, BatchNorm, SpatialDropout2D, ReflectPadToMatch]) serialization.registerClass(cls);
