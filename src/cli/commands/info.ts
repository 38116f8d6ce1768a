import { Engine } from '../../engine/engine';
import { parse } from '../args';
import { UsageError } from '../errors';

export const help = `mri-recon info FILE|DIR [--json]
mri-recon info --backend [NAME]
  Format, k-space shape, coils, slices, image size and key attributes of a scan: fastMRI / ISMRMRD .h5,
  a DICOM file or series folder (patient, series, geometry), a .nii / .nii.gz (affine).
  --backend: which tfjs compute backend the learned methods use here (tensorflow, webgpu, wasm, cpu)
  and why the faster ones did not load; NAME forces one, as MRI_RECON_BACKEND does.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, backend: { type: 'boolean' } });
  if (values.help) return (console.log(help), 0);
  if (values.backend) {
    const { describeBackend } = await import('../../backend');
    const d = await describeBackend(positionals[0]);
    if (values.json)
      console.log(
        JSON.stringify({ backend: d.selection?.name ?? null, tried: d.selection?.tried ?? [], error: d.error ?? null }),
      );
    else console.log(d.text);
    return d.selection ? 0 : 2;
  }
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
    console.log(
      `  slices ${info.slices}, coils ${info.coils}, k-space ${info.kspaceShape.join('×')}, image ${info.imageShape.join('×')}`,
    );
    console.log(`  reference: ${info.targetKey ?? 'none (metrics use the fully sampled RSS)'}`);
    for (const [k, v] of Object.entries(info.attributes)) console.log(`  ${k}: ${v}`);
    return 0;
  } finally {
    await engine.close();
  }
}
