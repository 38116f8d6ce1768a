import { createApi, type Transport } from './transport';
import { ipcTransport } from './ipc-transport';
import { connectWebSocket, socketUrlFromLocation } from './ws-transport';
import type { EngineApi } from '../../src/contract/schemas';

export interface Connection {
  api: EngineApi;
  transport: Transport;
}

/** Electron when the preload bridge is there, otherwise the server's WebSocket. */
export async function connect(): Promise<Connection> {
  if (window.mriEngine) {
    const transport = ipcTransport(window.mriEngine);
    return { api: createApi(transport), transport };
  }
  const url = socketUrlFromLocation(window.location);
  if (!url) throw new Error('this page was opened without its launch token: use the URL that `mri-recon serve` printed');
  const transport = await connectWebSocket(url);
  return { api: createApi(transport), transport };
}
