/**
 * What every reconstruction method implements. Methods run synchronously inside a worker thread, one
 * slice at a time (or, where the parameters couple the slices, the whole volume in one call); they poll `ctx.isCancelled()` between iterations (a shared flag the job system sets,
 * since a busy worker cannot receive messages) and report progress as they go.
 */
import type { Mask } from '../kspace/masks/types';

export interface SliceInput {
  /** undersampled k-space, complex interleaved, [coils, height, width]; unsampled entries are zero */
  kspace: Float32Array;
  coils: number;
  height: number;
  width: number;
  mask: Mask;
  /** the size the result will be cropped to (fastMRI's target size); learned methods crop to it first */
  imageShape?: [number, number];
}

export interface ReconContext {
  isCancelled(): boolean;
  /** fraction of this slice done, 0..1, with an optional note (e.g. "iter 12, obj 3.2e-4") */
  progress(fraction: number, message?: string): void;
  log(message: string): void;
}

export interface SliceOutput {
  /** magnitude image, height × width (not yet cropped to the target size) */
  magnitude: Float32Array;
  /** complex coil-combined image when the method has one (for the phase view), interleaved */
  complex?: Float32Array;
  /** method-specific diagnostics (objective per iteration, iterations run, λ used, …) */
  info?: Record<string, unknown>;
}

/** A whole scan at once, for methods whose result couples the slices (3-D total variation). */
export interface VolumeInput {
  /** undersampled k-space, complex interleaved, [slices, coils, height, width]; unsampled entries are zero */
  kspace: Float32Array;
  slices: number;
  coils: number;
  height: number;
  width: number;
  /** the same mask for every slice */
  mask: Mask;
  imageShape?: [number, number];
}

export interface VolumeOutput {
  /** per slice, as reconstructSlice would return them (not yet cropped) */
  slices: SliceOutput[];
}

export interface ReconMethod<P = Record<string, unknown>> {
  name: string;
  /** synchronous for the numerics; learned methods may await their backend */
  reconstructSlice(input: SliceInput, params: P, ctx: ReconContext): SliceOutput | Promise<SliceOutput>;
  /** true when these parameters ask for the whole volume in one solve (reconstructVolume) */
  wantsVolume?(params: P): boolean;
  /** the whole volume in one call; ctx.progress reports the fraction of the volume done */
  reconstructVolume?(input: VolumeInput, params: P, ctx: ReconContext): VolumeOutput | Promise<VolumeOutput>;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}
