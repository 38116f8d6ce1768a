/**
 * A group / instance norm (+ per-channel affine) followed by LeakyReLU as one operation on the wasm
 * backend (src/backend/wasm-kernels.ts): at inference one MriNormAct kernel call; in training one
 * MriNormActTrain call forward and one MriNormActGrad call backward (tf.customGrad), instead of ~10
 * tfjs kernels and their full-size intermediates each way. The gradient saves x and two floats per
 * sample and group, recomputing the normalised values (two streaming passes over x and dy).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  NORM_ACT_GRAD_KERNEL,
  NORM_ACT_KERNEL,
  NORM_ACT_TRAIN_KERNEL,
  normActAvailable,
  type NormActAttrs,
} from '../backend/wasm-kernels';
import type { NormParams } from './layers';

/** Whether the fused kernels can run on the active backend (MRI_RECON_FAST_NORM=0 disables them). */
export function fusedNormActAvailable(): boolean {
  return process.env.MRI_RECON_FAST_NORM !== '0' && normActAvailable(tf.getBackend());
}

/** y = LeakyReLU_alpha(norm(x) · gamma + beta) (alpha null: no activation), inference only. */
export function normActInfer(x: tf.Tensor4D, p: NormParams, alpha: number | null): tf.Tensor4D {
  const inputs: Record<string, tf.Tensor> = { x };
  if (p.gamma) inputs.gamma = p.gamma;
  if (p.beta) inputs.beta = p.beta;
  const attrs: NormActAttrs = { groups: p.groups, epsilon: p.epsilon, alpha };
  return tf.engine().runKernel(NORM_ACT_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** The same, differentiable with respect to x, gamma and beta (gamma / beta may be variables). */
export function normActTrain(x: tf.Tensor4D, p: NormParams, alpha: number | null): tf.Tensor4D {
  const attrs = { groups: p.groups, epsilon: p.epsilon, alpha } satisfies NormActAttrs as unknown as tf.NamedAttrMap;
  const affine = [p.gamma, p.beta].filter((t): t is tf.Tensor => t !== null);
  const named = (t: tf.Tensor[]): Record<string, tf.Tensor> => {
    const out: Record<string, tf.Tensor> = {};
    let i = 0;
    if (p.gamma) out.gamma = t[i++];
    if (p.beta) out.beta = t[i++];
    return out;
  };
  const f = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xi, ...params] = args as tf.Tensor[];
    const [y, saved] = tf.engine().runKernel(NORM_ACT_TRAIN_KERNEL, { x: xi, ...named(params) }, attrs) as tf.Tensor[];
    save([xi, saved, ...params]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], kept: tf.Tensor[]) => {
        const [xs, stats, ...ps] = kept;
        const inputs = { x: xs, dy: dy as tf.Tensor, saved: stats, ...named(ps) };
        return tf.engine().runKernel(NORM_ACT_GRAD_KERNEL, inputs, attrs) as tf.Tensor[];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x, ...affine) as tf.Tensor4D;
}
