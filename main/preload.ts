/**
 * The preload: exposes one named, task-level function per contract request and an event
 * subscription, never ipcRenderer itself. Runs sandboxed (CommonJS, no Node beyond Electron's
 * preload modules), so it imports only the zod-free request-name list.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { REQUEST_NAME_LIST } from '../src/contract/names';
import { IPC_EVENT, IPC_REQUEST } from '../src/contract/wire';

const requests: Record<string, (params: unknown) => Promise<unknown>> = {};
for (const name of REQUEST_NAME_LIST) {
  requests[name] = (params: unknown) => ipcRenderer.invoke(IPC_REQUEST, name, params);
}

contextBridge.exposeInMainWorld('mriEngine', {
  requests,
  onEvent(listener: (ev: unknown) => void) {
    const wrapped = (_e: IpcRendererEvent, ev: unknown) => listener(ev);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
});

contextBridge.exposeInMainWorld('mriApp', {
  openFileDialog: (): Promise<string | null> => ipcRenderer.invoke('app:open-dialog'),
  chooseDirectory: (): Promise<string | null> => ipcRenderer.invoke('app:choose-directory'),
  /** the path of a file dropped on the window (Electron knows it; a browser never does) */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
  onMenuCommand(listener: (command: string, arg?: string) => void) {
    const wrapped = (_e: IpcRendererEvent, command: string, arg?: string) => listener(command, arg);
    ipcRenderer.on('app:menu', wrapped);
    return () => ipcRenderer.removeListener('app:menu', wrapped);
  },
});
