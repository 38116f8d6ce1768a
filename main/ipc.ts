/**
 * Registers the engine contract on Electron's ipcMain. Only our own window's top frame may call it;
 * everything else is answered with `unauthorized`. Validation of the payload happens in the engine,
 * at the one entrance every transport shares. Electron is injected so this can be tested without it.
 */
import type { AnyEvent, Outcome } from '../src/contract/schemas';
import { IPC_EVENT, IPC_REQUEST } from '../src/contract/wire';

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}
export interface IpcInvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}
export interface EngineLike {
  request(method: string, params: unknown): Promise<Outcome<unknown>>;
  subscribe(listener: (ev: AnyEvent) => void): () => void;
}
export interface WebContentsLike {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

export function registerEngineIpc(
  ipcMain: IpcMainLike,
  engine: EngineLike,
  isTrustedUrl: (url: string) => boolean,
  targets: () => WebContentsLike[],
): () => void {
  ipcMain.handle(IPC_REQUEST, async (event, method, params) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isTrustedUrl(frame.url)) {
      return { ok: false, error: { code: 'unauthorized', message: 'request from an untrusted frame' } } satisfies Outcome<never>;
    }
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'invalid_request', message: 'request name must be a string' } } satisfies Outcome<never>;
    }
    return engine.request(method, params);
  });
  const unsubscribe = engine.subscribe((ev) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(IPC_EVENT, ev);
  });
  return () => {
    ipcMain.removeHandler(IPC_REQUEST);
    unsubscribe();
  };
}

/** True for pages of the bundled renderer (same scheme and host, under its folder) and nothing else. */
export function trustedUrlCheck(rendererIndexUrl: string): (url: string) => boolean {
  // URL parsing resolves '..' segments, so a path climbing out of the folder no longer has the prefix
  const strip = (u: URL) => `${u.protocol}//${u.host}${u.pathname}`;
  const indexUrl = new URL(rendererIndexUrl);
  const index = strip(indexUrl);
  const base = index.slice(0, index.lastIndexOf('/') + 1);
  return (url) => {
    try {
      const u = new URL(url);
      return u.protocol === indexUrl.protocol && u.host === indexUrl.host && strip(u).startsWith(base);
    } catch {
      return false;
    }
  };
}
