/**
 * What crosses a transport. Requests carry an id; the engine answers with a response of the same id;
 * job events flow the other way unprompted. Shared by the WebSocket server, Electron IPC and the
 * renderer's clients.
 */
import type { AnyEvent, EngineError } from './schemas';

export type WireRequest = { id: number; method: string; params: unknown };
export type WireResponse = { kind: 'response'; id: number } & ({ ok: true; value: unknown } | { ok: false; error: EngineError });
export type WireEvent = { kind: 'event' } & AnyEvent;
export type WireMessage = WireResponse | WireEvent;

/** Electron IPC channel names (main ↔ preload). */
export const IPC_REQUEST = 'engine:request';
export const IPC_EVENT = 'engine:event';
