/** Remembers what was open last (a relaunch reopens it; the demo opens on first launch) and the recent files. */
export type OpenParams = { demo: true } | { path: string };

const KEY = 'mri-recon.lastScan';
const RECENT = 'mri-recon.recent';
const MAX_RECENT = 8;

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

export function loadRecent(): string[] {
  try {
    const v = JSON.parse(window.localStorage.getItem(RECENT) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0).slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

/** Moves `path` to the front of the recent list; returns the new list. */
export function pushRecent(list: readonly string[], path: string): string[] {
  const next = [path, ...list.filter((p) => p !== path)].slice(0, MAX_RECENT);
  try {
    window.localStorage.setItem(RECENT, JSON.stringify(next));
  } catch {
    // not fatal
  }
  return next;
}

export function clearRecent(): void {
  try {
    window.localStorage.removeItem(RECENT);
  } catch {
    // not fatal
  }
}
