/**
 * The protocol between the engine and its training worker (train.worker.ts), one worker per job:
 *
 *   engine → worker   start { params, cancelFlag }   then   go
 *   worker → engine   ready { epochs, model } | error { stage: 'config' }     (the handshake)
 *                     event { event }* , then done { … } | error { stage: 'run' }
 *
 * The handshake lets train.start answer with a one-line error when the configuration is wrong, and
 * `go` (sent once the caller holds the job id) keeps every event after the response. Cancellation is a
 * shared Int32 flag the trainer polls between steps; it then checkpoints and ends with done.cancelled.
 */
import type { ParsedParams, TrainEventPayload } from '../contract/schemas';

export type TrainJobParams = ParsedParams<'train.start'>;

export type ToTrainWorker = { type: 'start'; params: TrainJobParams; cancelFlag: SharedArrayBuffer } | { type: 'go' };

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
