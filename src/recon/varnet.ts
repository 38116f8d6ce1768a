/**
 * VarNet reconstruction (E2E-VarNet, src/models/varnet.ts): the masked multi-coil (or single-coil)
 * k-space and its mask go straight into the network, which estimates sensitivity maps from the centre
 * band and runs its cascades of U-Net refinement + soft data consistency; the output is the RSS image
 * at the k-space matrix size (the pipeline crops it to the target size).
 *
 * The model comes from `params.model`: a run folder (`mri-recon train --model varnet`), one of our
 * VarNet checkpoints, or a fastMRI VarNet state_dict as .safetensors. There is no bundled VarNet.
 * Models are cached per worker thread, keyed by path + size + mtime.
 */
import { statSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../backend';
import { unetCrop } from '../models/transforms';
import type { VarNet } from '../models/varnet';
import { describeSpec, loadVarnet, resolveModelPath, type VarnetSpec } from '../models/weights';
import { varnetInput, varnetPrep } from '../train/varnet';
import { CancelledError, type ReconContext, type ReconMethod, type SliceInput, type SliceOutput } from './types';

interface Cached {
  key: string;
  net: VarNet;
  spec: VarnetSpec;
  path: string;
}

const cache = new Map<string, Cached>();
const MAX_CACHED = 2;

export const NO_VARNET_MESSAGE =
  'varnet: no model given (params.model = a run folder or checkpoint from `mri-recon train --model varnet`, or a fastMRI VarNet .safetensors) and no VarNet is bundled';

/** Loads (or reuses) the VarNet at `path` on this thread's backend. */
export async function getVarnetModel(path: string): Promise<Cached & { backend: string }> {
  const { name: backend } = await ensureBackend();
  const resolved = resolveModelPath(path);
  const st = statSync(resolved);
  const key = `${resolved}:${st.size}:${st.mtimeMs}`;
  const hit = cache.get(resolved);
  if (hit && hit.key === key) {
    cache.delete(resolved);
    cache.set(resolved, hit);
    return { ...hit, backend };
  }
  if (hit) {
    hit.net.dispose();
    cache.delete(resolved);
  }
  const { net, spec } = loadVarnet(resolved);
  const entry: Cached = { key, net, spec, path: resolved };
  cache.set(resolved, entry);
  while (cache.size > MAX_CACHED) {
    const [oldest, old] = cache.entries().next().value as [string, Cached];
    old.net.dispose();
    cache.delete(oldest);
  }
  return { ...entry, backend };
}

export async function varnetReconstruct(
  input: SliceInput,
  modelPath: string | undefined,
  ctx: ReconContext,
): Promise<SliceOutput> {
  if (!modelPath) throw new Error(NO_VARNET_MESSAGE);
  const { kspace, coils, height: h, width: w, mask } = input;
  ctx.progress(0, 'loading model');
  const t0 = performance.now();
  const { net, spec, path, backend } = await getVarnetModel(modelPath);
  const tLoad = performance.now() - t0;
  if (ctx.isCancelled()) throw new CancelledError();
  const prep = varnetPrep(kspace, coils, h, w, mask, unetCrop(h, w, input.imageShape));
  ctx.progress(0.2, `VarNet on ${backend}`);
  const t1 = performance.now();
  const x = varnetInput({ kspace: prep.kspace, coils, h, w, mask: prep.mask, numLowFrequencies: mask.numLowFrequencies });
  let magnitude: Float32Array;
  try {
    const y = net.forward(x, false);
    magnitude = (y.dataSync() as Float32Array).map((v) => v * prep.scale);
    y.dispose();
  } finally {
    tf.dispose([x.kspace, x.mask]);
  }
  const tModel = performance.now() - t1;
  ctx.progress(1);
  return {
    magnitude,
    info: { model: path, architecture: describeSpec(spec), backend, loadMs: Math.round(tLoad), modelMs: Math.round(tModel) },
  };
}

export const varnetMethod: ReconMethod = {
  name: 'varnet',
  reconstructSlice: (input, params, ctx) => {
    const model = typeof params.model === 'string' && params.model.length > 0 ? params.model : undefined;
    return varnetReconstruct(input, model, ctx);
  },
};
