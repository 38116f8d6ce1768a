/**
 * Serves the bundled renderer under app://renderer/ instead of file://, so the page has a real origin:
 * 'self' in the CSP means exactly our files, module scripts load without file:// privileges, and the
 * IPC sender check can match one origin. Paths cannot climb out of the renderer folder.
 */
import { net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../src/security/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Maps app://renderer/<path> to a file inside rendererDir, or null for anything else. */
export function resolveAppUrl(url: string, rendererDir: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  const rel = normalize(decodeURIComponent(u.pathname)).replace(/^([/\\])+/, '');
  const file = join(rendererDir, rel || 'index.html');
  return file.startsWith(rendererDir + sep) ? file : null;
}

export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppUrl(request.url, rendererDir);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy());
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}
