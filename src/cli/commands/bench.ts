import { cpus, platform, release } from 'node:os';
import { SUITES, findSuite } from '../../bench';
import type { BenchResult } from '../../bench/types';
import { parse } from '../args';
import { UsageError } from '../errors';

export const help = `mri-recon bench [SUITE] [--json] [--quick]
  Times our code beside a reference (numpy, scipy, bart, pytorch) run in the same invocation and prints
  the ratio ours/reference (below 1 = faster). Suites: ${SUITES.map((s) => s.name).join(', ')} (default: all).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, quick: { type: 'boolean' } });
  if (values.help) return (console.log(help), 0);
  const chosen = positionals.length ? positionals.map((n) => findSuite(n) ?? fail(n)) : SUITES;
  const machine = `${platform()} ${release()}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
  const log = (line: string) => (values.json ? process.stderr.write(line + '\n') : console.log(line));
  for (const suite of chosen) {
    log(`# ${suite.name}: ${suite.description}`);
    const results = await suite.run({ quick: Boolean(values.quick), log });
    if (values.json) console.log(JSON.stringify({ suite: suite.name, machine, results }));
    else printTable(results);
  }
  return 0;
}

function fail(name: string): never {
  throw new UsageError(`unknown bench suite '${name}' (known: ${SUITES.map((s) => s.name).join(', ')})`);
}

function printTable(rows: BenchResult[]): void {
  for (const r of rows) {
    const ref = r.reference ? `${r.reference} ${r.reference_ms?.toFixed(2)} ms  ratio ${r.ratio?.toFixed(2)}` : 'no reference';
    console.log(`  ${r.name.padEnd(44)} ${r.ms.toFixed(2).padStart(9)} ms   ${ref}${r.note ? '  (' + r.note + ')' : ''}`);
  }
}
