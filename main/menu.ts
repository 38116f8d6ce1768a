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
        { label: 'Cancel Jobs', click: () => send('cancel') },
      ],
    },
    {
      label: 'View',
      submenu: [
        // single-key shortcuts (r, e, f, ?, Escape) live in the renderer: as menu accelerators they would
        // swallow those keys while the user types in a text field
        { label: 'Reset View (R)', click: () => send('reset-view') },
        { label: 'Toggle Error Maps (E)', click: () => send('toggle-error-maps') },
        { label: 'Full Screen Pane (F)', click: () => send('fullscreen-pane') },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Keyboard Shortcuts (?)', click: () => send('help') },
        { label: 'About', click: () => app.showAboutPanel() },
      ],
    },
  ]);
}
