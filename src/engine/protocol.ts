/**
 * The small typed protocol between the job system and its worker threads:
 * `start | cancel` in, `progress | log | result | error` out, each carrying the task id.
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

export type ToWorker =
  { type: 'start'; taskId: number; task: SliceTask; cancelFlag: SharedArrayBuffer } | { type: 'cancel'; taskId: number };

export interface SliceResult {
  /** magnitude cropped to imageShape */
  magnitude: Float32Array;
  /** coil-combined complex image, cropped like the magnitude, when the method has one */
  complex: Float32Array | null;
  info: Record<string, unknown>;
  ms: number;
}

export type FromWorker =
  | { type: 'progress'; taskId: number; fraction: number; message: string }
  | { type: 'log'; taskId: number; message: string }
  | { type: 'result'; taskId: number; result: SliceResult }
  | { type: 'error'; taskId: number; error: string; cancelled: boolean };
