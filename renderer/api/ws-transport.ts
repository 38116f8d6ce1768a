/** WebSocket transport for server mode: binary frames (see src/contract/codec.ts), token from the page URL. */
import { packMessage, unpackMessage } from '../../src/contract/codec';
import type { AnyEvent, Outcome, RequestName } from '../../src/contract/schemas';
import type { WireMessage } from '../../src/contract/wire';
import type { Transport } from './transport';

export function connectWebSocket(url: string, timeoutMs = 10_000): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    const pending = new Map<number, (o: Outcome<unknown>) => void>();
    const listeners = new Set<(ev: AnyEvent) => void>();
    const closeListeners = new Set<() => void>();
    let nextId = 1;
    const timer = setTimeout(() => reject(new Error('could not reach the engine (timeout)')), timeoutMs);

    ws.onmessage = (m) => {
      let msg: WireMessage;
      try {
        msg = unpackMessage(new Uint8Array(m.data as ArrayBuffer)) as WireMessage;
      } catch {
        return;
      }
      if (msg.kind === 'response') {
        const done = pending.get(msg.id);
        pending.delete(msg.id);
        done?.(msg.ok ? { ok: true, value: msg.value } : { ok: false, error: msg.error });
      } else if (msg.kind === 'event') {
        const { kind: _k, ...ev } = msg;
        for (const l of listeners) l(ev as AnyEvent);
      }
    };
    ws.onclose = () => {
      for (const done of pending.values())
        done({ ok: false, error: { code: 'internal', message: 'connection to the engine was lost' } });
      pending.clear();
      for (const l of closeListeners) l();
    };
    ws.onerror = () => {
      clearTimeout(timer);
      reject(new Error('could not connect to the engine (is the token right?)'));
    };
    ws.onopen = () => {
      clearTimeout(timer);
      resolve({
        kind: 'websocket',
        request(method: RequestName, params: unknown) {
          return new Promise((res) => {
            if (ws.readyState !== WebSocket.OPEN) {
              res({ ok: false, error: { code: 'internal', message: 'not connected to the engine' } });
              return;
            }
            const id = nextId++;
            pending.set(id, res);
            ws.send(packMessage({ id, method, params }));
          });
        },
        onEvent(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        onClose(listener) {
          closeListeners.add(listener);
          return () => closeListeners.delete(listener);
        },
      });
    };
  });
}

/** The socket URL for the page we were served from, carrying its launch token. */
export function socketUrlFromLocation(loc: Location): string | null {
  const token = new URLSearchParams(loc.search).get('token');
  if (!token) return null;
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${loc.host}/ws?token=${encodeURIComponent(token)}`;
}
