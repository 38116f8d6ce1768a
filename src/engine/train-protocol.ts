/**
 * The protocol between the engine and its training worker (train.worker.ts), one worker per job:
 *
 *   engine → worker   start { params, flags }   then   go
 *   worker → engine   ready { epochs, model } | error { stage: 'config' }     (the handshake)
 *                     event { event }* , then done { … } | error { stage: 'run' }
 *
 * The handshake lets train.start answer with a one-line error when the configuration is wrong, and
 * `go` (sent once the caller holds the job id) keeps every event after the response. A worker busy in
 * its training loop reads no messages, so cancel and pause are shared Int32 flags (FLAG_CANCEL,
 * FLAG_PAUSE) the trainer polls between steps: cancelled, it checkpoints and ends with done.cancelled;
 * paused, it waits (still polling cancel) and reports the change as a 'paused' event.
 */
import type { ParsedParams, TrainEventPayload } from '../contract/schemas';

export type TrainJobParams = ParsedParams<'train.start'>;

/** slots of the shared Int32Array `flags` (non-zero = set) */
export const FLAG_CANCEL = 0;
export const FLAG_PAUSE = 1;
export const FLAG_COUNT = 2;

export type ToTrainWorker = { type: 'start'; params: TrainJobParams; flags: SharedArrayBuffer } | { type: 'go' };

export interface TrainOutcome {
  step: number;
  epoch: number;
  cancelled: boolean;
  modelPath: string | null;
  backend: string;
}

export type FromTrainWorker =
  | { type: 'ready'; epochs: number; model: string }
  | { type: 'event'; event: TrainEventPayload }
  | { type: 'done'; result: TrainOutcome }
  | { type: 'error'; stage: 'config' | 'run'; error: string; cancelled: boolean };
