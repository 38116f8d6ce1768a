/**
 * Compressed-sensing MRI reconstruction
 *   x̂ = argmin_x ½‖M F S x − y‖² + λ R(x),  R = isotropic TV or wavelet-L1 (detail bands),
 * composed from the layers: operators (ops/) → regulariser prox (prox/) → algorithm (solvers/).
 *
 * Input k-space is [coils, H, W] complex interleaved, already masked. Single-coil: S = I. Multi-coil:
 * maps [coils, H, W] from the caller, else estimated (ESPIRiT or low-resolution) from the data.
 *
 * Solvers ('auto'): single-coil ADMM with the exact two-FFT x-update; multi-coil FISTA, one A and one
 * Aᴴ per iteration, with data kept on the sampled columns only for column masks (ops/sampled). Wavelets
 * are cycle-spun Haar (a Parseval frame): exact in ADMM, through the cycle-spinning shrinkage in FISTA.
 * The per-iteration kernels (Haar frame, 2-D TV prox) are fused loops without allocation; at 256² the
 * FFTs are a minor part of an iteration.
 *
 * Scaling ('auto', default): the data are multiplied by `scale` from estimateScaling (BART pics' rule),
 * the problem is solved with λ as given, and the image is divided by `scale` again, so λ is
 * "relative to a unit-brightness zero-filled image" and the output is in the input's units. 'raw' uses
 * λ on the data as they are (scale = 1). The objective trace is in scaled units.
 *
 * All-zero k-space returns a zero image with info.note = 'all-zero k-space' instead of iterating.
 *
 * Volumes (csReconstructVolume): the same problem over a stack of slices [S, H, W] with a 3-D TV,
 *   x̂ = argmin_x Σ_s ½‖A_s x_s − y_s‖² + λ Σ_i ‖(w_z ∂z x, ∂y x, ∂x x)(i)‖,
 * A block-diagonal over slices (ops/stack), each slice with its own mask and maps. The through-plane
 * difference has a Neumann boundary (no wrap from the last slice to the first); in-plane it stays
 * periodic as in 2-D. w_z = 0 decouples the slices (2-D TV of each slice, one solve). One scaling for
 * the whole volume (BART's rule on the volume's zero-filled image). Solvers ('auto'): single-coil with
 * one mask for all slices, ADMM whose x-update is exact with the in-plane FFT and a DCT along z
 * (solvers/fourier-x-solver); otherwise FISTA with the fused 3-D TV prox (prox/tv).
 */
import { compose, type LinearOperator } from './ops/linop';
import { fftOp } from './ops/fft';
import { checkMask, maskOp, maskWeights, type SamplingMask } from './ops/mask';
import { senseOp, checkMaps } from './ops/sense';
import { gatherColumns, sampledColumns, sampledSenseOp } from './ops/sampled';
import { gradNormBound, gradOp, laplacianEigenvalues, type GradOptions } from './ops/finite-diff';
import { masksPerSlice, stackEncodingOp } from './ops/stack';
import { waveletOp, type WaveletFamily } from './ops/wavelet';
import { defaultShifts, waveletFrameOp } from './ops/wavelet-frame';
import { l21 } from './prox/linf-ball';
import { l1 } from './prox/soft-threshold';
import { tv } from './prox/tv';
import { detailWeights, frameL1Approx, waveletL1 } from './prox/wavelet-l1';
import { Admm, cgXSolver, type XSolver } from './solvers/admm';
import { runAlgorithm, type IterativeAlgorithm } from './solvers/alg';
import { Fista } from './solvers/fista';
import { fourierDctXSolver, fourierXSolver } from './solvers/fourier-x-solver';
import { Pdhg } from './solvers/pdhg';
import { estimateScaling } from './scaling';
import { lowresMaps } from './maps/lowres';
import { espiritMaps } from './maps/espirit';
import { mapsLipschitz } from './maps/normalize';
import { allFinite, isAllZero } from './vec';

export type Regularizer = 'tv' | 'wavelet';

/** The inner iterations of the TV prox inside FISTA (prox/tv's FGP). */
export interface TvProxSettings {
  iterations?: number;
  tolerance?: number;
}
export type SolverName = 'fista' | 'admm' | 'pdhg' | 'auto';

export interface CsInput {
  kspace: Float32Array;
  coils: number;
  height: number;
  width: number;
  mask: SamplingMask;
  maps?: Float32Array;
}

export interface CsOptions {
  regularizer: Regularizer;
  lambda: number;
  iterations: number;
  tolerance?: number;
  solver?: SolverName;
  wavelet?: WaveletFamily;
  levels?: number;
  /**
   * wavelet cycle spins S: R(x) = (λ/S) Σ_s ‖W T_s x‖₁ over S fixed circular shifts (a Parseval frame).
   * ADMM solves it exactly; FISTA uses the cycle-spinning shrinkage Ψᴴ soft(Ψ·) as an approximate prox
   * (prox/wavelet-l1 frameL1Approx). 1 = the plain orthogonal transform, whose prox FISTA has exactly.
   * Default DEFAULT_CYCLE_SPINS.
   */
  cycleSpins?: number;
  /** ADMM's initial penalty ρ (scaled units; default: admmRho(λ, regulariser)); residual balancing adapts it */
  rho?: number;
  /** FISTA's inner TV prox (default 20 warm-started iterations, relative tolerance 1e-4) */
  tvProx?: TvProxSettings;
  mapsMethod?: 'espirit' | 'lowres';
  scaling?: 'auto' | 'raw';
  isCancelled?: () => boolean;
  onIteration?: (iteration: number, objective: number, relChange: number) => void;
  /**
   * Convergence studies (the benchmark): called after every iteration with a copy of the current
   * estimate in the input's units. Costs a copy per iteration; leave unset in production.
   */
  monitor?: (image: Float32Array, iteration: number) => void;
}

export interface CsResult {
  /** complex image [H, W] interleaved, in the input's units */
  image: Float32Array;
  /** objective per iteration (scaled units) */
  objective: number[];
  iterations: number;
  lambdaUsed: number;
  scale: number;
  /** the maps used (multi-coil only) */
  maps?: Float32Array;
  solver: Exclude<SolverName, 'auto'>;
  cancelled: boolean;
  info: Record<string, unknown>;
}

export const MAX_ITERATIONS = 100_000;
/** Wavelet defaults measured on Colin27 at 4×/8× (best PSNR; see the report in src/recon/cs.ts). */
export const DEFAULT_WAVELET: WaveletFamily = 'haar';
export const DEFAULT_LEVELS = 1;
export const DEFAULT_CYCLE_SPINS = 4;

function validate(input: CsInput, options: CsOptions): void {
  const { coils, height: h, width: w } = input;
  for (const [v, name] of [
    [coils, 'coils'],
    [h, 'height'],
    [w, 'width'],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  if (!(input.kspace instanceof Float32Array)) throw new RangeError('kspace must be a Float32Array');
  if (input.kspace.length !== 2 * coils * h * w) {
    throw new RangeError(`kspace length ${input.kspace.length} does not match 2·coils·height·width = ${2 * coils * h * w}`);
  }
  if (!allFinite(input.kspace)) throw new RangeError('kspace contains NaN or Infinity');
  checkMask(input.mask, h, w);
  if (input.maps !== undefined) {
    checkMaps(input.maps, coils, h, w);
    if (!allFinite(input.maps)) throw new RangeError('maps contains NaN or Infinity');
  }
  if (options.regularizer !== 'tv' && options.regularizer !== 'wavelet') {
    throw new RangeError(`regularizer must be 'tv' or 'wavelet', got '${String(options.regularizer)}'`);
  }
  if (typeof options.lambda !== 'number' || !(options.lambda >= 0) || !Number.isFinite(options.lambda)) {
    throw new RangeError(`lambda must be a finite number ≥ 0, got ${options.lambda}`);
  }
  if (!Number.isInteger(options.iterations) || options.iterations < 1 || options.iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be an integer in [1, ${MAX_ITERATIONS}], got ${options.iterations}`);
  }
  if (options.tolerance !== undefined && !(options.tolerance >= 0)) {
    throw new RangeError(`tolerance must be ≥ 0, got ${options.tolerance}`);
  }
  const solver = options.solver ?? 'auto';
  if (!['fista', 'admm', 'pdhg', 'auto'].includes(solver))
    throw new RangeError(`solver must be fista, admm, pdhg or auto, got '${solver}'`);
  if (solver === 'pdhg' && options.regularizer !== 'tv') throw new RangeError("solver 'pdhg' supports regularizer 'tv' only");
  if (options.scaling !== undefined && options.scaling !== 'auto' && options.scaling !== 'raw') {
    throw new RangeError(`scaling must be 'auto' or 'raw', got '${String(options.scaling)}'`);
  }
  if (options.mapsMethod !== undefined && options.mapsMethod !== 'espirit' && options.mapsMethod !== 'lowres') {
    throw new RangeError(`mapsMethod must be 'espirit' or 'lowres', got '${String(options.mapsMethod)}'`);
  }
  if (options.wavelet !== undefined && options.wavelet !== 'db4' && options.wavelet !== 'haar') {
    throw new RangeError(`wavelet must be 'db4' or 'haar', got '${String(options.wavelet)}'`);
  }
  if (options.levels !== undefined && (!Number.isInteger(options.levels) || options.levels < 0 || options.levels > 30)) {
    throw new RangeError(`levels must be an integer in [0, 30], got ${options.levels}`);
  }
  checkTvProx(options.tvProx);
}

function checkTvProx(p: TvProxSettings | undefined): void {
  if (p === undefined) return;
  if (p.iterations !== undefined && (!Number.isInteger(p.iterations) || p.iterations < 1)) {
    throw new RangeError(`tvProx.iterations must be a positive integer, got ${p.iterations}`);
  }
  if (p.tolerance !== undefined && !(p.tolerance >= 0)) throw new RangeError(`tvProx.tolerance must be ≥ 0, got ${p.tolerance}`);
}

/** Which solver 'auto' picks: measured fastest to a given objective on the Colin27 4×/8× benchmarks. */
export function autoSolver(regularizer: Regularizer, coils: number, hasMaps: boolean): Exclude<SolverName, 'auto'> {
  // Single-coil Cartesian: ADMM's x-update is exact with two FFTs. Multi-coil: FISTA (TV through the
  // dual TV prox, wavelets through the cycle-spinning shrinkage) costs one A and one Aᴴ per iteration,
  // where ADMM needs a CG solve (several A/Aᴴ pairs).
  void regularizer;
  return coils === 1 && !hasMaps ? 'admm' : 'fista';
}

export function csReconstruct(input: CsInput, options: CsOptions): CsResult {
  validate(input, options);
  const { coils, height: h, width: w, mask } = input;
  const n = h * w;
  const solverName =
    (options.solver ?? 'auto') === 'auto'
      ? autoSolver(options.regularizer, coils, !!input.maps)
      : (options.solver as Exclude<SolverName, 'auto'>);
  const base = { lambdaUsed: options.lambda, solver: solverName, cancelled: false };

  if (isAllZero(input.kspace)) {
    return {
      ...base,
      image: new Float32Array(2 * n),
      objective: [],
      iterations: 0,
      scale: 1,
      info: { note: 'all-zero k-space' },
    };
  }

  // Encoding operator A = M F S (S dropped for single-coil data without maps).
  let maps = input.maps;
  let mapsSource = maps ? 'given' : 'none';
  if (!maps && coils > 1) {
    const method = options.mapsMethod ?? 'espirit';
    maps = method === 'espirit' ? espiritMaps(input.kspace, coils, h, w, mask) : lowresMaps(input.kspace, coils, h, w, mask);
    mapsSource = method;
  }
  const M = maskOp(mask, coils, h, w);
  // With maps and a column mask, the data live on the sampled columns only (ops/sampled): the same
  // problem with 1/R-sized data vectors. Otherwise the full grid, A = M F S.
  const cols = maps ? sampledColumns(mask) : null;
  const compact = !!maps && !!cols && cols.length > 0 && cols.length < w;
  const A: LinearOperator = compact
    ? sampledSenseOp(maps!, coils, h, w, cols!)
    : maps
      ? compose(M, fftOp(coils, h, w), senseOp(maps, coils, h, w))
      : compose(M, fftOp(coils, h, w));
  // ‖MFS‖² ≤ max Σ|s|²; exact 1 for normalised maps and for S = I.
  const lipschitz = maps ? Math.max(mapsLipschitz(maps, coils, n), 1e-12) : 1;

  // Data in the solver's units: masked (defensive: unsampled entries must not leak in) and scaled.
  const b = compact ? gatherColumns(input.kspace, coils, h, w, cols!) : M.forward(input.kspace);
  const x0 = A.adjoint(b);
  const scale = (options.scaling ?? 'auto') === 'auto' ? estimateScaling(x0) : 1;
  if (scale !== 1) {
    for (let i = 0; i < b.length; i++) b[i] *= scale;
    for (let i = 0; i < x0.length; i++) x0[i] *= scale;
  }
  const ls = { A, b, lipschitz };
  const lambda = options.lambda;
  const stop = { maxIterations: options.iterations, tolerance: options.tolerance ?? 0 };
  const exactFourier = coils === 1 && !maps;

  let alg: IterativeAlgorithm;
  let detail: Record<string, unknown> = {};
  if (options.regularizer === 'tv') {
    const D = gradOp([h, w]);
    if (solverName === 'pdhg') {
      alg = new Pdhg(ls, D, lambda, { ...stop, x0 });
    } else if (solverName === 'fista') {
      alg = new Fista(ls, tv(lambda, [h, w], { ...options.tvProx }), { ...stop, x0 });
    } else {
      const xs: XSolver = exactFourier
        ? fourierXSolver(maskWeights(mask, h, w), b, h, w, D, laplacianEigenvalues(h, w))
        : cgXSolver(ls, D, 3);
      alg = new Admm(ls, D, l21(lambda, 2, n), xs, { ...stop, x0, rho: options.rho ?? admmRho(lambda, 'tv') });
      detail = { xUpdate: exactFourier ? 'fourier-exact' : 'cg' };
    }
  } else {
    const W = waveletOp(h, w, { family: options.wavelet ?? DEFAULT_WAVELET, levels: options.levels ?? DEFAULT_LEVELS });
    const spins = options.cycleSpins ?? DEFAULT_CYCLE_SPINS;
    detail = { wavelet: W.family, levels: W.levels, cycleSpins: spins };
    const K =
      spins === 1 ? W : waveletFrameOp(h, w, { family: W.family, levels: W.levels, shifts: defaultShifts(spins, W.levels) });
    const wts = detailWeights(W);
    const weights = new Float32Array(wts.length * spins);
    for (let s = 0; s < spins; s++) weights.set(wts, s * wts.length);
    // R(x) = (λ/S) Σ_s ‖W T_s x‖₁ = (λ/√S) ‖Ψ x‖₁ with the Parseval frame Ψ (its 1/√S inside).
    if (solverName === 'admm') {
      const xs: XSolver = exactFourier ? fourierXSolver(maskWeights(mask, h, w), b, h, w, K, null) : cgXSolver(ls, K, 3);
      alg = new Admm(ls, K, l1(lambda / Math.sqrt(spins), weights), xs, {
        ...stop,
        x0,
        rho: options.rho ?? admmRho(lambda, 'wavelet'),
      });
    } else if (spins === 1) {
      alg = new Fista(ls, waveletL1(W, lambda), { ...stop, x0 });
    } else {
      alg = new Fista(ls, frameL1Approx(K, lambda / Math.sqrt(spins), weights), { ...stop, x0 });
    }
  }

  const monitor = options.monitor;
  const onIteration = monitor
    ? (i: number, obj: number, rel: number) => {
        options.onIteration?.(i, obj, rel);
        const img = Float32Array.from(alg.x);
        if (scale !== 1) for (let k = 0; k < img.length; k++) img[k] /= scale;
        monitor(img, i);
      }
    : options.onIteration;
  const run = runAlgorithm(alg, { isCancelled: options.isCancelled, onIteration });
  const image = Float32Array.from(alg.x);
  if (scale !== 1) for (let i = 0; i < image.length; i++) image[i] /= scale;
  if (!allFinite(image)) throw new Error('cs: reconstruction produced non-finite values');
  return {
    ...base,
    image,
    objective: run.objective,
    iterations: run.iterations,
    scale,
    maps: coils > 1 ? maps : undefined,
    cancelled: run.cancelled,
    info: { ...detail, maps: mapsSource, lipschitz },
  };
}

/**
 * Initial ADMM penalty; residual balancing adapts it, this only saves the first few adjustments.
 * Measured on Colin27 4×/8× single-coil (PSNR after 10–40 iterations): 3λ for both regularisers
 * (the earlier 10λ converged visibly slower, λ overshoots in the first iterations).
 */
function admmRho(lambda: number, regularizer: Regularizer): number {
  void regularizer;
  return Math.max(lambda * 3, 1e-3);
}

// ---- volumes: 3-D total variation across slices ------------------------------------------------

export interface CsVolumeInput {
  /** k-space [slices, coils, H, W] complex interleaved, already masked */
  kspace: Float32Array;
  slices: number;
  coils: number;
  height: number;
  width: number;
  /** one mask for every slice, or one per slice */
  mask: SamplingMask | readonly SamplingMask[];
  /** coil maps [slices, coils, H, W]; multi-coil data without them get maps estimated slice by slice */
  maps?: Float32Array;
}

export interface CsVolumeOptions {
  lambda: number;
  iterations: number;
  tolerance?: number;
  /**
   * 'auto': single-coil data with one mask for every slice → ADMM with the exact x-update (in-plane FFT
   * and DCT along z, solvers/fourier-x-solver); otherwise (maps, or masks that differ between slices)
   * FISTA with the 3-D TV prox. ADMM elsewhere uses a few CG steps for the x-update.
   */
  solver?: SolverName;
  /**
   * Through-plane weight w_z of the 3-D TV (default 1, isotropic in voxel units, as BART's T:7 does).
   * For anisotropic voxels, in-plane spacing / slice spacing makes the gradient isotropic in mm (e.g.
   * 0.5 for 1 mm pixels and 2 mm slices); 0 decouples the slices.
   */
  zWeight?: number;
  rho?: number;
  mapsMethod?: 'espirit' | 'lowres';
  scaling?: 'auto' | 'raw';
  isCancelled?: () => boolean;
  onIteration?: (iteration: number, objective: number, relChange: number) => void;
  /** called after each slice's maps are estimated (multi-coil without maps) */
  onMaps?: (done: number, slices: number) => void;
  /** FISTA's inner TV prox (default 20 warm-started iterations, relative tolerance 1e-4, as in 2-D) */
  tvProx?: TvProxSettings;
}

export interface CsVolumeResult extends Omit<CsResult, 'image' | 'maps'> {
  /** complex volume [slices, H, W] interleaved, in the input's units */
  image: Float32Array;
  /** the maps used [slices, coils, H, W] (multi-coil only) */
  maps?: Float32Array;
}

export const MAX_Z_WEIGHT = 100;

function validateVolume(input: CsVolumeInput, options: CsVolumeOptions): void {
  const { slices, coils, height: h, width: w } = input;
  for (const [v, name] of [
    [slices, 'slices'],
    [coils, 'coils'],
    [h, 'height'],
    [w, 'width'],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  if (!(input.kspace instanceof Float32Array)) throw new RangeError('kspace must be a Float32Array');
  if (input.kspace.length !== 2 * slices * coils * h * w) {
    throw new RangeError(
      `kspace length ${input.kspace.length} does not match 2·slices·coils·height·width = ${2 * slices * coils * h * w}`,
    );
  }
  if (!allFinite(input.kspace)) throw new RangeError('kspace contains NaN or Infinity');
  for (const m of masksPerSlice(input.mask, slices)) checkMask(m, h, w);
  if (input.maps !== undefined) {
    if (!(input.maps instanceof Float32Array) || input.maps.length !== 2 * slices * coils * h * w) {
      throw new RangeError(`maps: expected [slices=${slices}, coils=${coils}, ${h}, ${w}] complex`);
    }
    if (!allFinite(input.maps)) throw new RangeError('maps contains NaN or Infinity');
  }
  if (typeof options.lambda !== 'number' || !(options.lambda >= 0) || !Number.isFinite(options.lambda)) {
    throw new RangeError(`lambda must be a finite number ≥ 0, got ${options.lambda}`);
  }
  if (!Number.isInteger(options.iterations) || options.iterations < 1 || options.iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be an integer in [1, ${MAX_ITERATIONS}], got ${options.iterations}`);
  }
  if (options.tolerance !== undefined && !(options.tolerance >= 0)) {
    throw new RangeError(`tolerance must be ≥ 0, got ${options.tolerance}`);
  }
  const solver = options.solver ?? 'auto';
  if (!['fista', 'admm', 'pdhg', 'auto'].includes(solver))
    throw new RangeError(`solver must be fista, admm, pdhg or auto, got '${solver}'`);
  const zw = options.zWeight ?? 1;
  if (typeof zw !== 'number' || !(zw >= 0) || zw > MAX_Z_WEIGHT) {
    throw new RangeError(`zWeight must be a number in [0, ${MAX_Z_WEIGHT}], got ${zw}`);
  }
  if (options.scaling !== undefined && options.scaling !== 'auto' && options.scaling !== 'raw') {
    throw new RangeError(`scaling must be 'auto' or 'raw', got '${String(options.scaling)}'`);
  }
  if (options.mapsMethod !== undefined && options.mapsMethod !== 'espirit' && options.mapsMethod !== 'lowres') {
    throw new RangeError(`mapsMethod must be 'espirit' or 'lowres', got '${String(options.mapsMethod)}'`);
  }
  checkTvProx(options.tvProx);
}

/** True when every slice has the same sampling pattern. */
function sameMasks(masks: readonly SamplingMask[]): boolean {
  const m0 = masks[0];
  return masks.every(
    (m) => m === m0 || (m.dims === m0.dims && m.data.length === m0.data.length && m.data.every((v, i) => !v === !m0.data[i])),
  );
}

/** Compressed sensing of a whole volume with 3-D total variation (see the header). */
export function csReconstructVolume(input: CsVolumeInput, options: CsVolumeOptions): CsVolumeResult {
  validateVolume(input, options);
  const { slices, coils, height: h, width: w } = input;
  const n = h * w;
  const masks = masksPerSlice(input.mask, slices);
  // single-coil, one mask for all slices: ADMM's x-update is exact (in-plane FFT + DCT along z)
  const exactFourier = coils === 1 && !input.maps && sameMasks(masks);
  const solverName: Exclude<SolverName, 'auto'> =
    (options.solver ?? 'auto') === 'auto' ? (exactFourier ? 'admm' : 'fista') : (options.solver as Exclude<SolverName, 'auto'>);
  const zWeight = options.zWeight ?? 1;
  const base = { lambdaUsed: options.lambda, solver: solverName, cancelled: false };
  const empty = (note: string, cancelled = false): CsVolumeResult => ({
    ...base,
    cancelled,
    image: new Float32Array(2 * slices * n),
    objective: [],
    iterations: 0,
    scale: 1,
    info: { note, zWeight },
  });
  if (isAllZero(input.kspace)) return empty('all-zero k-space');

  // Maps slice by slice (each slice's own calibration region); a slice without signal gets zero maps.
  let maps = input.maps;
  let mapsSource = maps ? 'given' : 'none';
  if (!maps && coils > 1) {
    const method = options.mapsMethod ?? 'espirit';
    const cn = coils * n;
    maps = new Float32Array(2 * slices * cn);
    for (let s = 0; s < slices; s++) {
      if (options.isCancelled?.()) return empty('cancelled while estimating maps', true);
      const ks = input.kspace.subarray(2 * s * cn, 2 * (s + 1) * cn);
      if (!isAllZero(ks)) {
        maps.set(
          method === 'espirit' ? espiritMaps(ks, coils, h, w, masks[s]) : lowresMaps(ks, coils, h, w, masks[s]),
          2 * s * cn,
        );
      }
      options.onMaps?.(s + 1, slices);
    }
    mapsSource = method;
  }
  const enc = stackEncodingOp(slices, coils, h, w, masks, maps);
  const A = enc.A;
  let lipschitz = 1;
  if (maps) {
    lipschitz = 0;
    const cn = coils * n;
    for (let s = 0; s < slices; s++)
      lipschitz = Math.max(lipschitz, mapsLipschitz(maps.subarray(2 * s * cn, 2 * (s + 1) * cn), coils, n));
    lipschitz = Math.max(lipschitz, 1e-12);
  }

  const b = enc.data(input.kspace);
  const x0 = A.adjoint(b);
  const scale = (options.scaling ?? 'auto') === 'auto' ? estimateScaling(x0) : 1;
  if (scale !== 1) {
    for (let i = 0; i < b.length; i++) b[i] *= scale;
    for (let i = 0; i < x0.length; i++) x0[i] *= scale;
  }
  const ls = { A, b, lipschitz };
  const lambda = options.lambda;
  const stop = { maxIterations: options.iterations, tolerance: options.tolerance ?? 0 };
  const dims = [slices, h, w] as const;
  // Neumann through-plane: the first and last slices are not neighbours
  const geometry: GradOptions = { weights: [zWeight, 1, 1], periodic: [false, true, true] };
  const D = gradOp(dims, geometry);
  let alg: IterativeAlgorithm;
  let xUpdate: string | undefined;
  if (solverName === 'pdhg') {
    alg = new Pdhg(ls, D, lambda, { ...stop, x0, dNormSquared: gradNormBound(dims, geometry) });
  } else if (solverName === 'fista') {
    alg = new Fista(ls, tv(lambda, dims, { ...options.tvProx, ...geometry }), { ...stop, x0 });
  } else {
    const xs = exactFourier
      ? fourierDctXSolver(maskWeights(masks[0], h, w), b, slices, h, w, D, laplacianEigenvalues(h, w), zWeight)
      : cgXSolver(ls, D, 3);
    alg = new Admm(ls, D, l21(lambda, 3, slices * n), xs, {
      ...stop,
      x0,
      rho: options.rho ?? admmRho(lambda, 'tv'),
    });
    xUpdate = exactFourier ? 'fourier-dct-exact' : 'cg';
  }
  const run = runAlgorithm(alg, { isCancelled: options.isCancelled, onIteration: options.onIteration });
  const image = Float32Array.from(alg.x);
  if (scale !== 1) for (let i = 0; i < image.length; i++) image[i] /= scale;
  if (!allFinite(image)) throw new Error('cs: reconstruction produced non-finite values');
  return {
    ...base,
    image,
    objective: run.objective,
    iterations: run.iterations,
    scale,
    maps: coils > 1 ? maps : undefined,
    cancelled: run.cancelled,
    info: { tv: '3d', zWeight, maps: mapsSource, lipschitz, compact: enc.compact, ...(xUpdate ? { xUpdate } : {}) },
  };
}
