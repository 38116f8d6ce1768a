/**
 * Model weights on disk. One container format for everything: safetensors.
 *
 *  - fastMRI state_dicts (PyTorch names, OIHW / [in, out, kh, kw] layouts) are imported: names map
 *    onto our fixed layer names (fastmriName), layouts are transposed to HWIO, and the architecture
 *    (in/out chans, chans, pools, norm) is inferred from the tensor shapes.
 *  - Our checkpoints are safetensors with `__metadata__.format = "mri-recon-model"`, the architecture
 *    as JSON in `__metadata__.model`, weights under `model/<layer>/<weight>`, optimiser slots under
 *    `optim/<index>/<name>` and the training state (epoch, step, RNG, …) as JSON in `__metadata__.training`.
 * Files are touched only at the edge (readWeightsFile / writeCheckpointFile); everything else works on
 * bytes and maps. Writes are atomic (temp + fsync + rename).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomically } from '../io/atomic';
import { parseSafetensors, serializeSafetensors, WeightsFileError, type NamedArray, type SafetensorsFile } from './safetensors';
import { buildUnet, checkUnetConfig, NORM_TYPES, type NormType, type UnetConfig } from './unet';
import { checkVarnetConfig, VarNet, type VarnetConfig } from './varnet';

export { WeightsFileError } from './safetensors';
export type { NamedArray } from './safetensors';

export const CHECKPOINT_FORMAT = 'mri-recon-model';
export const CHECKPOINT_VERSION = '1';

export interface UnetSpec {
  arch: 'unet';
  config: UnetConfig;
}
export interface VarnetSpec {
  arch: 'varnet';
  config: VarnetConfig;
}
export type ModelSpec = UnetSpec | VarnetSpec;

export interface WeightsContents {
  spec: ModelSpec;
  /** model weights by our names (`down0_conv1/kernel`), tfjs layouts */
  weights: Map<string, NamedArray>;
  /** optimiser slots in the optimiser's own order (empty for fastMRI imports and exported models) */
  optimizer: NamedArray[];
  /** training state saved with a checkpoint, or null */
  training: Record<string, unknown> | null;
  source: 'checkpoint' | 'fastmri';
}

export function buildModel(spec: ModelSpec): tfl.LayersModel {
  if (spec.arch !== 'unet')
    throw new WeightsFileError(`not a U-Net: model architecture '${String((spec as { arch: unknown }).arch)}'`);
  return buildUnet(spec.config);
}

export function describeSpec(spec: ModelSpec): string {
  if (spec.arch === 'varnet') {
    const v = spec.config;
    return `varnet (${v.numCascades} cascades, U-Net chans ${v.chans} pools ${v.pools}, sensitivity chans ${v.sensChans} pools ${v.sensPools}${v.maskCenter ? '' : ', no centre mask'})`;
  }
  const c = spec.config;
  return `${spec.arch} (in ${c.inChans}, out ${c.outChans}, chans ${c.chans}, pools ${c.numPoolLayers}, norm ${c.norm}, dropout ${c.dropProb}${c.residual ? ', residual' : ''})`;
}

export function sameArchitecture(a: ModelSpec, b: ModelSpec): boolean {
  if (a.arch === 'varnet' || b.arch === 'varnet') {
    if (a.arch !== b.arch) return false;
    const [p, q] = [a.config as VarnetConfig, b.config as VarnetConfig];
    return (
      p.numCascades === q.numCascades &&
      p.chans === q.chans &&
      p.pools === q.pools &&
      p.sensChans === q.sensChans &&
      p.sensPools === q.sensPools &&
      p.maskCenter === q.maskCenter
    );
  }
  const x = a.config;
  const y = b.config;
  return (
    a.arch === b.arch &&
    x.inChans === y.inChans &&
    x.outChans === y.outChans &&
    x.chans === y.chans &&
    x.numPoolLayers === y.numPoolLayers &&
    x.norm === y.norm &&
    !!x.residual === !!y.residual
  );
}

// ---- our names ↔ tensors ------------------------------------------------------------------------

/** The model's weights (trainable and not, e.g. batch-norm running statistics) as named arrays. */
export function modelWeights(model: tfl.LayersModel): NamedArray[] {
  return model.weights.map((w) => ({
    name: w.originalName,
    shape: w.shape as number[],
    data: w.read().dataSync() as Float32Array,
  }));
}

/**
 * Sets every model weight from `weights` (by our names). Missing weights, unknown extra tensors and
 * shape mismatches are WeightsFileErrors naming the first offender.
 */
export function setModelWeights(model: tfl.LayersModel, weights: Map<string, NamedArray>, what = 'weights'): void {
  const names = new Set<string>();
  const values: tf.Tensor[] = [];
  try {
    for (const w of model.weights) {
      names.add(w.originalName);
      const t = weights.get(w.originalName);
      if (!t) throw new WeightsFileError(`${what}: no tensor for ${w.originalName} (different architecture?)`);
      const want = w.shape as number[];
      if (want.length !== t.shape.length || want.some((d, i) => d !== t.shape[i])) {
        throw new WeightsFileError(`${what}: ${w.originalName} has shape [${t.shape}], the model needs [${want}]`);
      }
      values.push(tf.tensor(t.data, want, 'float32'));
    }
    for (const name of weights.keys())
      if (!names.has(name)) throw new WeightsFileError(`${what}: unexpected tensor ${name} (different architecture?)`);
    model.weights.forEach((w, i) => w.write(values[i]));
  } finally {
    tf.dispose(values);
  }
}

// ---- fastMRI state_dict names -----------------------------------------------------------------

const NORM_SLOTS: Record<string, string> = {
  gamma: 'weight',
  beta: 'bias',
  moving_mean: 'running_mean',
  moving_variance: 'running_var',
};

/** fastMRI's state_dict name for one of our weights (`down1_conv2/kernel` → `down_sample_layers.1.layers.4.weight`). */
export function fastmriName(ours: string, numPoolLayers: number): string | null {
  const [layer, weight] = ours.split('/');
  const last = numPoolLayers - 1;
  let m = /^(down(\d+)|mid|up(\d+))_(conv|norm)([12])$/.exec(layer);
  if (m) {
    const block =
      m[2] !== undefined
        ? `down_sample_layers.${m[2]}`
        : m[1] === 'mid'
          ? 'conv'
          : Number(m[3]) === last
            ? `up_conv.${last}.0`
            : `up_conv.${m[3]}`;
    const slot = (m[5] === '1' ? 0 : 4) + (m[4] === 'norm' ? 1 : 0);
    const suffix = m[4] === 'conv' ? (weight === 'kernel' ? 'weight' : null) : NORM_SLOTS[weight];
    return suffix ? `${block}.layers.${slot}.${suffix}` : null;
  }
  m = /^up(\d+)_(tconv|tnorm)$/.exec(layer);
  if (m) {
    const suffix = m[2] === 'tconv' ? (weight === 'kernel' ? 'weight' : null) : NORM_SLOTS[weight];
    return suffix ? `up_transpose_conv.${m[1]}.layers.${m[2] === 'tconv' ? 0 : 1}.${suffix}` : null;
  }
  if (layer === 'out_conv')
    return weight === 'kernel' ? `up_conv.${last}.1.weight` : weight === 'bias' ? `up_conv.${last}.1.bias` : null;
  return null;
}

function isFastmriStateDict(file: SafetensorsFile): boolean {
  return file.tensors.has('down_sample_layers.0.layers.0.weight') && file.tensors.has('conv.layers.0.weight');
}

/** Infers the U-Net configuration from a fastMRI state_dict's tensor shapes. */
export function inferFastmriConfig(file: SafetensorsFile, what = 'weights file'): UnetConfig {
  const t = file.tensors;
  const first = t.get('down_sample_layers.0.layers.0.weight');
  if (!first || first.shape.length !== 4)
    throw new WeightsFileError(`${what}: no fastMRI U-Net weights (down_sample_layers.0.layers.0.weight)`);
  let pools = 0;
  while (t.has(`down_sample_layers.${pools}.layers.0.weight`)) pools++;
  const final = t.get(`up_conv.${pools - 1}.1.weight`);
  if (!final) throw new WeightsFileError(`${what}: no final 1×1 conv up_conv.${pools - 1}.1.weight (not a fastMRI U-Net?)`);
  let norm: NormType = 'instance';
  const declared = file.metadata.norm;
  if (declared && (NORM_TYPES as readonly string[]).includes(declared)) norm = declared as NormType;
  else if (t.has('down_sample_layers.0.layers.1.running_mean')) norm = 'batch';
  else if (t.has('down_sample_layers.0.layers.1.weight')) norm = 'group';
  const dropProb = Number(file.metadata.drop_prob ?? 0);
  return checkUnetConfig({
    inChans: first.shape[1],
    outChans: final.shape[0],
    chans: first.shape[0],
    numPoolLayers: pools,
    dropProb: Number.isFinite(dropProb) ? dropProb : 0,
    norm,
  });
}

/** OIHW (conv) or [in, out, kh, kw] (transposed conv) → tfjs [kh, kw, ·, ·] by the permutation (2, 3, 1, 0). */
function toHwio(t: NamedArray): NamedArray {
  if (t.shape.length !== 4) return t;
  const [a, b, h, w] = t.shape;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((y * w + x) * b + j) * a + i] = t.data[((i * b + j) * h + y) * w + x];
  return { name: t.name, shape: [h, w, b, a], data: out };
}

function fromHwio(t: NamedArray, name: string): NamedArray {
  if (t.shape.length !== 4) return { ...t, name };
  const [h, w, b, a] = t.shape;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) out[((i * b + j) * h + y) * w + x] = t.data[((y * w + x) * b + j) * a + i];
  return { name, shape: [a, b, h, w], data: out };
}

/** Maps a fastMRI state_dict onto our weight names for `model` (built from inferFastmriConfig). */
export function fastmriToOurs(
  file: SafetensorsFile,
  model: tfl.LayersModel,
  config: UnetConfig,
  what = 'weights file',
): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  const used = new Set<string>();
  for (const w of model.weights) {
    const theirs = fastmriName(w.originalName, config.numPoolLayers);
    const t = theirs ? file.tensors.get(theirs) : undefined;
    if (!theirs || !t) throw new WeightsFileError(`${what}: missing ${theirs ?? w.originalName} for ${w.originalName}`);
    used.add(theirs);
    out.set(w.originalName, { ...toHwio(t), name: w.originalName });
  }
  for (const name of file.tensors.keys()) {
    if (!used.has(name) && !name.endsWith('num_batches_tracked'))
      throw new WeightsFileError(`${what}: unexpected tensor ${name} for ${describeSpec({ arch: 'unet', config })}`);
  }
  return out;
}

/** Our weights → a fastMRI-named state_dict (for PyTorch users). */
export function oursToFastmri(model: tfl.LayersModel, config: UnetConfig): NamedArray[] {
  return modelWeights(model).map((t) => {
    const name = fastmriName(t.name, config.numPoolLayers);
    if (!name) throw new Error(`no fastMRI name for ${t.name}`);
    return fromHwio(t, name);
  });
}

// ---- reading -----------------------------------------------------------------------------------

function parseSpec(raw: string | undefined, what: string): ModelSpec {
  if (!raw) throw new WeightsFileError(`${what}: checkpoint has no model description`);
  let spec: ModelSpec;
  try {
    spec = JSON.parse(raw) as ModelSpec;
  } catch {
    throw new WeightsFileError(`${what}: corrupt model description in the checkpoint`);
  }
  if ((spec?.arch !== 'unet' && spec?.arch !== 'varnet') || typeof spec.config !== 'object')
    throw new WeightsFileError(`${what}: unsupported model '${String(spec?.arch)}'`);
  try {
    if (spec.arch === 'varnet') checkVarnetConfig(spec.config);
    else checkUnetConfig(spec.config);
  } catch (e) {
    throw new WeightsFileError(`${what}: ${(e as Error).message}`);
  }
  return spec;
}

/** Decodes a weights file's bytes: our checkpoint or a fastMRI state_dict. */
export function decodeWeights(bytes: Uint8Array, what = 'weights file'): WeightsContents {
  const file = parseSafetensors(bytes, what);
  if (file.metadata.format === CHECKPOINT_FORMAT) {
    const spec = parseSpec(file.metadata.model, what);
    const weights = new Map<string, NamedArray>();
    const optimizer: { idx: number; t: NamedArray }[] = [];
    for (const [name, t] of file.tensors) {
      if (name.startsWith('model/')) weights.set(name.slice(6), { ...t, name: name.slice(6) });
      else {
        const m = /^optim\/(\d+)\/(.*)$/.exec(name);
        if (!m) throw new WeightsFileError(`${what}: unexpected tensor ${name}`);
        optimizer.push({ idx: Number(m[1]), t: { ...t, name: m[2] } });
      }
    }
    optimizer.sort((a, b) => a.idx - b.idx);
    let training: Record<string, unknown> | null = null;
    if (file.metadata.training) {
      try {
        training = JSON.parse(file.metadata.training) as Record<string, unknown>;
      } catch {
        throw new WeightsFileError(`${what}: corrupt training state in the checkpoint`);
      }
    }
    return { spec, weights, optimizer: optimizer.map((o) => o.t), training, source: 'checkpoint' };
  }
  if (isFastmriStateDict(file)) {
    const config = inferFastmriConfig(file, what);
    const model = buildUnet(config);
    try {
      return {
        spec: { arch: 'unet', config },
        weights: fastmriToOurs(file, model, config, what),
        optimizer: [],
        training: null,
        source: 'fastmri',
      };
    } finally {
      model.dispose();
    }
  }
  if (file.tensors.has('cascades.0.dc_weight')) {
    const config = inferFastmriVarnetConfig(file, what);
    return {
      spec: { arch: 'varnet', config },
      weights: fastmriVarnetToOurs(file, config, what),
      optimizer: [],
      training: null,
      source: 'fastmri',
    };
  }
  throw new WeightsFileError(`${what}: neither an mri-recon checkpoint nor a fastMRI U-Net / VarNet state_dict`);
}

/**
 * A model path as users give it: a weights file (.safetensors: ours or fastMRI's), or a run folder
 * (its model.safetensors export when present, else its newest checkpoint).
 */
export function resolveModelPath(path: string): string {
  if (!existsSync(path)) throw new WeightsFileError(`model not found: ${path}`);
  if (!statSync(path).isDirectory()) return path;
  const exported = join(path, 'model.safetensors');
  if (existsSync(exported)) return exported;
  const latest = latestCheckpoint(join(path, 'checkpoints'));
  if (latest) return latest;
  throw new WeightsFileError(`${path}: a folder without model.safetensors or checkpoints/*.safetensors`);
}

const CKPT_RE = /^ckpt-(\d+)\.safetensors$/;

export function checkpointName(step: number): string {
  return `ckpt-${String(step).padStart(9, '0')}.safetensors`;
}

/** The checkpoint with the highest step in `dir`, or null. Temp files (.name.xxxx.tmp) never match. */
export function latestCheckpoint(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const steps = readdirSync(dir)
    .map((f) => CKPT_RE.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ step: Number(m[1]), file: m[0] }))
    .sort((a, b) => b.step - a.step);
  return steps.length ? join(dir, steps[0].file) : null;
}

export function listCheckpoints(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => CKPT_RE.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export function readWeightsFile(path: string): WeightsContents {
  const file = resolveModelPath(path);
  return decodeWeights(new Uint8Array(readFileSync(file)), file);
}

/** Builds the U-Net a weights file describes and loads its weights. The caller disposes the model. */
export function loadModel(path: string): { model: tfl.LayersModel; spec: UnetSpec; contents: WeightsContents } {
  const contents = readWeightsFile(path);
  const spec = contents.spec;
  if (spec.arch !== 'unet') throw new WeightsFileError(`${path}: a ${describeSpec(spec)}, not a U-Net (use the varnet method)`);
  const model = buildModel(spec);
  try {
    setModelWeights(model, contents.weights, path);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, spec, contents };
}

// ---- VarNet ------------------------------------------------------------------------------------

/** Sets every VarNet weight from `weights` (our names: sens/…, cascade<i>/…, cascade<i>/dc_weight). */
export function setVarnetWeights(net: VarNet, weights: Map<string, NamedArray>, what = 'weights'): void {
  const groups = new Map<string, Map<string, NamedArray>>();
  for (const [name, t] of weights) {
    const slash = name.indexOf('/');
    const prefix = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    if (slash < 0 || (rest !== 'dc_weight' && !net.modelFor(prefix)))
      throw new WeightsFileError(`${what}: unexpected tensor ${name} (different architecture?)`);
    if (!groups.has(prefix)) groups.set(prefix, new Map());
    groups.get(prefix)!.set(rest, { ...t, name: rest });
  }
  const prefixes = ['sens', ...net.cascades.map((_, i) => `cascade${i}`)];
  for (const prefix of prefixes) {
    const g = groups.get(prefix) ?? new Map<string, NamedArray>();
    const dc = g.get('dc_weight');
    g.delete('dc_weight');
    setModelWeights(net.modelFor(prefix)!, g, `${what} (${prefix})`);
    if (prefix !== 'sens') {
      if (!dc || dc.data.length !== 1) throw new WeightsFileError(`${what}: no ${prefix}/dc_weight`);
      const t = tf.tensor(dc.data, [1]);
      net.dcWeights[Number(prefix.slice(7))].assign(t);
      t.dispose();
    } else if (dc) throw new WeightsFileError(`${what}: unexpected tensor sens/dc_weight`);
  }
}

/** Builds the VarNet a weights file describes and loads its weights. The caller disposes it. */
export function loadVarnet(path: string): { net: VarNet; spec: VarnetSpec; contents: WeightsContents } {
  const contents = readWeightsFile(path);
  const spec = contents.spec;
  if (spec.arch !== 'varnet') throw new WeightsFileError(`${path}: a ${describeSpec(spec)}, not a VarNet (use the unet method)`);
  const net = new VarNet(spec.config);
  try {
    setVarnetWeights(net, contents.weights, path);
  } catch (e) {
    net.dispose();
    throw e;
  }
  return { net, spec, contents };
}

const SENS_PREFIX = 'sens_net.norm_unet.unet.';
const cascadePrefix = (i: number) => `cascades.${i}.model.unet.`;

function unetTensorsWithPrefix(file: SafetensorsFile, prefix: string): SafetensorsFile {
  const tensors = new Map<string, NamedArray>();
  for (const [name, t] of file.tensors)
    if (name.startsWith(prefix)) tensors.set(name.slice(prefix.length), { ...t, name: name.slice(prefix.length) });
  return { tensors, metadata: { norm: 'instance' } };
}

/** The VarNet configuration of a fastMRI VarNet state_dict, from its tensor shapes. */
export function inferFastmriVarnetConfig(file: SafetensorsFile, what = 'weights file'): VarnetConfig {
  let cascades = 0;
  while (file.tensors.has(`cascades.${cascades}.dc_weight`)) cascades++;
  const c = inferFastmriConfig(unetTensorsWithPrefix(file, cascadePrefix(0)), `${what} (cascades.0)`);
  const s = inferFastmriConfig(unetTensorsWithPrefix(file, SENS_PREFIX), `${what} (sens_net)`);
  try {
    return checkVarnetConfig({
      numCascades: cascades,
      chans: c.chans,
      pools: c.numPoolLayers,
      sensChans: s.chans,
      sensPools: s.numPoolLayers,
      maskCenter: file.metadata.mask_center !== 'false',
    });
  } catch (e) {
    throw new WeightsFileError(`${what}: ${(e as Error).message}`);
  }
}

function fastmriVarnetToOurs(file: SafetensorsFile, config: VarnetConfig, what: string): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  const used = new Set<string>();
  const unets: [string, string, number][] = [['sens', SENS_PREFIX, config.sensPools]];
  for (let i = 0; i < config.numCascades; i++) unets.push([`cascade${i}`, cascadePrefix(i), config.pools]);
  const net = new VarNet({ ...config, numCascades: 1 });
  try {
    for (const [ours, theirs, pools] of unets) {
      const model = ours === 'sens' ? net.sens : net.cascades[0];
      for (const w of model.weights) {
        const name = theirs + fastmriName(w.originalName, pools);
        const t = file.tensors.get(name);
        if (!t) throw new WeightsFileError(`${what}: missing ${name}`);
        used.add(name);
        out.set(`${ours}/${w.originalName}`, { ...toHwio(t), name: `${ours}/${w.originalName}` });
      }
      if (ours !== 'sens') {
        const dc = `${ours.replace('cascade', 'cascades.')}.dc_weight`;
        used.add(dc);
        out.set(`${ours}/dc_weight`, { ...file.tensors.get(dc)!, name: `${ours}/dc_weight` });
      }
    }
  } finally {
    net.dispose();
  }
  for (const name of file.tensors.keys())
    if (!used.has(name) && !name.endsWith('num_batches_tracked'))
      throw new WeightsFileError(`${what}: unexpected tensor ${name}`);
  return out;
}

/** A VarNet's weights with fastMRI's state_dict names and layouts (loadable by fastMRI's VarNet). */
export function varnetToFastmri(net: VarNet): NamedArray[] {
  return net.weights().map((t) => {
    const [prefix, layer, weight] = t.name.split('/');
    if (layer === 'dc_weight') return { ...t, name: `cascades.${prefix.slice(7)}.dc_weight` };
    const pools = prefix === 'sens' ? net.config.sensPools : net.config.pools;
    const name = fastmriName(`${layer}/${weight}`, pools);
    if (!name) throw new Error(`no fastMRI name for ${t.name}`);
    return fromHwio(t, (prefix === 'sens' ? SENS_PREFIX : cascadePrefix(Number(prefix.slice(7)))) + name);
  });
}

export async function exportFastmriVarnetSafetensors(path: string, net: VarNet): Promise<void> {
  await writeFileAtomically(path, serializeSafetensors(varnetToFastmri(net), { mask_center: String(net.config.maskCenter) }));
}

// ---- writing -----------------------------------------------------------------------------------

export function encodeCheckpoint(
  spec: ModelSpec,
  weights: NamedArray[],
  optimizer: NamedArray[] = [],
  training: Record<string, unknown> | null = null,
): Uint8Array {
  const tensors = [
    ...weights.map((t) => ({ ...t, name: `model/${t.name}` })),
    ...optimizer.map((t, i) => ({ ...t, name: `optim/${String(i).padStart(4, '0')}/${t.name}` })),
  ];
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model: JSON.stringify(spec),
  };
  if (training) metadata.training = JSON.stringify(training);
  return serializeSafetensors(tensors, metadata);
}

export async function writeCheckpointFile(
  path: string,
  spec: ModelSpec,
  model: tfl.LayersModel,
  optimizer: NamedArray[] = [],
  training: Record<string, unknown> | null = null,
): Promise<void> {
  await writeFileAtomically(path, encodeCheckpoint(spec, modelWeights(model), optimizer, training));
}

/** Exports a U-Net's weights with fastMRI's state_dict names (loadable by fastMRI's Unet in PyTorch). */
export async function exportFastmriSafetensors(path: string, model: tfl.LayersModel, config: UnetConfig): Promise<void> {
  await writeFileAtomically(
    path,
    serializeSafetensors(oursToFastmri(model, config), { norm: config.norm, drop_prob: String(config.dropProb) }),
  );
}
