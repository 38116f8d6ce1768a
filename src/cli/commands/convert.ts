import { volumeFromPath, writeVolume, outputKind } from '../../io/convert';
import { num, parse } from '../args';
import { UsageError } from '../errors';

export const help = `mri-recon convert IN OUT [--image target|zf] [--bits 8|16] [--window CENTER,WIDTH]
  Converts between formats. IN: fastMRI or ISMRMRD .h5, DICOM file or folder, .nii / .nii.gz.
  OUT by its name: .nii / .nii.gz (NIfTI-1 with the patient geometry), .png or a %03d pattern (one PNG
  per slice, windowed), a folder path ending in / (DICOM series, MR derived images), .h5 (fastMRI layout
  with retrospective single-coil k-space). --image picks a fastMRI file's own reference (default) or the
  zero-filled RSS.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    image: { type: 'string' },
    bits: { type: 'string' },
    window: { type: 'string' },
  });
  if (values.help) return (console.log(help), 0);
  if (positionals.length !== 2) throw new UsageError('convert needs IN and OUT');
  const [input, out] = positionals;
  if (!outputKind(out))
    throw new UsageError(
      `cannot tell the output format of '${out}': use .h5, .nii, .nii.gz, .png, a %03d pattern, or a folder ending in /`,
    );
  const image = (values.image as string | undefined) ?? 'target';
  if (image !== 'target' && image !== 'zf') throw new UsageError(`--image must be target or zf, got '${image}'`);
  const bits = num(values.bits as string | undefined, 'bits', 8);
  if (bits !== 8 && bits !== 16) throw new UsageError(`--bits must be 8 or 16, got '${values.bits}'`);
  let window: { center: number; width: number } | undefined;
  if (values.window !== undefined) {
    const m = /^(-?[\d.eE+-]+),([\d.eE+-]+)$/.exec(values.window as string);
    if (!m || !(Number(m[2]) > 0))
      throw new UsageError(`--window must look like CENTER,WIDTH with WIDTH > 0, got '${values.window}'`);
    window = { center: Number(m[1]), width: Number(m[2]) };
  }
  const vol = await volumeFromPath(input, image);
  const files = await writeVolume(out, vol, { png: { bits, window } });
  console.log(`${input} → ${out}: ${vol.shape.join('×')} (${files.length} file${files.length === 1 ? '' : 's'})`);
  return 0;
}
