/**
 * The one place Electron is mocked: an ipcMain that records handlers, and a fake sender frame, so the
 * IPC adapter runs in plain Node. Payloads pass through structuredClone as Electron's IPC would.
 */
import type { IpcMainLike, WebContentsLike } from '../../main/ipc';

export function createFakeElectronIpc() {
  const handlers = new Map<string, (event: never, ...args: unknown[]) => unknown>();
  const rendererListeners = new Map<string, ((payload: unknown) => void)[]>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener as never);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  const webContents: WebContentsLike = {
    send(channel, payload) {
      for (const l of rendererListeners.get(channel) ?? []) l(structuredClone(payload));
    },
    isDestroyed: () => false,
  };
  return {
    ipcMain,
    webContents,
    handlerCount: () => handlers.size,
    onRendererEvent(channel: string, l: (payload: unknown) => void) {
      rendererListeners.set(channel, [...(rendererListeners.get(channel) ?? []), l]);
    },
    async invoke(frameUrl: string, channel: string, ...args: unknown[]) {
      const last = args[args.length - 1] as { subframe?: boolean } | undefined;
      const subframe = typeof last === 'object' && last !== null && 'subframe' in last;
      if (subframe) args.pop();
      const h = handlers.get(channel);
      if (!h) throw new Error(`no handler for ${channel}`);
      const event = { senderFrame: { url: frameUrl, parent: subframe ? {} : null } };
      return structuredClone(await h(event as never, ...args.map((a) => structuredClone(a))));
    },
  };
}
