import { runRecon } from '../../engine/await-job';
import { Engine, defaultDemoPath } from '../../engine/engine';
import { MASK_OPTIONS, maskSpecFrom, parse } from '../args';
import { formatMetrics, progressBar } from '../output';
import { methodSpecFrom, summaryJson } from './recon';

export const help = `mri-recon demo [--method zf] [--mask random] [--accel 4] [--center 0.08] [--seed S] [--json]
  Reconstructs the bundled demo scan (Colin27, 6 slices, 4 simulated coils) and prints its metrics.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...MASK_OPTIONS,
      method: { type: 'string' },
      lambda: { type: 'string' },
      iters: { type: 'string' },
      maps: { type: 'string' },
      json: { type: 'boolean' },
    },
    false,
  );
  if (values.help) return (console.log(help), 0);
  const mask = maskSpecFrom(values, 'mask');
  mask.seed ??= 'colin27_demo.h5';
  const method = methodSpecFrom(values);
  const engine = new Engine();
  try {
    const scan = await engine.call('scan.open', { demo: true });
    const bar = progressBar(method.method);
    const s = await runRecon(engine, { scanId: scan.scanId, mask, method }, (f, m) => bar.update(f, m));
    bar.done();
    if (values.json) {
      console.log(JSON.stringify(summaryJson(defaultDemoPath(), s, null)));
      return 0;
    }
    console.log(`demo scan ${scan.name}: ${scan.slices} slices, ${scan.coils} coils, k-space ${scan.kspaceShape.join('×')}`);
    console.log(
      `${method.method} reconstruction, ${mask.type} mask ${mask.acceleration}× (effective ${s.mask1d.acceleration.toFixed(2)}×, seed ${JSON.stringify(mask.seed)}), ${(s.elapsedMs / 1000).toFixed(2)} s`,
    );
    s.perSlice?.forEach((m, i) => console.log(`  slice ${i}  ${formatMetrics(m)}`));
    if (s.volume) console.log(`  volume   ${formatMetrics(s.volume)}`);
    return 0;
  } finally {
    await engine.close();
  }
}
