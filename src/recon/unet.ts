/**
 * U-Net reconstruction (fastMRI's image-domain baseline): masked k-space → ifft2c → complex centre
 * crop to the target size (bounded by the image) → magnitude → RSS over coils → instance
 * normalisation (mean / std of the input image, clamp ±6) → U-Net → de-normalise.
 *
 * The model comes from `params.model` (a run folder, one of our checkpoints, or a fastMRI .safetensors)
 * or, when absent, the bundled model (assets/models/). Models are cached per worker thread, keyed by
 * path + size + mtime, so a retrained checkpoint at the same path is picked up.
 *
 * The crop needs the reconstruction size: SliceInput carries it as the optional `imageShape` when the
 * pipeline provides it; without it the U-Net sees the whole k-space image (what the crop is anyway
 * whenever the recon matrix equals the k-space matrix, e.g. the demo data).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ensureBackend } from '../backend';
import { packageRoot } from '../engine/worker-path';
import { centerPadOrCrop } from '../kspace/coils';
import { denormalize, unetInput } from '../models/transforms';
import { predict } from '../models/unet';
import { describeSpec, loadModel, resolveModelPath, type UnetSpec } from '../models/weights';
import { CancelledError, type ReconContext, type ReconMethod, type SliceInput, type SliceOutput } from './types';

export const BUNDLED_MODEL = 'unet-colin27-c16p3.safetensors';

export function bundledModelPath(): string {
  return join(packageRoot(), 'assets', 'models', BUNDLED_MODEL);
}

interface Cached {
  key: string;
  model: tfl.LayersModel;
  spec: UnetSpec;
  path: string;
}

const cache = new Map<string, Cached>();
const MAX_CACHED = 2;

/** Loads (or reuses) the model at `path` (default: the bundled one) on this thread's backend. */
export async function getUnetModel(path?: string): Promise<Cached & { backend: string }> {
  const { name: backend } = await ensureBackend();
  const resolved = resolveModelPath(path ?? bundledModelPath());
  const st = statSync(resolved);
  const key = `${resolved}:${st.size}:${st.mtimeMs}`;
  const hit = cache.get(resolved);
  if (hit && hit.key === key) {
    cache.delete(resolved);
    cache.set(resolved, hit); // most recently used last
    return { ...hit, backend };
  }
  if (hit) {
    hit.model.dispose();
    cache.delete(resolved);
  }
  const { model, spec } = loadModel(resolved);
  if (spec.config.inChans !== 1 || spec.config.outChans !== 1) {
    model.dispose();
    throw new RangeError(`${resolved}: the U-Net method needs a 1-in / 1-out model, this one is ${describeSpec(spec)}`);
  }
  const entry: Cached = { key, model, spec, path: resolved };
  cache.set(resolved, entry);
  while (cache.size > MAX_CACHED) {
    const [oldest, old] = cache.entries().next().value as [string, Cached];
    old.model.dispose();
    cache.delete(oldest);
  }
  return { ...entry, backend };
}

/** Runs a 1-in / 1-out model on a normalised h × w image; returns the raw (normalised) output. */
export function runModel(model: tfl.LayersModel, image: Float32Array, h: number, w: number): Float32Array {
  const x = tf.tensor4d(image, [1, h, w, 1]);
  try {
    const y = predict(model, x);
    try {
      return y.dataSync() as Float32Array;
    } finally {
      y.dispose();
    }
  } finally {
    x.dispose();
  }
}

export async function unetReconstruct(input: SliceInput, modelPath: string | undefined, ctx: ReconContext): Promise<SliceOutput> {
  const { kspace, coils, height, width } = input;
  ctx.progress(0, 'loading model');
  const t0 = performance.now();
  const { model, spec, path, backend } = await getUnetModel(modelPath);
  const tLoad = performance.now() - t0;
  if (ctx.isCancelled()) throw new CancelledError();
  const prep = unetInput(kspace, coils, height, width, input.imageShape);
  ctx.progress(0.2, `U-Net on ${backend}`);
  const t1 = performance.now();
  const out = runModel(model, prep.image, prep.h, prep.w);
  const tModel = performance.now() - t1;
  const magnitude = denormalize(out, prep.mean, prep.std);
  ctx.progress(1);
  const full = prep.h === height && prep.w === width ? magnitude : centerPadOrCrop(magnitude, 1, prep.h, prep.w, height, width);
  return {
    magnitude: full,
    info: {
      model: path,
      architecture: describeSpec(spec),
      backend,
      crop: [prep.h, prep.w],
      loadMs: Math.round(tLoad),
      modelMs: Math.round(tModel),
    },
  };
}

export const unetMethod: ReconMethod = {
  name: 'unet',
  reconstructSlice: (input, params, ctx) => {
    const model = typeof params.model === 'string' && params.model.length > 0 ? params.model : undefined;
    return unetReconstruct(input, model, ctx);
  },
};
