/**
 * VarNet training data and steps (fastMRI's VarNetDataTransform / VarNetModule, one slice at a time):
 * a sample is the masked multi-coil k-space, its mask and centre-band width, and the RSS target
 * centre-cropped to the reconstruction size; the network's RSS output is centre-cropped the same way
 * before the loss.
 *
 * Scale: each slice's k-space and target are divided by the max of its zero-filled RSS image (the
 * VarNet is scale-equivariant: NormUnet normalises, data consistency is linear, the maps are
 * normalised), so losses are O(1) whatever the scanner's units; inference multiplies back.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ScanSource } from '../io/scan';
import type { Mask } from '../kspace/masks';
import { zeroFilledMagnitude } from '../models/transforms';
import type { VarNet, VarnetInput } from '../models/varnet';
import { maskedSlice, type Dataset, type MaskConfig } from './data';
import { computeLoss, dataRange, type LossConfig } from './losses';
import type { TrainOptimizer } from './optim';
import { validateVolumes, type ValMetrics } from './validation';

export interface VarnetSample {
  /** masked k-space / scale, [coils, h, w, 2] interleaved */
  kspace: Float32Array;
  coils: number;
  h: number;
  w: number;
  /** sampling mask, h × w (0 / 1) */
  mask: Float32Array;
  numLowFrequencies: number;
  /** RSS target / scale, crop[0] × crop[1] */
  target: Float32Array;
  crop: [number, number];
  scale: number;
  maxValue: number;
}

/** The mask as a dense h × w 0 / 1 image (1-D masks are column masks). */
export function denseMask(m: Mask, h: number, w: number): Float32Array {
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = (m.dims === 1 ? m.data[x] : m.data[y * w + x]) ? 1 : 0;
  return out;
}

/** Prepares masked k-space for the network: the scale and the dense mask. */
export function varnetPrep(
  masked: Float32Array,
  coils: number,
  h: number,
  w: number,
  mask: Mask,
  crop: [number, number],
): { kspace: Float32Array; mask: Float32Array; scale: number; zf: Float32Array } {
  const zf = zeroFilledMagnitude(masked, coils, h, w, crop);
  let mx = 0;
  for (let i = 0; i < zf.length; i++) mx = Math.max(mx, zf[i]);
  const scale = mx > 0 ? mx : 1;
  const kspace = new Float32Array(masked.length);
  for (let i = 0; i < masked.length; i++) kspace[i] = masked[i] / scale;
  return { kspace, mask: denseMask(mask, h, w), scale, zf };
}

export function makeVarnetSample(
  source: ScanSource,
  slice: number,
  mask: MaskConfig,
  seed: number | string,
  choice = 0,
): VarnetSample {
  const { coils, height: h, width: w } = source;
  const { masked, mask: m, crop, reference, maxValue } = maskedSlice(source, slice, mask, seed, choice);
  const prep = varnetPrep(masked, coils, h, w, m, crop);
  return {
    kspace: prep.kspace,
    coils,
    h,
    w,
    mask: prep.mask,
    numLowFrequencies: m.numLowFrequencies,
    target: reference.map((v) => v / prep.scale),
    crop,
    scale: prep.scale,
    maxValue,
  };
}

/** Tensors for a sample (the caller disposes them). */
export function varnetInput(s: Pick<VarnetSample, 'kspace' | 'coils' | 'h' | 'w' | 'mask' | 'numLowFrequencies'>): VarnetInput {
  return {
    kspace: tf.tensor4d(s.kspace, [s.coils, s.h, s.w, 2]),
    mask: tf.tensor4d(s.mask, [1, s.h, s.w, 1]),
    numLowFrequencies: s.numLowFrequencies,
  };
}

/** The network's RSS output centre-cropped to `crop`, [1, ch, cw, 1]. */
export function varnetPredict(net: VarNet, input: VarnetInput, crop: [number, number], training: boolean): tf.Tensor4D {
  return tf.tidy(() => {
    const out = net.forward(input, training);
    const [, h, w] = out.shape;
    const [ch, cw] = crop;
    return ch === h && cw === w ? out : tf.slice(out, [0, Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), 0], [1, ch, cw, 1]);
  });
}

/**
 * One optimiser step over `count` single-sample losses: gradients summed, averaged, clipped by global
 * norm when `clipNorm` is set, applied (not when the norm is not finite). Shared by the U-Net and the
 * VarNet trainers.
 */
export function accumulatedStep(
  vars: tf.Variable[],
  opt: TrainOptimizer,
  count: number,
  lossOf: (i: number) => tf.Scalar,
  clipNorm: number | null,
): { loss: number; gradNorm: number } {
  if (count === 0) throw new RangeError('trainStep: no samples');
  let acc: tf.Tensor[] | null = null;
  let lossSum = 0;
  for (let i = 0; i < count; i++) {
    const { value, grads } = tf.variableGrads(() => lossOf(i), vars);
    lossSum += value.dataSync()[0];
    const ordered = vars.map((v) => grads[v.name]);
    if (acc === null) acc = ordered;
    else {
      const prev: tf.Tensor[] = acc;
      acc = prev.map((a, k) => tf.add(a, ordered[k]));
      tf.dispose([...prev, ...ordered]);
    }
    value.dispose();
  }
  const grads = acc!;
  const { scaled, norm } = tf.tidy(() => {
    const mean = grads.map((g) => tf.div(g, count));
    const sq = tf.addN(mean.map((g) => tf.sum(tf.square(g))));
    const n = Math.sqrt(sq.dataSync()[0]);
    const f = clipNorm !== null && n > clipNorm ? clipNorm / n : 1;
    return { scaled: f === 1 ? mean : mean.map((g) => tf.mul(g, f)), norm: n };
  });
  tf.dispose(grads);
  if (Number.isFinite(norm)) opt.apply(vars, scaled);
  tf.dispose(scaled);
  return { loss: lossSum / count, gradNorm: norm };
}

export function varnetTrainStep(
  net: VarNet,
  vars: tf.Variable[],
  opt: TrainOptimizer,
  samples: VarnetSample[],
  loss: LossConfig,
  clipNorm: number | null,
): { loss: number; gradNorm: number } {
  const inputs = samples.map(varnetInput);
  const targets = samples.map((s) => tf.tensor4d(s.target, [1, s.crop[0], s.crop[1], 1]));
  try {
    return accumulatedStep(
      vars,
      opt,
      samples.length,
      (i) => computeLoss(loss, varnetPredict(net, inputs[i], samples[i].crop, true), targets[i], [dataRange(samples[i].target)]),
      clipNorm,
    );
  } finally {
    tf.dispose([...inputs.flatMap((x) => [x.kspace, x.mask]), ...targets]);
  }
}

export async function validateVarnet(
  net: VarNet,
  val: Dataset,
  mask: MaskConfig,
  loss: LossConfig,
  seedOf: (s: ScanSource) => string,
): Promise<ValMetrics> {
  return validateVolumes(val, (src, slice) => {
    const s = makeVarnetSample(src, slice, mask, seedOf(src), 0);
    const input = varnetInput(s);
    const y = tf.tensor4d(s.target, [1, s.crop[0], s.crop[1], 1]);
    const out = varnetPredict(net, input, s.crop, false);
    const l = tf.tidy(() => computeLoss(loss, out, y, [dataRange(s.target)]));
    const lossValue = l.dataSync()[0];
    const o = out.dataSync() as Float32Array;
    const result = {
      loss: lossValue,
      pred: o.map((x) => x * s.scale),
      gt: s.target.map((x) => x * s.scale),
      zf: zeroFilledMagnitude(s.kspace, s.coils, s.h, s.w, s.crop).map((x) => x * s.scale),
      h: s.crop[0],
      w: s.crop[1],
    };
    tf.dispose([input.kspace, input.mask, y, out, l]);
    return result;
  });
}
