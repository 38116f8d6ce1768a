/** Electron transport: the preload exposes one named function per request and an event subscription. */
import type { AnyEvent, Outcome, RequestName } from '../../src/contract/schemas';
import type { Transport } from './transport';

export interface PreloadBridge {
  requests: Record<RequestName, (params: unknown) => Promise<Outcome<unknown>>>;
  onEvent(listener: (ev: AnyEvent) => void): () => void;
}

declare global {
  interface Window {
    mriEngine?: PreloadBridge;
  }
}

export function ipcTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'electron',
    request: (method, params) => {
      const fn = bridge.requests[method];
      return fn
        ? fn(params)
        : Promise.resolve({ ok: false, error: { code: 'invalid_request', message: `unknown request ${method}` } });
    },
    onEvent: (l) => bridge.onEvent(l),
  };
}
