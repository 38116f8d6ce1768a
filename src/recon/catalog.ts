/**
 * What each method is and which parameters it takes, for the UI's forms and the CLI's help. The
 * defaults come from the methods themselves, so the form always shows what an empty field means.
 */
import { TV_DIMS, type MethodDescription, type MethodParam, type ReconMethodName } from '../contract/schemas';
import { CS_DEFAULTS } from './cs';

const lambda = (d: number) =>
  ({
    name: 'lambda',
    label: 'λ',
    kind: 'number',
    default: d,
    min: 0,
    max: 1e6,
    log: true,
    help: 'regularisation weight, relative to the automatic data scaling (larger = smoother)',
  }) as const;
const iterations = (d: number) =>
  ({
    name: 'iterations',
    label: 'Iterations',
    kind: 'integer',
    default: d,
    min: 1,
    max: 100_000,
    help: 'solver iterations (stops early at convergence)',
  }) as const;
const maps: MethodParam = {
  name: 'maps',
  label: 'Coil maps',
  kind: 'choice',
  default: 'espirit',
  choices: ['espirit', 'lowres'],
  help: 'multi-coil sensitivity estimation from the calibration region',
};
const tvDims: MethodParam = {
  name: 'tv',
  label: 'TV',
  kind: 'choice',
  default: '2d',
  choices: [...TV_DIMS],
  help: '2d: TV of each slice; 3d: TV across slices too, the whole volume in one solve (exploits through-plane redundancy)',
};
const tvZWeight: MethodParam = {
  name: 'tvZWeight',
  label: 'z weight',
  kind: 'number',
  default: 1,
  min: 0,
  max: 100,
  help: '3-D TV: weight of the through-plane differences (in-plane / slice spacing for thick slices; 0 decouples them)',
  enabledWhen: { param: 'tv', value: '3d' },
};
const model = {
  name: 'model',
  label: 'Model',
  kind: 'text',
  default: null,
  help: 'a training run folder, a checkpoint or a fastMRI .safetensors; empty = the bundled model',
} as const;

const CATALOG: Record<ReconMethodName, MethodDescription> = {
  zf: {
    method: 'zf',
    label: 'Zero-filled',
    description: 'inverse FFT of the undersampled k-space, root-sum-of-squares over coils',
    params: [],
    runnableAsIs: true,
  },
  'cs-tv': {
    method: 'cs-tv',
    label: 'CS · total variation',
    description: 'argmin ½‖MFSx − y‖² + λ TV(x), isotropic TV per slice (2-D) or across slices (3-D)',
    params: [lambda(CS_DEFAULTS.tv.lambda), iterations(CS_DEFAULTS.tv.iterations), maps, tvDims, tvZWeight],
    runnableAsIs: true,
  },
  'cs-wavelet': {
    method: 'cs-wavelet',
    label: 'CS · wavelet ℓ1',
    description: 'argmin ½‖MFSx − y‖² + λ‖Ψx‖₁, orthogonal wavelets (FISTA)',
    params: [lambda(CS_DEFAULTS.wavelet.lambda), iterations(CS_DEFAULTS.wavelet.iterations), maps],
    runnableAsIs: true,
  },
  unet: {
    method: 'unet',
    label: 'U-Net',
    description: 'fastMRI U-Net on the zero-filled image (image-domain post-processing)',
    params: [model],
    // a U-Net trained on Colin27 ships with the app
    runnableAsIs: true,
  },
  varnet: {
    method: 'varnet',
    label: 'VarNet',
    description: 'unrolled network with data consistency (E2E-VarNet class); needs a trained model',
    params: [{ ...model, help: 'a VarNet run folder, checkpoint or fastMRI .safetensors (none is bundled)' }],
    runnableAsIs: false,
  },
};

export function describeMethods(names: ReconMethodName[]): MethodDescription[] {
  return names.map((n) => CATALOG[n]);
}
