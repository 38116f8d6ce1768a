/**
 * Format conversion: any scan → a magnitude image volume (its own reference image when it has one,
 * else the zero-filled root-sum-of-squares), and a volume → NIfTI, DICOM series, PNG or fastMRI HDF5
 * chosen by the output path.
 */
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { fft2c, ifft2cBatch } from '../kspace/fft2c';
import { centerCrop } from '../kspace/coils/crop';
import { rss } from '../kspace/coils/rss';
import { loadDicomVolume } from './dicom/source';
import { writeDicomSeries, type DicomWriteOptions } from './dicom/write';
import { writeFastMri } from './fastmri-write';
import { niftiImageVolume } from './nifti/source';
import { writeVolumeNifti } from './nifti/write';
import { writePngSeries, type PngOptions } from './png';
import { openScan, type ScanSource } from './scan';
import { detectFormat } from './detect';
import type { ImageVolume } from './volume';

export type OutputKind = 'fastmri' | 'nifti' | 'png' | 'dicom';

/** `.h5` fastMRI, `.nii[.gz]` NIfTI, `.png` / `%d` PNG, a path ending in `/` or an existing folder DICOM. */
export function outputKind(out: string): OutputKind | null {
  if (/[/\\]$/.test(out) || (existsSync(out) && statSync(out).isDirectory())) return 'dicom';
  if (/\.h5$/i.test(out)) return 'fastmri';
  if (/\.nii(\.gz)?$/i.test(out)) return 'nifti';
  if (/\.png$/i.test(out) || /%0?\d*d/.test(out)) return 'png';
  return null;
}

/** Zero-filled RSS of a fully sampled slice, cropped to the scan's image size. */
export function zeroFilledSlice(src: ScanSource, s: number): Float32Array {
  const { coils, height: h, width: w } = src;
  const img = rss(ifft2cBatch(src.readKspace(s), coils, h, w), coils, h, w);
  const [ch, cw] = src.imageShape;
  return ch === h && cw === w ? img : centerCrop(img, h, w, ch, cw);
}

export async function volumeFromPath(path: string, use: 'target' | 'zf' = 'target'): Promise<ImageVolume> {
  const kind = detectFormat(path);
  if (kind === 'nifti') return niftiImageVolume(path);
  if (kind === 'dicom') return loadDicomVolume(path);
  const src = await openScan(path);
  try {
    const fromTarget = use === 'target' && src.targetKey !== null;
    const first = fromTarget ? src.readTarget(0)! : zeroFilledSlice(src, 0);
    const [h, w] =
      fromTarget && first.length !== src.imageShape[0] * src.imageShape[1] ? [src.height, src.width] : src.imageShape;
    const data = new Float32Array(src.slices * h * w);
    data.set(first, 0);
    for (let s = 1; s < src.slices; s++) data.set(fromTarget ? src.readTarget(s)! : zeroFilledSlice(src, s), s * h * w);
    const meta: Record<string, string | number> = {
      source: basename(path),
      image: fromTarget ? String(src.targetKey) : 'zero-filled RSS',
    };
    const pid = src.attributes.patient_id;
    if (typeof pid === 'string') meta.patientId = pid;
    return { data, shape: [src.slices, h, w], geometry: null, meta };
  } finally {
    src.close();
  }
}

export interface WriteVolumeOptions {
  png?: PngOptions;
  dicom?: Partial<DicomWriteOptions>;
  description?: string;
}

/** Writes `vol` where `out` says; returns the files written. */
export async function writeVolume(out: string, vol: ImageVolume, o: WriteVolumeOptions = {}): Promise<string[]> {
  const kind = outputKind(out);
  const description = o.description ?? String(vol.meta.seriesDescription ?? vol.meta.image ?? 'converted');
  switch (kind) {
    case 'nifti':
      await writeVolumeNifti(out, vol, description);
      return [out];
    case 'png':
      return writePngSeries(out, vol.data, vol.shape, o.png);
    case 'dicom':
      return writeDicomSeries(out, vol, {
        description,
        derivation: `${description}; source ${vol.meta.source ?? 'unknown'}`,
        patientName: typeof vol.meta.patientName === 'string' ? vol.meta.patientName : undefined,
        patientId: typeof vol.meta.patientId === 'string' ? vol.meta.patientId : undefined,
        ...o.dicom,
      });
    case 'fastmri': {
      const [S, H, W] = vol.shape;
      await writeFastMri(out, {
        slices: S,
        coils: 1,
        height: H,
        width: W,
        kspace: (s) => {
          const c = new Float32Array(2 * H * W);
          const img = vol.data.subarray(s * H * W, (s + 1) * H * W);
          for (let i = 0; i < img.length; i++) c[2 * i] = img[i];
          return fft2c(c, H, W);
        },
        target: { shape: [H, W], slice: (s) => vol.data.subarray(s * H * W, (s + 1) * H * W) },
        attributes: {
          acquisition: 'retrospective',
          source: String(vol.meta.source ?? ''),
          patient_id: String(vol.meta.patientId ?? ''),
        },
      });
      return [out];
    }
    default:
      throw new Error(
        `cannot tell the output format of '${out}': use .h5, .nii, .nii.gz, .png, a %03d pattern, or a folder path ending in /`,
      );
  }
}
