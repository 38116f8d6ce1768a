/**
 * Optimisers (tfjs' own, plus AdamW) behind one small interface: set the learning rate per step,
 * apply gradients in a fixed variable order (tfjs optimisers keep their slots by position), and
 * save / restore their slots through tfjs' getWeights() / setWeights().
 *
 *   adam      tf.train.adam(lr, β1, β2, ε)
 *   adamw     Adam + decoupled weight decay (Loshchilov & Hutter): w ← w·(1 − lr·wd) before the Adam
 *             update, on conv kernels only (not norms or biases)
 *   rmsprop   tf.train.rmsprop(lr, decay 0.9, momentum, ε)
 *   sgd       tf.train.momentum(lr, momentum) (momentum 0 = plain SGD), optional Nesterov
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedArray } from '../models/safetensors';

export const OPTIMIZER_NAMES = ['adam', 'adamw', 'rmsprop', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerConfig {
  name: OptimizerName;
  lr: number;
  weightDecay?: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  nesterov?: boolean;
}

class AdamWOptimizer extends tf.AdamOptimizer {
  static override get className(): string {
    return 'MriAdamW';
  }
  constructor(
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    readonly weightDecay: number,
    readonly decayed: (name: string) => boolean,
  ) {
    super(learningRate, beta1, beta2, epsilon);
  }
  override applyGradients(grads: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const names = Array.isArray(grads) ? grads.map((g: { name: string }) => g.name) : Object.keys(grads);
    const factor = 1 - (this as unknown as { learningRate: number }).learningRate * this.weightDecay;
    if (this.weightDecay > 0) {
      tf.tidy(() => {
        for (const name of names) {
          if (!this.decayed(name)) continue;
          const v = tf.engine().registeredVariables[name];
          v.assign(tf.mul(v, factor));
        }
      });
    }
    super.applyGradients(grads);
  }
}

export interface TrainOptimizer {
  readonly config: OptimizerConfig;
  readonly optimizer: tf.Optimizer;
  setLearningRate(lr: number): void;
  /** grads in the order of `variables` (the model's trainable weights); consumed (not disposed) */
  apply(variables: tf.Variable[], grads: tf.Tensor[]): void;
  getState(): Promise<NamedArray[]>;
  setState(state: NamedArray[]): Promise<void>;
  dispose(): void;
}

export function makeOptimizer(
  config: OptimizerConfig,
  decayed: (variableName: string) => boolean = (n) => n.endsWith('/kernel') || /kernel(_\d+)?$/.test(n),
): TrainOptimizer {
  const { lr } = config;
  if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`optimizer: lr must be a positive number, got ${lr}`);
  const beta1 = config.beta1 ?? 0.9;
  const beta2 = config.beta2 ?? 0.999;
  const eps = config.epsilon ?? 1e-8;
  let opt: tf.Optimizer;
  switch (config.name) {
    case 'adam':
      opt = tf.train.adam(lr, beta1, beta2, eps);
      break;
    case 'adamw':
      opt = new AdamWOptimizer(lr, beta1, beta2, eps, config.weightDecay ?? 1e-2, decayed);
      break;
    case 'rmsprop':
      opt = tf.train.rmsprop(lr, 0.9, config.momentum ?? 0, config.epsilon ?? 1e-7);
      break;
    case 'sgd':
      opt = tf.train.momentum(lr, config.momentum ?? 0.9, config.nesterov ?? false);
      break;
    default:
      throw new RangeError(`optimizer: unknown name '${String(config.name)}' (expected ${OPTIMIZER_NAMES.join(', ')})`);
  }
  return {
    config,
    optimizer: opt,
    setLearningRate(value: number) {
      // tfjs optimisers override instanceof (duck typing), so test for the method: SGD / momentum cache -lr in a tensor
      const sgd = opt as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
      if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(value);
      else sgd.learningRate = value;
    },
    apply(variables, grads) {
      const map: tf.NamedTensorMap = {};
      variables.forEach((v, i) => (map[v.name] = grads[i]));
      opt.applyGradients(map);
    },
    async getState() {
      const ws = await opt.getWeights();
      const out = ws.map((w) => ({
        name: w.name,
        shape: w.tensor.shape.slice(),
        data: Float32Array.from(w.tensor.dataSync() as Float32Array),
      }));
      return out;
    },
    async setState(state) {
      await opt.setWeights(state.map((s) => ({ name: s.name, tensor: tf.tensor(s.data, s.shape, 'float32') })));
    },
    dispose() {
      opt.dispose();
    },
  };
}
