import { basename } from 'node:path';
import { MethodSpecSchema, describeZodError, type MethodSpec, type ReconSummary } from '../../contract/schemas';
import { runRecon } from '../../engine/await-job';
import { Engine } from '../../engine/engine';
import { outputKind } from '../../io/convert';
import { MASK_OPTIONS, maskSpecFrom, num, parse } from '../args';
import { UsageError } from '../errors';
import { formatMetrics, progressBar } from '../output';

export const help = `mri-recon recon IN --method zf|cs-tv|cs-wavelet|unet [--mask random|equispaced|…|none] [--accel 4]
                   [--center 0.08] [--seed S] [--lambda L | --lambda L1,L2,…] [--iters N]
                   [--maps espirit|lowres] [--tv 2d|3d] [--tv-z-weight W] [--model RUN_OR_CKPT_OR_SAFETENSORS]
                   [--out OUT] [--json]
  Undersamples IN's k-space with the mask and reconstructs every slice. cs-tv with --tv 3d regularises
  across slices too (3-D TV, the whole volume in one solve); --tv-z-weight weights the through-plane
  differences (in-plane / slice spacing for anisotropic voxels, default 1). --out picks the writer by name:
  OUT.h5 a fastMRI submission (dataset 'reconstruction', float32, slices × H × W, cropped to the target
  size); .nii / .nii.gz NIfTI; .png or a %03d pattern PNG per slice; a folder (ending in / or existing)
  a DICOM series recording method, mask and parameters. Without --seed the mask is seeded by IN's file
  name, as fastMRI seeds validation masks. --json prints per-volume and per-slice NMSE / PSNR / SSIM
  against the file's own reference. A comma-separated --lambda runs a sweep: quality and time per λ
  (the best by PSNR is written to --out).`;

export function methodSpecFrom(values: Record<string, unknown>, lambda?: number): MethodSpec {
  const raw: Record<string, unknown> = { method: values.method ?? 'zf' };
  if (lambda !== undefined) raw.lambda = lambda;
  else if (values.lambda !== undefined) raw.lambda = num(values.lambda as string, 'lambda');
  if (values.iters !== undefined) raw.iterations = num(values.iters as string, 'iters');
  if (values.maps !== undefined) raw.maps = values.maps;
  if (values.model !== undefined) raw.model = values.model;
  if (values.tv !== undefined) raw.tv = values.tv;
  if (values['tv-z-weight'] !== undefined) raw.tvZWeight = num(values['tv-z-weight'] as string, 'tv-z-weight');
  const parsed = MethodSpecSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`method: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** `--lambda 0.001,0.003` → [0.001, 0.003]; a single value or none → null (no sweep). */
function lambdaList(value: unknown): number[] | null {
  if (typeof value !== 'string' || !value.includes(',')) return null;
  const list = value.split(',').map((v) => num(v.trim(), 'lambda'));
  if (list.length > 64) throw new UsageError('--lambda: at most 64 values in a sweep');
  return list;
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
    tv: { type: 'string' },
    'tv-z-weight': { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  });
  if (values.help) return (console.log(help), 0);
  if (positionals.length !== 1) throw new UsageError('recon needs exactly one input file');
  const input = positionals[0];
  const mask = maskSpecFrom(values, 'mask');
  if (mask.seed === undefined) mask.seed = basename(input);
  const sweep = lambdaList(values.lambda);
  const methods = sweep ? sweep.map((l) => methodSpecFrom(values, l)) : [methodSpecFrom(values)];
  const out = (values.out as string | undefined) ?? null;
  if (out && !outputKind(out))
    throw new UsageError(`--out must be .h5, .nii, .nii.gz, .png, a %03d pattern or a folder ending in /, got '${out}'`);
  const engine = new Engine({ demoPath: null });
  try {
    const scan = await engine.call('scan.open', { path: input });
    const results: ReconSummary[] = [];
    for (const method of methods) {
      const name = method.tv === '3d' ? `${method.method} 3-D` : method.method;
      const label = method.lambda !== undefined && sweep ? `${name} λ=${method.lambda}` : name;
      const bar = progressBar(label);
      results.push(await runRecon(engine, { scanId: scan.scanId, mask, method }, (f, m) => bar.update(f, m)));
      bar.done();
    }
    const best = results.reduce((a, b) => ((b.volume?.psnr ?? -Infinity) > (a.volume?.psnr ?? -Infinity) ? b : a));
    if (out) await engine.writeResult(best.resultId, out);
    if (values.json) {
      if (sweep) {
        const rows = results.map((r) => ({ lambda: r.method.lambda, volume: r.volume, elapsed_ms: Math.round(r.elapsedMs) }));
        console.log(
          JSON.stringify({ file: input, method: best.method.method, mask, sweep: rows, best: summaryJson(input, best, out) }),
        );
      } else console.log(JSON.stringify(summaryJson(input, best, out)));
      return 0;
    }
    for (const r of results) {
      const what = sweep ? `${r.method.method} λ=${r.method.lambda}` : r.method.method;
      console.log(
        `${scan.name}: ${what}, ${mask.type} mask ${mask.acceleration}× (effective ${r.mask1d.acceleration.toFixed(2)}×), ${r.slices} slices in ${(r.elapsedMs / 1000).toFixed(2)} s`,
      );
      if (r.volume) console.log(`  volume  ${formatMetrics(r.volume)}`);
    }
    if (sweep && best.volume) console.log(`best λ ${best.method.lambda}: ${formatMetrics(best.volume)}`);
    if (out) console.log(`  wrote ${out}`);
    return 0;
  } finally {
    await engine.close();
  }
}
