import { basename } from 'node:path';
import { MethodSpecSchema, describeZodError, type MethodSpec, type ReconSummary } from '../../contract/schemas';
import { runRecon } from '../../engine/await-job';
import { Engine } from '../../engine/engine';
import { outputKind, volumeFromPath, writeVolume } from '../../io/convert';
import { writeSubmission } from '../../io/submission';
import { MASK_OPTIONS, maskSpecFrom, num, parse } from '../args';
import { UsageError } from '../errors';
import { formatMetrics, progressBar } from '../output';

export const help = `mri-recon recon IN --method zf|cs-tv|cs-wavelet [--mask random|equispaced|…|none] [--accel 4]
                   [--center 0.08] [--seed S] [--lambda L] [--iters N] [--maps espirit|lowres]
                   [--out OUT] [--json]
  Undersamples IN's k-space with the mask and reconstructs every slice. --out picks the writer by name:
  OUT.h5 a fastMRI submission (dataset 'reconstruction', float32, slices × H × W, cropped to the target
  size); .nii / .nii.gz NIfTI; .png or a %03d pattern PNG per slice; a folder (ending in / or existing)
  a DICOM series recording method, mask and parameters. Without --seed
  the mask is seeded by IN's file name, as fastMRI seeds validation masks. --json prints per-volume and
  per-slice NMSE / PSNR / SSIM against the file's own reference.`;

export function methodSpecFrom(values: Record<string, unknown>): MethodSpec {
  const raw: Record<string, unknown> = { method: values.method ?? 'zf' };
  if (values.lambda !== undefined) raw.lambda = num(values.lambda as string, 'lambda');
  if (values.iters !== undefined) raw.iterations = num(values.iters as string, 'iters');
  if (values.maps !== undefined) raw.maps = values.maps;
  const parsed = MethodSpecSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`method: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export function summaryJson(file: string, s: ReconSummary, out: string | null) {
  return {
    file,
    method: s.method,
    mask: { ...s.mask, effective_acceleration: s.mask1d.acceleration, num_low_frequencies: s.mask1d.numLowFrequencies },
    shape: [s.slices, ...s.imageShape],
    volume: s.volume,
    slices: s.perSlice?.map((m, i) => ({ slice: i, ...m })) ?? null,
    elapsed_ms: Math.round(s.elapsedMs),
    out,
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...MASK_OPTIONS,
    method: { type: 'string' },
    lambda: { type: 'string' },
    iters: { type: 'string' },
    maps: { type: 'string' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  });
  if (values.help) return (console.log(help), 0);
  if (positionals.length !== 1) throw new UsageError('recon needs exactly one input file');
  const input = positionals[0];
  const mask = maskSpecFrom(values, 'mask');
  if (mask.seed === undefined) mask.seed = basename(input);
  const method = methodSpecFrom(values);
  const out = (values.out as string | undefined) ?? null;
  if (out && !outputKind(out)) throw new UsageError(`--out must be .h5, .nii, .nii.gz, .png, a %03d pattern or a folder ending in /, got '${out}'`);
  const engine = new Engine({ demoPath: null });
  try {
    const scan = await engine.call('scan.open', { path: input });
    const bar = progressBar(`${method.method}`);
    const summary = await runRecon(engine, { scanId: scan.scanId, mask, method }, (f, m) => bar.update(f, m));
    bar.done();
    if (out) {
      const { images } = engine.resultImages(summary.resultId);
      const [h, w] = summary.imageShape;
      const volume = new Float32Array(images.length * h * w);
      images.forEach((im, i) => volume.set(im, i * h * w));
      if (outputKind(out) === 'fastmri') {
        await writeSubmission(out, volume, [images.length, h, w], { method: method.method, mask: JSON.stringify(mask), source: basename(input) });
      } else {
        const params = Object.entries(method).map(([k, v]) => `${k}=${v}`).join(' ');
        const description = `${method.method} ${mask.type} ${mask.acceleration}x`;
        // image volumes (DICOM, NIfTI) keep their patient geometry in the derived series
        const source = scan.format === 'dicom' || scan.format === 'nifti' ? await volumeFromPath(input) : null;
        const geometry = source?.shape[0] === images.length && source.shape[1] === h && source.shape[2] === w ? source.geometry : null;
        const meta = { source: basename(input), ...(source ? { patientName: source.meta.patientName ?? '', patientId: source.meta.patientId ?? '' } : {}) };
        await writeVolume(out, { data: volume, shape: [images.length, h, w], geometry, meta }, {
          description,
          dicom: { derivation: `mri-recon ${params}; mask ${JSON.stringify(mask)}; source ${basename(input)}` },
        });
      }
    }
    if (values.json) {
      console.log(JSON.stringify(summaryJson(input, summary, out)));
    } else {
      console.log(`${scan.name}: ${method.method}, ${mask.type} mask ${mask.acceleration}× (effective ${summary.mask1d.acceleration.toFixed(2)}×), ${summary.slices} slices in ${(summary.elapsedMs / 1000).toFixed(2)} s`);
      if (summary.volume) console.log(`  volume  ${formatMetrics(summary.volume)}`);
      if (out) console.log(`  wrote ${out}`);
    }
    return 0;
  } finally {
    await engine.close();
  }
}
