/** Shared end-to-end plumbing: engine + server in-process, headless Chromium, canvas inspection. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { Engine } from '../../src/engine/engine';
import { startServer, type RunningServer } from '../../src/server/server';

export const OUT_DIR = join(process.cwd(), 'test-output', 'e2e');

export interface App {
  engine: Engine;
  server: RunningServer;
  close(): Promise<void>;
}

export async function startApp(): Promise<App> {
  const engine = new Engine({ poolSize: 2, uploads: true }); // as `mri-recon serve` does
  const server = await startServer(engine, { port: 0 });
  return {
    engine,
    server,
    async close() {
      await server.close();
      await engine.close();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Harness {
  readonly app: App;
  readonly browser: Browser;
}

/**
 * The test file's app (engine + server in-process) and headless Chromium: started before its tests
 * (call it at the top level of the file), closed after them. Read `app` and `browser` inside hooks and tests.
 */
export function useHarness(): Harness {
  let app: App | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the e2e harness is not started: use it inside hooks and tests');
    return v;
  };
  return {
    get app() {
      return started(app);
    },
    get browser() {
      return started(browser);
    },
  };
}

export function screenshotPath(name: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  return join(OUT_DIR, `${name}.png`);
}

export interface CanvasStats {
  width: number;
  height: number;
  /** fraction of pixels brighter than near-black */
  nonBlack: number;
  /** cheap content hash, to see that a pane re-rendered */
  hash: number;
  /** mean of the red minus blue channel: > 0 for the 'hot' colour map */
  warmth: number;
}

/** Reads the cornerstone canvas inside a pane (the page's DOM typings are not in the Node test config). */
export async function canvasStats(page: Page, testId: string): Promise<CanvasStats | null> {
  return page.evaluate(`(() => {
    const c = document.querySelector('[data-testid="${testId}"] canvas');
    if (!c || !c.width || !c.height) return null;
    const ctx = c.getContext('2d');
    if (!ctx) return null;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let lit = 0, hash = 0, warm = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] + d[i + 1] + d[i + 2] > 30) lit++;
      warm += d[i] - d[i + 2];
      hash = (hash * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) | 0;
    }
    const n = d.length / 4;
    return { width: c.width, height: c.height, nonBlack: lit / n, hash, warmth: warm / n };
  })()`);
}

/** Polls until `fn` returns a truthy value (or throws the last failure after `timeoutMs`). */
export async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  let last: unknown = null;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Waits until a pane's canvas shows an image (enough non-black pixels). */
export function paneRendered(page: Page, testId: string, minFraction = 0.05): Promise<CanvasStats> {
  return until(async () => {
    const s = await canvasStats(page, testId);
    return s && s.nonBlack >= minFraction ? s : null;
  }, `${testId} to render`);
}

export async function volumePsnr(page: Page): Promise<number> {
  const text = await page.locator('[data-testid="metrics-volume"] td').nth(1).textContent();
  return Number(text);
}

export const tid = (id: string) => `[data-testid="${id}"]`;

/** A page that records page errors and console errors (the tests expect none). */
export async function newPage(browser: Browser, width = 1600, height = 1000): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height }, acceptDownloads: true });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

/**
 * A new page (see newPage) on the app, once its reference pane shows the demo scan. `beforeGoto`
 * prepares the page before it loads (e.g. a WebSocket route).
 */
export async function openWorkstation(
  h: Harness,
  beforeGoto?: (page: Page) => Promise<void>,
): Promise<{ page: Page; problems: string[] }> {
  const opened = await newPage(h.browser);
  await beforeGoto?.(opened.page);
  await opened.page.goto(h.app.server.url);
  await paneRendered(opened.page, 'pane-target');
  return opened;
}

/** Waits until no job of this page is starting or running. */
export function jobsIdle(page: Page, timeoutMs = 90_000): Promise<boolean> {
  return until(async () => (await page.locator(tid('progress')).count()) === 0, 'the jobs to finish', timeoutMs);
}

/** Sets a text field through React's onChange (fill = select all + type). */
export async function setField(page: Page, testId: string, value: string): Promise<void> {
  await page.locator(tid(testId)).fill(value);
}
