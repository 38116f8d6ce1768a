/** Remembers what was open last, so a relaunch reopens it (the demo opens on first launch). */
export type OpenParams = { demo: true } | { path: string };

const KEY = 'mri-recon.lastScan';

export function loadLastScan(): OpenParams | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && 'path' in v && typeof v.path === 'string' && v.path) return { path: v.path };
    if (v && typeof v === 'object' && 'demo' in v && v.demo === true) return { demo: true };
  } catch {
    // storage unavailable or corrupt: behave as a first launch
  }
  return null;
}

export function saveLastScan(p: OpenParams): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(p));
  } catch {
    // not fatal
  }
}
