/**
 * Training data: any ScanSource (fastMRI .h5 today; NIfTI / DICOM sources with retrospective k-space
 * plug in through the same interface), sliced into (volume, slice) items. Splits are by volume, never
 * by slice. A sample is fastMRI's UnetDataTransform: masked k-space → zero-filled RSS magnitude,
 * centre-cropped to the target size → instance-normalised input and target (clamped ±6).
 *
 * Masks: training draws a fresh mask per sample from the trainer's seeded RNG (integer numpy seeds, so
 * a resumed run redraws the same ones); validation uses fastMRI's file-name seed (`tuple(map(ord, name))`),
 * i.e. the same fixed mask per volume every epoch, as fastMRI's validation sets do.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openScan, type ScanSource } from '../io/scan';
import { applyMaskBatch, makeMask, type Mask } from '../kspace/masks';
import type { MaskType } from '../kspace/masks/types';
import { centerCrop } from '../kspace/coils';
import { meanStd, normalize, unetCrop, zeroFilledMagnitude } from '../models/transforms';

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export interface MaskConfig {
  type: MaskType;
  /** one or more accelerations; a training sample picks one at random (fastMRI's MaskFunc lists) */
  accelerations: number[];
  /** centre fractions paired with accelerations (one value = the same for all) */
  centerFractions: number[];
}

export interface SliceRef {
  volume: number;
  slice: number;
}

export interface Dataset {
  sources: ScanSource[];
  items: SliceRef[];
}

export interface Sample {
  input: Float32Array;
  target: Float32Array;
  h: number;
  w: number;
  mean: number;
  std: number;
  /** the target slice's max before normalisation (fastMRI's max_value per volume when the file has one) */
  maxValue: number;
}

const SCAN_EXT = /\.(h5|hdf5|mrd|nii|nii\.gz|dcm)$/i;

/** The scan files a path names: a file, or the scan files directly inside a folder (sorted). */
export function listScanFiles(path: string): string[] {
  if (!existsSync(path)) throw new DataError(`data not found: ${path}`);
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => SCAN_EXT.test(f) && !f.startsWith('.'))
    .sort()
    .map((f) => join(path, f))
    .filter((p) => statSync(p).isFile());
}

export async function openDataset(paths: string[], open: (p: string) => Promise<ScanSource> = openScan): Promise<Dataset> {
  const files = paths.flatMap(listScanFiles);
  if (files.length === 0) throw new DataError(`no scans found in ${paths.join(', ')}`);
  const sources: ScanSource[] = [];
  for (const f of files) {
    try {
      sources.push(await open(f));
    } catch (e) {
      for (const s of sources) s.close();
      throw new DataError(`cannot open ${f}: ${(e as Error).message}`);
    }
  }
  return datasetFromSources(sources);
}

export function datasetFromSources(sources: ScanSource[], maxSlicesPerVolume?: number): Dataset {
  const items: SliceRef[] = [];
  sources.forEach((s, volume) => {
    const n = maxSlicesPerVolume ? Math.min(s.slices, maxSlicesPerVolume) : s.slices;
    // with a cap, take the central slices (the edges of a volume are mostly noise)
    const first = Math.floor((s.slices - n) / 2);
    for (let i = 0; i < n; i++) items.push({ volume, slice: first + i });
  });
  if (items.length === 0) throw new DataError('the dataset has no slices');
  return { sources, items };
}

/** Splits volumes (never slices) into train / validation with a seeded shuffle. */
export function splitByVolume<T>(volumes: T[], valFraction: number, rand: () => number): { train: T[]; val: T[] } {
  if (!(valFraction > 0 && valFraction < 1)) throw new RangeError(`valFraction must be in (0, 1), got ${valFraction}`);
  if (volumes.length < 2) throw new DataError('need at least two volumes to split into training and validation');
  const idx = volumes.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const nVal = Math.min(volumes.length - 1, Math.max(1, Math.round(volumes.length * valFraction)));
  const valSet = new Set(idx.slice(0, nVal));
  return { train: volumes.filter((_, i) => !valSet.has(i)), val: volumes.filter((_, i) => valSet.has(i)) };
}

export function checkMaskConfig(m: MaskConfig): MaskConfig {
  if (m.accelerations.length === 0) throw new RangeError('mask: at least one acceleration');
  if (m.centerFractions.length !== 1 && m.centerFractions.length !== m.accelerations.length) {
    throw new RangeError('mask: give one centre fraction or one per acceleration');
  }
  return m;
}

/** A slice under a freshly drawn mask, with its fully-sampled reference: what both trainers' samples start from. */
export interface MaskedSlice {
  /** masked k-space, [coils, h, w, 2] interleaved */
  masked: Float32Array;
  mask: Mask;
  /** the reconstruction size (unetCrop) */
  crop: [number, number];
  /** the file's own target, else the RSS of the full k-space; centre-cropped to `crop` */
  reference: Float32Array;
  /** fastMRI's max_value when the file has one, else the reference's max */
  maxValue: number;
}

/**
 * Masks a slice's k-space. `seed`: an integer (training: drawn from the trainer's RNG) or a string
 * (validation: the file name). `choice` picks the acceleration for multi-acceleration configs.
 */
export function maskedSlice(source: ScanSource, slice: number, mask: MaskConfig, seed: number | string, choice = 0): MaskedSlice {
  const { coils, height: h, width: w } = source;
  const kspace = source.readKspace(slice);
  const i = choice % mask.accelerations.length;
  const m = makeMask(
    {
      type: mask.type,
      acceleration: mask.accelerations[i],
      centerFraction: mask.centerFractions[mask.centerFractions.length === 1 ? 0 : i],
      seed,
    },
    { height: h, width: w },
  );
  const masked = applyMaskBatch(kspace, coils, h, w, m);
  const crop = unetCrop(h, w, source.imageShape);
  const [ch, cw] = crop;
  const target = source.readTarget(slice);
  let reference: Float32Array;
  if (target) {
    const [th, tw] = source.imageShape;
    reference = th === ch && tw === cw ? target : centerCrop(target, th, tw, ch, cw);
  } else reference = zeroFilledMagnitude(kspace, coils, h, w, crop);
  let maxValue = typeof source.attributes.max === 'number' ? source.attributes.max : 0;
  if (!(maxValue > 0)) for (let k = 0; k < reference.length; k++) maxValue = Math.max(maxValue, reference[k]);
  return { masked, mask: m, crop, reference, maxValue };
}

/** One training / validation sample (see maskedSlice for `seed` and `choice`). */
export function makeSample(source: ScanSource, slice: number, mask: MaskConfig, seed: number | string, choice = 0): Sample {
  const { masked, crop, reference, maxValue } = maskedSlice(source, slice, mask, seed, choice);
  const mag = zeroFilledMagnitude(masked, source.coils, source.height, source.width, crop);
  const { mean, std } = meanStd(mag);
  return {
    input: normalize(mag, mean, std),
    target: normalize(reference, mean, std),
    h: crop[0],
    w: crop[1],
    mean,
    std,
    maxValue,
  };
}

/** fastMRI's validation seed for a volume: its file name. */
export function validationSeed(source: ScanSource): string {
  return basename(source.path) || source.name;
}
