import { Engine } from '../../engine/engine';
import { parse } from '../args';
import { UsageError } from '../errors';

export const help = `mri-recon info FILE|DIR [--json]
  Format, k-space shape, coils, slices, image size and key attributes of a scan: fastMRI / ISMRMRD .h5,
  a DICOM file or series folder (patient, series, geometry), a .nii / .nii.gz (affine).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  if (values.help) return (console.log(help), 0);
  if (positionals.length !== 1) throw new UsageError('info needs exactly one FILE or DIR');
  const engine = new Engine({ demoPath: null });
  try {
    const info = await engine.call('scan.open', { path: positionals[0] });
    if (values.json) {
      const { scanId: _omit, ...rest } = info;
      console.log(JSON.stringify(rest, null, 1));
      return 0;
    }
    console.log(`${info.name}  (${info.format})`);
    console.log(`  slices ${info.slices}, coils ${info.coils}, k-space ${info.kspaceShape.join('×')}, image ${info.imageShape.join('×')}`);
    console.log(`  reference: ${info.targetKey ?? 'none (metrics use the fully sampled RSS)'}`);
    for (const [k, v] of Object.entries(info.attributes)) console.log(`  ${k}: ${v}`);
    return 0;
  } finally {
    await engine.close();
  }
}
