/**
 * The small typed protocol between the job system and its worker threads:
 * `start | cancel` in, `progress | log | result | error` out, each carrying the task id. A task is one
 * slice, or (VolumeTask) the whole scan for methods that couple the slices; its progress is then the
 * fraction of the volume.
 * Cancellation also flips a shared Int32 flag, because a worker busy in a synchronous solver loop
 * cannot read its message queue until the slice is done.
 */
import type { MaskSpec, MethodSpec } from '../contract/schemas';

export interface SliceTask {
  path: string;
  slice: number;
  mask: MaskSpec;
  method: MethodSpec;
  imageShape: [number, number];
}

/** Every slice in one task, for methods whose result couples the slices (cs-tv with 3-D TV). */
export interface VolumeTask {
  path: string;
  volume: true;
  mask: MaskSpec;
  method: MethodSpec;
  imageShape: [number, number];
}

export type Task = SliceTask | VolumeTask;

export type ToWorker =
  { type: 'start'; taskId: number; task: Task; cancelFlag: SharedArrayBuffer } | { type: 'cancel'; taskId: number };

export interface SliceResult {
  /** magnitude cropped to imageShape */
  magnitude: Float32Array;
  /** coil-combined complex image, cropped like the magnitude, when the method has one */
  complex: Float32Array | null;
  info: Record<string, unknown>;
  ms: number;
}

/** A VolumeTask's result: per slice, cropped like SliceResult's */
export interface VolumeResult {
  magnitudes: Float32Array[];
  complex: (Float32Array | null)[];
  info: Record<string, unknown>;
  ms: number;
}

export type FromWorker =
  | { type: 'progress'; taskId: number; fraction: number; message: string }
  | { type: 'log'; taskId: number; message: string }
  | { type: 'result'; taskId: number; result: SliceResult | VolumeResult }
  | { type: 'error'; taskId: number; error: string; cancelled: boolean };
