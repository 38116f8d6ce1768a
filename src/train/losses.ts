/**
 * Training losses in tfjs, on NHWC images [N, H, W, 1]:
 *   l1    mean |pred − target| (fastMRI's U-Net loss)
 *   ssim  1 − SSIM, fastMRI's SSIMLoss: 7 × 7 uniform window (average pooling, 'valid'), K1 0.01, K2 0.03,
 *         sample covariance (× NP / (NP − 1)), data range per sample given by the caller
 *   mix   w·(1 − SSIM) + (1 − w)·L1
 * Everything is differentiable through the gradients registered in src/backend/gradients.ts.
 */
import * as tf from '@tensorflow/tfjs-core';

export const LOSS_TYPES = ['l1', 'ssim', 'mix'] as const;
export type LossType = (typeof LOSS_TYPES)[number];

export interface LossConfig {
  type: LossType;
  /** weight of (1 − SSIM) in 'mix' */
  ssimWeight?: number;
}

export function l1Loss(pred: tf.Tensor4D, target: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(pred, target))) as tf.Scalar);
}

/** mean SSIM over the valid 7 × 7 windows (fastMRI SSIMLoss's S); dataRange: one value per sample */
export function ssimValue(
  pred: tf.Tensor4D,
  target: tf.Tensor4D,
  dataRange: number[],
  winSize = 7,
  k1 = 0.01,
  k2 = 0.03,
): tf.Scalar {
  return tf.tidy(() => {
    const n = pred.shape[0];
    if (dataRange.length !== n) throw new RangeError(`ssim: need ${n} data ranges, got ${dataRange.length}`);
    const np = winSize * winSize;
    const covNorm = np / (np - 1);
    const pool = (x: tf.Tensor4D) => tf.avgPool(x, winSize, 1, 'valid');
    const dr = tf.tensor4d(dataRange, [n, 1, 1, 1]);
    const c1 = tf.square(tf.mul(dr, k1));
    const c2 = tf.square(tf.mul(dr, k2));
    const ux = pool(pred);
    const uy = pool(target);
    const uxx = pool(tf.mul(pred, pred));
    const uyy = pool(tf.mul(target, target));
    const uxy = pool(tf.mul(pred, target));
    const vx = tf.mul(tf.sub(uxx, tf.mul(ux, ux)), covNorm);
    const vy = tf.mul(tf.sub(uyy, tf.mul(uy, uy)), covNorm);
    const vxy = tf.mul(tf.sub(uxy, tf.mul(ux, uy)), covNorm);
    const a1 = tf.add(tf.mul(tf.mul(ux, uy), 2), c1);
    const a2 = tf.add(tf.mul(vxy, 2), c2);
    const b1 = tf.add(tf.add(tf.mul(ux, ux), tf.mul(uy, uy)), c1);
    const b2 = tf.add(tf.add(vx, vy), c2);
    return tf.mean(tf.div(tf.mul(a1, a2), tf.mul(b1, b2))) as tf.Scalar;
  });
}

export function ssimLoss(pred: tf.Tensor4D, target: tf.Tensor4D, dataRange: number[]): tf.Scalar {
  return tf.tidy(() => tf.sub(1, ssimValue(pred, target, dataRange)) as tf.Scalar);
}

export function computeLoss(cfg: LossConfig, pred: tf.Tensor4D, target: tf.Tensor4D, dataRange: number[]): tf.Scalar {
  switch (cfg.type) {
    case 'l1':
      return l1Loss(pred, target);
    case 'ssim':
      return ssimLoss(pred, target, dataRange);
    case 'mix': {
      const w = cfg.ssimWeight ?? 0.84;
      return tf.tidy(
        () => tf.add(tf.mul(ssimLoss(pred, target, dataRange), w), tf.mul(l1Loss(pred, target), 1 - w)) as tf.Scalar,
      );
    }
  }
}

/** A target's data range for SSIM (max − min, at least 1e-6). */
export function dataRange(x: Float32Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    if (x[i] < lo) lo = x[i];
    if (x[i] > hi) hi = x[i];
  }
  return Math.max(hi - lo, 1e-6);
}
