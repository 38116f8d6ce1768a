/**
 * The main window, locked down: context isolation, sandbox, no Node in the renderer, a strict CSP on
 * every response, navigation and new windows denied, permission requests refused.
 */
import { BrowserWindow, session, shell } from 'electron';
import { contentSecurityPolicy } from '../src/security/csp';

export function secureWebPreferences(preloadPath: string): Electron.WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export function createMainWindow(indexUrl: string, preloadPath: string, state?: WindowState): BrowserWindow {
  const win = new BrowserWindow({
    x: state?.x,
    y: state?.y,
    width: state?.width ?? 1500,
    height: state?.height ?? 950,
    minWidth: 900,
    minHeight: 600,
    backgroundColor: '#101214',
    title: 'MRI Reconstruction Workstation',
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (url !== indexUrl) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // links to documentation open in the user's browser; nothing opens inside the app
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.once('ready-to-show', () => {
    if (state?.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(indexUrl);
  return win;
}
