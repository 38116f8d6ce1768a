import { Menu, app, type BrowserWindow } from 'electron';

/** The application menu; commands go to the renderer, which owns the workflow. */
export function buildMenu(getWindow: () => BrowserWindow | null, openDialog: () => Promise<string | null>): Menu {
  const send = (command: string, arg?: string) => getWindow()?.webContents.send('app:menu', command, arg);
  return Menu.buildFromTemplate([
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Scan…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const path = await openDialog();
            if (path) send('open-path', path);
          },
        },
        { label: 'Open Demo Scan', click: () => send('open-demo') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Reconstruction',
      submenu: [
        { label: 'Run', accelerator: 'CmdOrCtrl+Enter', click: () => send('run') },
        { label: 'Cancel Jobs', accelerator: 'Escape', click: () => send('cancel') },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Reset View', accelerator: 'R', click: () => send('reset-view') },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'help', submenu: [{ label: 'About', click: () => app.showAboutPanel() }] },
  ]);
}
