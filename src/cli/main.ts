/** The `mri-recon` command line: another client of the same engine the app uses. */
import { UsageError } from './errors';
import * as bench from './commands/bench';
import * as convert from './commands/convert';
import * as demo from './commands/demo';
import * as evaluate from './commands/evaluate';
import * as info from './commands/info';
import * as mask from './commands/mask';
import * as recon from './commands/recon';
import * as serve from './commands/serve';
import { EngineFailure } from '../engine/errors';

interface Command {
  help: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = { info, mask, recon, evaluate, serve, demo, bench, convert };

const USAGE = `usage: mri-recon <command> [options]   (mri-recon <command> --help for details)

commands:
  info FILE|DIR      what a scan holds (fastMRI, ISMRMRD, DICOM file or folder, NIfTI)
  convert IN OUT     between formats: NIfTI, DICOM series, PNG, fastMRI HDF5
  mask               print a sampling mask (fastMRI random / equispaced / magic, 2-D masks)
  recon FILE         undersample and reconstruct; write a fastMRI submission; print metrics
  evaluate           fastMRI metrics of predictions against targets
  serve              the workstation UI in a browser (local server mode)
  demo               reconstruct the bundled demo scan and print its metrics
  bench [SUITE]      benchmarks against numpy / scipy / BART / PyTorch`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`mri-recon: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    const err = e as Error;
    const userFault = err instanceof UsageError || err instanceof RangeError || (err instanceof EngineFailure && err.code !== 'internal');
    console.error(`mri-recon ${name}: error: ${oneLine(err.message)}`);
    if (!userFault && process.env.MRI_RECON_DEBUG) console.error(err.stack);
    return userFault ? 2 : 1;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
