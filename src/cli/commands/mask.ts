import { maskFor } from '../../recon/slice';
import { MASK_OPTIONS, maskSpecFrom, parse, shape2 } from '../args';

export const help = `mri-recon mask --type random --shape 640x368 --accel 4 --center 0.08 [--seed S] [--json]
  Prints a k-space sampling mask. S is an integer seed, or a file name (fastMRI's tuple(map(ord, S))).
  --json prints { "mask": [0/1 per column], "num_low_frequencies": n, "acceleration", "sampled_fraction" }.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...MASK_OPTIONS, shape: { type: 'string' }, json: { type: 'boolean' } }, false);
  if (values.help) return (console.log(help), 0);
  const spec = maskSpecFrom(values, values.type !== undefined ? 'type' : 'mask');
  const [height, width] = shape2((values.shape as string | undefined) ?? '640x368', 'shape');
  const m = maskFor(spec, height, width);
  if (values.json) {
    console.log(
      JSON.stringify({
        mask: Array.from(m.data),
        num_low_frequencies: m.numLowFrequencies,
        acceleration: m.acceleration,
        sampled_fraction: m.sampledFraction,
        shape: m.dims === 1 ? [m.width] : [m.height, m.width],
      }),
    );
    return 0;
  }
  if (m.dims === 1) console.log(Array.from(m.data, (v) => (v ? '|' : '.')).join(''));
  console.log(
    `${spec.type}: ${m.dims}-D, effective acceleration ${m.acceleration.toFixed(3)}, sampled ${(100 * m.sampledFraction).toFixed(2)}%, centre lines ${m.numLowFrequencies}`,
  );
  return 0;
}
