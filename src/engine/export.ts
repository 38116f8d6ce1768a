/**
 * Writes a finished reconstruction to disk in the format asked: a DICOM series (one per method, the
 * method, mask and parameters in its descriptions), NIfTI, a PNG series or a fastMRI submission file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ReconSummary } from '../contract/schemas';
import { writeVolume } from '../io/convert';
import { writeSubmission } from '../io/submission';

export function describeRecon(s: ReconSummary): string {
  const m = s.method;
  const params = [m.lambda !== undefined ? `lambda ${m.lambda}` : '', m.iterations !== undefined ? `iters ${m.iterations}` : '', m.maps ?? '', m.model ? `model ${m.model}` : '']
    .filter(Boolean)
    .join(', ');
  const mask = `${s.mask.type} R${s.mask.acceleration} (eff ${s.mask1d.acceleration.toFixed(2)}) cf ${s.mask.centerFraction} seed ${JSON.stringify(s.mask.seed ?? null)}`;
  return `${m.method}${params ? ` (${params})` : ''}; mask ${mask}`;
}

export async function exportResult(
  summary: ReconSummary,
  images: Float32Array[],
  scanName: string,
  format: 'dicom' | 'nifti' | 'png' | 'h5',
  directory: string,
): Promise<string[]> {
  mkdirSync(directory, { recursive: true });
  const [h, w] = summary.imageShape;
  const data = new Float32Array(images.length * h * w);
  images.forEach((im, i) => data.set(im, i * h * w));
  const stem = `${scanName.replace(/\.(h5|hdf5|nii(\.gz)?|dcm)$/i, '')}_${summary.method.method}_R${summary.mask.acceleration}_${summary.resultId.slice(-6)}`.replace(/[^\w.-]+/g, '_');
  const description = describeRecon(summary);
  const shape: [number, number, number] = [images.length, h, w];
  switch (format) {
    case 'h5': {
      const out = join(directory, `${stem}.h5`);
      await writeSubmission(out, data, shape, { method: summary.method.method, description });
      return [out];
    }
    case 'nifti':
      return writeVolume(join(directory, `${stem}.nii.gz`), { data, shape, geometry: null, meta: { source: scanName } }, { description });
    case 'png':
      return writeVolume(join(directory, `${stem}_%03d.png`), { data, shape, geometry: null, meta: { source: scanName } }, { description });
    case 'dicom':
      return writeVolume(join(directory, stem) + '/', { data, shape, geometry: null, meta: { source: scanName, seriesDescription: description } }, { description });
  }
}
