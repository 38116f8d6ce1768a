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
import { compose, shapeSize, type LinearOperator } from './ops/linop';
import { fftOp } from './ops/fft';
import { checkMask, maskOp, maskWeights, type SamplingMask } from './ops/mask';
import { senseOp, checkMaps } from './ops/sense';
import { gatherColumns, sampledColumns, sampledSenseOp } from './ops/sampled';
import { gradNormBound, gradOp, laplacianEigenvalues, type GradDims, type GradOptions } from './ops/finite-diff';
import { masksPerSlice, stackEncodingOp } from './ops/stack';
import { waveletOp, type WaveletFamily } from './ops/wavelet';
import { defaultShifts, waveletFrameOp } from './ops/wavelet-frame';
import { l21 } from './prox/linf-ball';
import { l1 } from './prox/soft-threshold';
import { tv } from './prox/tv';
import { detailWeights, frameL1Approx, waveletL1 } from './prox/wavelet-l1';
import { Admm, cgXSolver, type XSolver } from './solvers/admm';
import { runAlgorithm, type IterativeAlgorithm } from './solvers/alg';
import type { LeastSquares } from './solvers/least-squares';
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

/** The options csReconstruct and csReconstructVolume share. */
export interface CsSolveOptions {
  lambda: number;
  iterations: number;
  tolerance?: number;
  solver?: SolverName;
  /** ADMM's initial penalty ρ (scaled units; default: admmRho(λ, regulariser)); residual balancing adapts it */
  rho?: number;
  /** FISTA's inner TV prox (default 20 warm-started iterations, relative tolerance 1e-4) */
  tvProx?: TvProxSettings;
  mapsMethod?: 'espirit' | 'lowres';
  scaling?: 'auto' | 'raw';
  isCancelled?: () => boolean;
  onIteration?: (iteration: number, objective: number, relChange: number) => void;
}

export interface CsOptions extends CsSolveOptions {
  regularizer: Regularizer;
  wavelet?: WaveletFamily;
  levels?: number;
  /**
   * wavelet cycle spins S: R(x) = (λ/S) Σ_s ‖W T_s x‖₁ over S fixed circular shifts (a Parseval frame).
   * ADMM solves it exactly; FISTA uses the cycle-spinning shrinkage Ψᴴ soft(Ψ·) as an approximate prox
   * (prox/wavelet-l1 frameL1Approx). 1 = the plain orthogonal transform, whose prox FISTA has exactly.
   * Default DEFAULT_CYCLE_SPINS.
   */
  cycleSpins?: number;
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
  checkSizes([
    [coils, 'coils'],
    [h, 'height'],
    [w, 'width'],
  ]);
  checkKspace(input.kspace, 2 * coils * h * w, '2·coils·height·width');
  checkMask(input.mask, h, w);
  if (input.maps !== undefined) {
    checkMaps(input.maps, coils, h, w);
    checkFinite(input.maps, 'maps');
  }
  if (options.regularizer !== 'tv' && options.regularizer !== 'wavelet') {
    throw new RangeError(`regularizer must be 'tv' or 'wavelet', got '${String(options.regularizer)}'`);
  }
  checkRunOptions(options);
  if (options.solver === 'pdhg' && options.regularizer !== 'tv')
    throw new RangeError("solver 'pdhg' supports regularizer 'tv' only");
  checkDataOptions(options);
  if (options.wavelet !== undefined && options.wavelet !== 'db4' && options.wavelet !== 'haar') {
    throw new RangeError(`wavelet must be 'db4' or 'haar', got '${String(options.wavelet)}'`);
  }
  if (options.levels !== undefined && (!Number.isInteger(options.levels) || options.levels < 0 || options.levels > 30)) {
    throw new RangeError(`levels must be an integer in [0, 30], got ${options.levels}`);
  }
  checkTvProx(options.tvProx);
}

function checkSizes(sizes: readonly (readonly [number, string])[]): void {
  for (const [v, name] of sizes) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
}

function checkFinite(a: Float32Array, name: string): void {
  if (!allFinite(a)) throw new RangeError(`${name} contains NaN or Infinity`);
}

/** need: the expected length, named by `formula` in the message. */
function checkKspace(kspace: Float32Array, need: number, formula: string): void {
  if (!(kspace instanceof Float32Array)) throw new RangeError('kspace must be a Float32Array');
  if (kspace.length !== need) throw new RangeError(`kspace length ${kspace.length} does not match ${formula} = ${need}`);
  checkFinite(kspace, 'kspace');
}

/** λ, iterations, tolerance, solver. */
function checkRunOptions(options: CsSolveOptions): void {
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
}

/** scaling, mapsMethod. */
function checkDataOptions(options: CsSolveOptions): void {
  if (options.scaling !== undefined && options.scaling !== 'auto' && options.scaling !== 'raw') {
    throw new RangeError(`scaling must be 'auto' or 'raw', got '${String(options.scaling)}'`);
  }
  if (options.mapsMethod !== undefined && options.mapsMethod !== 'espirit' && options.mapsMethod !== 'lowres') {
    throw new RangeError(`mapsMethod must be 'espirit' or 'lowres', got '${String(options.mapsMethod)}'`);
  }
}

function checkTvProx(p: TvProxSettings | undefined): void {
  if (p === undefined) return;
  if (p.iterations !== undefined && (!Number.isInteger(p.iterations) || p.iterations < 1)) {
    throw new RangeError(`tvProx.iterations must be a positive integer, got ${p.iterations}`);
  }
  if (p.tolerance !== undefined && !(p.tolerance >= 0)) throw new RangeError(`tvProx.tolerance must be ≥ 0, got ${p.tolerance}`);
}

/** The solver asked for, or `auto` for 'auto'. */
function chooseSolver(solver: SolverName | undefined, auto: Exclude<SolverName, 'auto'>): Exclude<SolverName, 'auto'> {
  return (solver ?? 'auto') === 'auto' ? auto : (solver as Exclude<SolverName, 'auto'>);
}

/** The result of a reconstruction that did not iterate: a zero image of `length` floats. */
function emptyResult<B extends { cancelled: boolean }>(
  base: B,
  length: number,
  info: Record<string, unknown>,
  cancelled = false,
) {
  return { ...base, cancelled, image: new Float32Array(length), objective: [] as number[], iterations: 0, scale: 1, info };
}

/** Coil maps of one slice's k-space [coils, H, W], by `method` (default ESPIRiT). */
function estimateMaps(
  method: CsSolveOptions['mapsMethod'],
  kspace: Float32Array,
  coils: number,
  h: number,
  w: number,
  mask: SamplingMask,
): Float32Array {
  return (method ?? 'espirit') === 'espirit' ? espiritMaps(kspace, coils, h, w, mask) : lowresMaps(kspace, coils, h, w, mask);
}

/** ‖A‖² bound of the encoding with maps [slices, coils, H, W]: the largest Σ|s|² (1 without maps). */
function encodingLipschitz(maps: Float32Array | undefined, slices: number, coils: number, n: number): number {
  if (!maps) return 1;
  let lipschitz = 0;
  const cn = coils * n;
  for (let s = 0; s < slices; s++) {
    lipschitz = Math.max(lipschitz, mapsLipschitz(maps.subarray(2 * s * cn, 2 * (s + 1) * cn), coils, n));
  }
  return Math.max(lipschitz, 1e-12);
}

/**
 * x0 = Aᴴ b and the data scale (estimateScaling for 'auto', else 1); b and x0 are multiplied by it in
 * place: the solver's units.
 */
function scaleData(A: LinearOperator, b: Float32Array, scaling: CsSolveOptions['scaling']): { x0: Float32Array; scale: number } {
  const x0 = A.adjoint(b);
  const scale = (scaling ?? 'auto') === 'auto' ? estimateScaling(x0) : 1;
  if (scale !== 1) {
    for (let i = 0; i < b.length; i++) b[i] *= scale;
    for (let i = 0; i < x0.length; i++) x0[i] *= scale;
  }
  return { x0, scale };
}

/**
 * The TV algorithm for `solver` on D = gradOp(dims, geometry), starting at x0. ADMM's x-update is
 * `exact` where given (name: info's xUpdate), else a few CG steps.
 */
function tvAlgorithm(
  solver: Exclude<SolverName, 'auto'>,
  ls: LeastSquares,
  dims: GradDims,
  geometry: GradOptions,
  x0: Float32Array,
  options: CsSolveOptions,
  exact: { name: string; xSolver: (D: LinearOperator) => XSolver } | null,
): { alg: IterativeAlgorithm; xUpdate?: string } {
  const lambda = options.lambda;
  const start = { maxIterations: options.iterations, tolerance: options.tolerance ?? 0, x0 };
  const D = gradOp(dims, geometry);
  if (solver === 'pdhg') return { alg: new Pdhg(ls, D, lambda, { ...start, dNormSquared: gradNormBound(dims, geometry) }) };
  if (solver === 'fista') return { alg: new Fista(ls, tv(lambda, dims, { ...options.tvProx, ...geometry }), start) };
  const xs = exact ? exact.xSolver(D) : cgXSolver(ls, D, 3);
  const n = shapeSize(dims);
  const alg = new Admm(ls, D, l21(lambda, dims.length, n), xs, { ...start, rho: options.rho ?? admmRho(lambda, 'tv') });
  return { alg, xUpdate: exact ? exact.name : 'cg' };
}

/**
 * Runs the algorithm (progress, cancellation, the monitor's copies) and returns the result: the image
 * in the input's units, the run's record, the maps used (multi-coil only) and `info`.
 */
function runToResult<B extends { cancelled: boolean }>(
  alg: IterativeAlgorithm,
  scale: number,
  base: B,
  coils: number,
  maps: Float32Array | undefined,
  info: Record<string, unknown>,
  options: CsSolveOptions & { monitor?: CsOptions['monitor'] },
) {
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
    info,
  };
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
  const solverName = chooseSolver(options.solver, autoSolver(options.regularizer, coils, !!input.maps));
  const base = { lambdaUsed: options.lambda, solver: solverName, cancelled: false };
  if (isAllZero(input.kspace)) return emptyResult(base, 2 * n, { note: 'all-zero k-space' });

  // Encoding operator A = M F S (S dropped for single-coil data without maps).
  let maps = input.maps;
  let mapsSource = maps ? 'given' : 'none';
  if (!maps && coils > 1) {
    maps = estimateMaps(options.mapsMethod, input.kspace, coils, h, w, mask);
    mapsSource = options.mapsMethod ?? 'espirit';
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
  const lipschitz = encodingLipschitz(maps, 1, coils, n);

  // Data in the solver's units: masked (defensive: unsampled entries must not leak in) and scaled.
  const b = compact ? gatherColumns(input.kspace, coils, h, w, cols!) : M.forward(input.kspace);
  const { x0, scale } = scaleData(A, b, options.scaling);
  const ls = { A, b, lipschitz };
  const exactFourier = coils === 1 && !maps;

  let alg: IterativeAlgorithm;
  let detail: Record<string, unknown> = {};
  if (options.regularizer === 'tv') {
    const exact = exactFourier
      ? {
          name: 'fourier-exact',
          xSolver: (D: LinearOperator) => fourierXSolver(maskWeights(mask, h, w), b, h, w, D, laplacianEigenvalues(h, w)),
        }
      : null;
    const r = tvAlgorithm(solverName, ls, [h, w], {}, x0, options, exact);
    alg = r.alg;
    if (r.xUpdate) detail = { xUpdate: r.xUpdate };
  } else {
    const lambda = options.lambda;
    const stop = { maxIterations: options.iterations, tolerance: options.tolerance ?? 0 };
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

  return runToResult(alg, scale, base, coils, maps, { ...detail, maps: mapsSource, lipschitz }, options);
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

export interface CsVolumeOptions extends CsSolveOptions {
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
  /** called after each slice's maps are estimated (multi-coil without maps) */
  onMaps?: (done: number, slices: number) => void;
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
  checkSizes([
    [slices, 'slices'],
    [coils, 'coils'],
    [h, 'height'],
    [w, 'width'],
  ]);
  checkKspace(input.kspace, 2 * slices * coils * h * w, '2·slices·coils·height·width');
  for (const m of masksPerSlice(input.mask, slices)) checkMask(m, h, w);
  if (input.maps !== undefined) {
    if (!(input.maps instanceof Float32Array) || input.maps.length !== 2 * slices * coils * h * w) {
      throw new RangeError(`maps: expected [slices=${slices}, coils=${coils}, ${h}, ${w}] complex`);
    }
    checkFinite(input.maps, 'maps');
  }
  checkRunOptions(options);
  const zw = options.zWeight ?? 1;
  if (typeof zw !== 'number' || !(zw >= 0) || zw > MAX_Z_WEIGHT) {
    throw new RangeError(`zWeight must be a number in [0, ${MAX_Z_WEIGHT}], got ${zw}`);
  }
  checkDataOptions(options);
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
  const solverName = chooseSolver(options.solver, exactFourier ? 'admm' : 'fista');
  const zWeight = options.zWeight ?? 1;
  const base = { lambdaUsed: options.lambda, solver: solverName, cancelled: false };
  const empty = (note: string, cancelled = false) => emptyResult(base, 2 * slices * n, { note, zWeight }, cancelled);
  if (isAllZero(input.kspace)) return empty('all-zero k-space');

  // Maps slice by slice (each slice's own calibration region); a slice without signal gets zero maps.
  let maps = input.maps;
  let mapsSource = maps ? 'given' : 'none';
  if (!maps && coils > 1) {
    const cn = coils * n;
    maps = new Float32Array(2 * slices * cn);
    for (let s = 0; s < slices; s++) {
      if (options.isCancelled?.()) return empty('cancelled while estimating maps', true);
      const ks = input.kspace.subarray(2 * s * cn, 2 * (s + 1) * cn);
      if (!isAllZero(ks)) maps.set(estimateMaps(options.mapsMethod, ks, coils, h, w, masks[s]), 2 * s * cn);
      options.onMaps?.(s + 1, slices);
    }
    mapsSource = options.mapsMethod ?? 'espirit';
  }
  const enc = stackEncodingOp(slices, coils, h, w, masks, maps);
  const lipschitz = encodingLipschitz(maps, slices, coils, n);
  const b = enc.data(input.kspace);
  const { x0, scale } = scaleData(enc.A, b, options.scaling);
  const ls = { A: enc.A, b, lipschitz };
  const exact = exactFourier
    ? {
        name: 'fourier-dct-exact',
        xSolver: (D: LinearOperator) =>
          fourierDctXSolver(maskWeights(masks[0], h, w), b, slices, h, w, D, laplacianEigenvalues(h, w), zWeight),
      }
    : null;
  // Neumann through-plane: the first and last slices are not neighbours
  const geometry: GradOptions = { weights: [zWeight, 1, 1], periodic: [false, true, true] };
  const { alg, xUpdate } = tvAlgorithm(solverName, ls, [slices, h, w], geometry, x0, options, exact);
  const info = { tv: '3d', zWeight, maps: mapsSource, lipschitz, compact: enc.compact, ...(xUpdate ? { xUpdate } : {}) };
  return runToResult(alg, scale, base, coils, maps, info, options);
}
