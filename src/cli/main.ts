/** The `mri-recon` command line: another client of the same engine the app uses. */
import { UsageError } from './errors';
import { EngineFailure } from '../engine/errors';

interface Command {
  help: string;
  run(argv: string[]): Promise<number>;
}

// commands load on demand, so `mri-recon mask` does not pay for tfjs or the server
const COMMANDS: Record<string, () => Promise<Command>> = {
  info: () => import('./commands/info'),
  mask: () => import('./commands/mask'),
  recon: () => import('./commands/recon'),
  evaluate: () => import('./commands/evaluate'),
  convert: () => import('./commands/convert'),
  serve: () => import('./commands/serve'),
  demo: () => import('./commands/demo'),
  train: () => import('./commands/train'),
  bench: () => import('./commands/bench'),
};

const USAGE = `usage: mri-recon <command> [options]   (mri-recon <command> --help for details)

commands:
  info FILE|DIR      what a scan holds (fastMRI, ISMRMRD, DICOM file or folder, NIfTI); info --backend
  convert IN OUT     between formats: NIfTI, DICOM series, PNG, fastMRI HDF5
  mask               print a sampling mask (fastMRI random / equispaced / magic, 2-D masks)
  recon FILE         undersample and reconstruct (zf, cs-tv, cs-wavelet, unet); write results; print metrics
  evaluate           fastMRI metrics of predictions against targets
  serve              the workstation UI in a browser (local server mode)
  demo               reconstruct the bundled demo scan and print its metrics
  train              train or fine-tune a U-Net on your scans (run folders, checkpoints, --resume)
  bench [SUITE]      benchmarks against numpy / scipy / BART / PyTorch`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const load = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    console.error(`mri-recon: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (e) {
    const err = e as Error;
    const userFault =
      err instanceof UsageError || err instanceof RangeError || (err instanceof EngineFailure && err.code !== 'internal');
    console.error(`mri-recon ${name}: error: ${oneLine(err.message)}`);
    if (!userFault && process.env.MRI_RECON_DEBUG) console.error(err.stack);
    return userFault ? 2 : 1;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
