/**
 * Desktop-only abilities the preload adds beside the engine contract (native dialogs, paths of dropped
 * files, menu commands). Absent in server mode: every caller must handle `undefined`.
 */
export interface AppBridge {
  openFileDialog(): Promise<string | null>;
  chooseDirectory(): Promise<string | null>;
  pathForFile(file: File): string;
  onMenuCommand(listener: (command: string, arg?: string) => void): () => void;
}

declare global {
  interface Window {
    mriApp?: AppBridge;
  }
}

export function appBridge(): AppBridge | undefined {
  return window.mriApp;
}
