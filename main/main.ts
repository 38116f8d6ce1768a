/**
 * Electron main process: owns the window, the menu and native dialogs, and hosts the engine, whose
 * jobs run in worker threads so the UI never waits on numerics. Everything else lives in src/.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, ENGINE_VERSION } from '../src/engine/engine';
import { registerEngineIpc, trustedUrlCheck } from './ipc';
import { buildMenu } from './menu';
import { APP_INDEX_URL, registerAppScheme, serveAppScheme } from './protocol';
import { loadSettings, saveSettings, type Settings } from './settings';
import { createMainWindow, hardenSession } from './window';

const here = dirname(fileURLToPath(import.meta.url)); // dist/main
const rendererDir = join(here, '..', 'renderer');
const indexUrl = APP_INDEX_URL;
const preloadPath = join(here, 'preload.cjs');
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  const engine = new Engine();

  const openDialog = async (): Promise<string | null> => {
    const options: Electron.OpenDialogOptions = {
      title: 'Open scan',
      properties: ['openFile'],
      filters: [
        { name: 'fastMRI / HDF5', extensions: ['h5', 'hdf5'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  };

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (ev, url) => {
      if (url !== indexUrl) ev.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    void engine.call('engine.info', {}).then((info) =>
      app.setAboutPanelOptions({
        applicationName: 'MRI Reconstruction Workstation',
        applicationVersion: ENGINE_VERSION,
        credits: `Compute backend: ${info.backend}\nWorker threads: ${info.threads}`,
      }),
    );
    hardenSession();
    serveAppScheme(rendererDir);
    const trusted = trustedUrlCheck(indexUrl);
    registerEngineIpc(ipcMain, engine, trusted, () => (win ? [win.webContents] : []));
    ipcMain.handle('app:open-dialog', (event) => (event.senderFrame && trusted(event.senderFrame.url) ? openDialog() : null));
    ipcMain.handle('app:choose-directory', async (event) => {
      if (!event.senderFrame || !trusted(event.senderFrame.url)) return null;
      const options: Electron.OpenDialogOptions = { title: 'Export to folder', properties: ['openDirectory', 'createDirectory'] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    });
    const settingsPath = join(app.getPath('userData'), 'settings.json');
    const settings: Settings = loadSettings(settingsPath);
    win = createMainWindow(indexUrl, preloadPath, settings.window);
    // window state is remembered at close, not on every move
    win.on('close', () => {
      if (!win) return;
      const b = win.getNormalBounds();
      settings.window = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
      void saveSettings(settingsPath, settings).catch(() => {});
    });
    win.on('closed', () => (win = null));
    Menu.setApplicationMenu(buildMenu(() => win, openDialog));
  });

  app.on('window-all-closed', () => {
    void engine.close().finally(() => app.quit());
  });
}
