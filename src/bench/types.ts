/** One row of `mri-recon bench --json`: our median time beside a reference measured in the same run. */
export interface BenchResult {
  name: string;
  /** median wall time of our implementation, milliseconds */
  ms: number;
  /** what ran beside it in the same invocation (numpy, scipy, bart, pytorch), or null when absent */
  reference: string | null;
  reference_ms: number | null;
  /** ms / reference_ms; below 1 means we are faster */
  ratio: number | null;
  note?: string;
}

export interface BenchSuite {
  name: string;
  description: string;
  run(options: { quick: boolean; log: (line: string) => void }): Promise<BenchResult[]>;
}

/** Median of repeated timings of fn, after warm-up runs. */
export function timeMedian(fn: () => void, repeats: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export async function timeMedianAsync(fn: () => Promise<unknown>, repeats: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
