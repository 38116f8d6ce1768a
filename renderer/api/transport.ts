/**
 * The renderer's side of the contract. A Transport moves requests and events; `createApi` turns it
 * into the typed, task-level EngineApi the UI calls. Two transports exist: Electron IPC (through the
 * preload's `window.mriEngine`) and WebSocket (server mode). The UI never knows which one it has.
 */
import type { AnyEvent, EngineApi, EngineError, Outcome, RequestName } from '../../src/contract/schemas';
import { REQUEST_NAME_LIST } from '../../src/contract/names';

export interface Transport {
  request(method: RequestName, params: unknown): Promise<Outcome<unknown>>;
  onEvent(listener: (ev: AnyEvent) => void): () => void;
  /** the connection to the engine was lost (WebSocket closed); absent where it cannot happen */
  onClose?(listener: () => void): () => void;
  readonly kind: 'electron' | 'websocket';
}

export class EngineRequestError extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
    this.name = 'EngineRequestError';
  }
}

export function createApi(transport: Transport): EngineApi {
  const api = {} as Record<string, (p: unknown) => Promise<unknown>>;
  for (const name of REQUEST_NAME_LIST) {
    api[name] = async (params: unknown) => {
      const out = await transport.request(name, params ?? {});
      if (!out.ok) throw new EngineRequestError(out.error);
      return out.value;
    };
  }
  return api as unknown as EngineApi;
}
