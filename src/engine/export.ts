/**
 * Writes a finished reconstruction where it is asked: a fastMRI submission (.h5), NIfTI, a PNG series
 * or a DICOM series. The method, mask and parameters go into the files' descriptions, and image
 * volumes (DICOM, NIfTI sources) keep their patient geometry in the derived series.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ReconSummary, ScanInfo } from '../contract/schemas';
import { outputKind, volumeFromPath, writeVolume } from '../io/convert';
import { writeSubmission } from '../io/submission';

export function describeRecon(s: ReconSummary): string {
  const m = s.method;
  const params = [
    m.lambda !== undefined ? `lambda ${m.lambda}` : '',
    m.iterations !== undefined ? `iters ${m.iterations}` : '',
    m.maps ?? '',
    m.tv === '3d' ? `3-D TV${m.tvZWeight !== undefined && m.tvZWeight !== 1 ? ` z-weight ${m.tvZWeight}` : ''}` : '',
    m.model ? `model ${m.model}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const mask = `${s.mask.type} R${s.mask.acceleration} (eff ${s.mask1d.acceleration.toFixed(2)}) cf ${s.mask.centerFraction} seed ${JSON.stringify(s.mask.seed ?? null)}`;
  return `${m.method}${params ? ` (${params})` : ''}; mask ${mask}`;
}

/** Writes one result to `out`; the format follows its name (see io/convert outputKind). */
export async function writeRecon(out: string, summary: ReconSummary, images: Float32Array[], scan: ScanInfo): Promise<string[]> {
  const [h, w] = summary.imageShape;
  const shape: [number, number, number] = [images.length, h, w];
  const data = new Float32Array(images.length * h * w);
  images.forEach((im, i) => data.set(im, i * h * w));
  const description = describeRecon(summary);
  if (outputKind(out) === 'fastmri') {
    await writeSubmission(out, data, shape, { method: summary.method.method, description, source: scan.name });
    return [out];
  }
  const source = scan.format === 'dicom' || scan.format === 'nifti' ? await volumeFromPath(scan.path) : null;
  const sameGrid = source?.shape[0] === shape[0] && source.shape[1] === h && source.shape[2] === w;
  const meta = {
    source: scan.name,
    seriesDescription: description,
    ...(source ? { patientName: source.meta.patientName ?? '', patientId: source.meta.patientId ?? '' } : {}),
  };
  return writeVolume(
    out,
    { data, shape, geometry: sameGrid ? source.geometry : null, meta },
    {
      description: `${summary.method.method} ${summary.mask.type} ${summary.mask.acceleration}x`,
      dicom: { derivation: `mri-recon ${description}; source ${basename(scan.path)}` },
    },
  );
}

const EXTENSIONS = { h5: '.h5', nifti: '.nii.gz', png: '_%03d.png', dicom: '/' } as const;

export async function exportResult(
  summary: ReconSummary,
  images: Float32Array[],
  scan: ScanInfo,
  format: keyof typeof EXTENSIONS,
  directory: string,
): Promise<string[]> {
  mkdirSync(directory, { recursive: true });
  const stem =
    `${scan.name.replace(/\.(h5|hdf5|nii(\.gz)?|dcm)$/i, '')}_${summary.method.method}_R${summary.mask.acceleration}_${summary.resultId.slice(-6)}`.replace(
      /[^\w.-]+/g,
      '_',
    );
  return writeRecon(join(directory, stem) + EXTENSIONS[format], summary, images, scan);
}
