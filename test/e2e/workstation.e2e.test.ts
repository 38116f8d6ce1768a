/**
 * The first end-to-end slice: launch → demo opens → run zero-filled → three linked panes and metrics →
 * 8× re-run → slices → cancel → bad paths; and a page opened without its token.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { unpackMessage } from '../../src/contract/codec';
import { canvasStats, launchChromium, paneRendered, screenshotPath, startApp, until, volumePsnr, type App } from './helpers';

let app: App;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function newPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 980 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

const tid = (id: string) => `[data-testid="${id}"]`;

async function runAndWait(page: Page): Promise<void> {
  const run = page.locator(tid('run-button'));
  await run.click();
  // the job ends when the run button is usable again and no progress is shown
  await until(
    async () => (await run.isEnabled()) && (await page.locator(tid('progress')).count()) === 0,
    'the job to finish',
    60_000,
  );
}

describe('workstation (server mode)', () => {
  test('demo → reconstruct → compare → re-run → slices → cancel → bad path', async () => {
    const { page, problems } = await newPage();
    await page.goto(app.server.url);

    // the demo opens by itself and the ground truth shows
    await page.getByText('colin27_demo.h5').first().waitFor({ timeout: 30_000 });
    await paneRendered(page, 'pane-target');
    await expect(page.locator(tid('mask-type')).inputValue()).resolves.toBe('random');
    await until(async () => ((await page.locator(tid('mask-stats')).textContent()) ?? '').includes('×'), 'the mask preview');

    // zero-filled at 4×
    await runAndWait(page);
    await page.locator(tid('metrics-table')).waitFor();
    const psnr4 = await volumePsnr(page);
    expect(psnr4).toBeGreaterThan(17);
    expect(psnr4).toBeLessThan(26);
    const rows = await page.locator(`${tid('metrics-table')} tbody tr`).count();
    expect(rows).toBe(1 + 6); // volume + 6 slices
    expect(await page.locator(`${tid('metrics-table')} tr.current`).count()).toBe(1);
    const target = await paneRendered(page, 'pane-target');
    await paneRendered(page, 'pane-recon');

    const error = await paneRendered(page, 'pane-error', 0.01);
    expect(target.width).toBeGreaterThan(100);
    expect(error.warmth).toBeGreaterThan(0); // 'hot' colour map: red over blue
    expect(await page.locator(`${tid('pane-recon')} .overlay-tr`).textContent()).toMatch(/PSNR \d+\.\d+ dB/);
    await page.screenshot({ path: screenshotPath('01-zf-4x') });

    // invalid values are named inline and never reach the engine
    await page.locator(tid('mask-accel')).fill('abc');
    await expect(page.locator(tid('field-error')).first().textContent()).resolves.toMatch(/Acceleration/);
    expect(await page.locator(tid('run-button')).isDisabled()).toBe(true);
    await page.locator(tid('mask-center')).fill('1.5');
    await until(
      async () => (await page.locator(tid('field-error')).allTextContents()).join(' ').includes('Centre fraction'),
      'centre fraction message',
    );
    await page.screenshot({ path: screenshotPath('02-invalid-mask') });
    await page.locator(tid('mask-center')).fill('0.08');

    // 8×: worse metrics
    await page.locator(tid('mask-accel')).fill('8');
    expect(await page.locator(tid('field-error')).count()).toBe(0);
    await runAndWait(page);
    await until(async () => (await volumePsnr(page)) !== psnr4, 'metrics to change');
    const psnr8 = await volumePsnr(page);
    expect(psnr8).toBeLessThan(psnr4);
    await paneRendered(page, 'pane-recon');
    expect(await page.locator(`${tid('history')} tbody tr`).count()).toBe(2);

    // slices: slider, wheel; all panes follow and the table highlights the slice
    const before = await canvasStats(page, 'pane-recon');
    const readout = page.locator(tid('slice-readout'));
    const startText = await readout.textContent();
    await page.locator(tid('slice-slider')).focus();
    await page.keyboard.press('ArrowLeft');
    await until(async () => (await readout.textContent()) !== startText, 'the slider to move');
    expect(await readout.textContent()).toBe('3 / 6');
    await until(
      async () => (await canvasStats(page, 'pane-recon'))?.hash !== before?.hash,
      'the recon pane to show the new slice',
    );
    expect(await page.locator(`${tid('metrics-table')} tr.current`).getAttribute('data-slice')).toBe('2');
    const box = (await page.locator(tid('pane-target')).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 100);
    await until(async () => (await readout.textContent()) === '4 / 6', 'the wheel to scroll');

    // linked window/level (greyscale panes) and zoom (all panes)
    const wl = async (id: string) => (await page.locator(`${tid(id)} .overlay-bl`).textContent()) ?? '';
    const wlBefore = [await wl('pane-target'), await wl('pane-recon'), await wl('pane-error')];
    await page.mouse.down({ button: 'left' });
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 30, { steps: 4 });
    await page.mouse.up({ button: 'left' });
    const wlAfter = [await wl('pane-target'), await wl('pane-recon'), await wl('pane-error')];
    expect(wlAfter[0]).not.toBe(wlBefore[0]);
    expect(wlAfter[1]).toBe(wlAfter[0]); // linked
    expect(wlAfter[2]).toBe(wlBefore[2]); // error map keeps its own window
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 80, { steps: 4 });
    await page.mouse.up({ button: 'right' });
    const zoomText = async (id: string) => (await page.locator(`${tid(id)} .overlay-br`).textContent()) ?? '';
    expect(await zoomText('pane-error')).toMatch(/zoom 1[5-9]\d%|zoom [2-9]\d\d%/);
    expect(await zoomText('pane-recon')).toBe(await zoomText('pane-error'));
    await page.screenshot({ path: screenshotPath('03-linked-zoom-wl') });
    await page.keyboard.press('r');
    await until(async () => (await zoomText('pane-recon')).includes('zoom 100%'), 'reset');

    // cancel: zf on the demo may finish first; either way the UI settles without an error
    await page.locator(tid('mask-seed')).fill('7'); // a new combination: not served from the cache
    await page.locator(tid('run-button')).click();
    const cancel = page.locator(tid('cancel-button'));
    try {
      await cancel.waitFor({ timeout: 5_000 });
      await until(async () => (await cancel.count()) === 0 || (await cancel.isEnabled()), 'cancel to be possible', 5_000);
      if (await cancel.count()) await cancel.click({ timeout: 2_000 });
    } catch {
      // the job finished before Cancel could be clicked
    }
    await until(async () => (await page.locator(tid('progress')).count()) === 0, 'the job to settle');
    expect(await page.locator(`${tid('error-message')}[data-area="run"]`).count()).toBe(0);
    expect(await page.locator(tid('run-button')).isEnabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('04-after-cancel') });

    // a missing path and a non-HDF5 file: an in-place error, the session goes on
    await page.locator(tid('open-path')).fill('/definitely/not/here.h5');
    await page.locator(tid('open-button')).click();
    const openError = page.locator(`${tid('error-message')}[data-area="open"]`);
    await openError.waitFor();
    expect(await openError.textContent()).toMatch(/Could not open/);
    const junk = join(mkdtempSync(join(tmpdir(), 'mri-e2e-')), 'junk.h5');
    writeFileSync(junk, 'this is not an HDF5 file\n'.repeat(100));
    await page.locator(tid('open-path')).fill(junk);
    await page.locator(tid('open-button')).click();
    await until(async () => ((await openError.textContent()) ?? '').includes('junk.h5'), 'the non-HDF5 error');
    await page.screenshot({ path: screenshotPath('05-bad-path') });
    expect(await page.getByText('colin27_demo.h5').count()).toBeGreaterThan(0); // still the demo
    await page.locator(tid('mask-seed')).fill('42');
    await page.locator(tid('mask-accel')).fill('4');
    await runAndWait(page);
    await until(async () => (await volumePsnr(page)) === psnr4, 'the 4× result again (cached)');
    await paneRendered(page, 'pane-recon');

    expect(problems).toEqual([]);
    await page.close();
  });

  test('progress and a late cancel, with the job result held back on the wire', async () => {
    // zf on the demo ends in well under a second, so hold job.result frames in a WebSocket route:
    // the progress bar stays up (screenshot) and Cancel reaches an engine whose job has already ended.
    const { page, problems } = await newPage();
    let hold = true;
    await page.routeWebSocket(/\/ws\?token=/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => {
        if (typeof m !== 'string' && hold) {
          const msg = unpackMessage(new Uint8Array(m)) as { kind?: string; event?: string };
          if (msg.kind === 'event' && msg.event === 'job.result') {
            setTimeout(() => ws.send(m), 2_500);
            return;
          }
        }
        ws.send(m);
      });
    });
    await page.goto(app.server.url);
    await paneRendered(page, 'pane-target');
    await page.locator(tid('mask-seed')).fill('99');
    await page.locator(tid('run-button')).click();
    const progress = page.locator(tid('progress'));
    await progress.waitFor();
    await until(
      async () => Number(await progress.locator('[role="progressbar"]').getAttribute('aria-valuenow')) === 100,
      'progress to reach 100 %',
    );
    expect(await progress.textContent()).toMatch(/elapsed .* remaining/);
    await page.screenshot({ path: screenshotPath('07-progress') });
    await page.locator(tid('cancel-button')).click();
    const info = page.locator(`${tid('info-message')}[data-area="run"]`);
    await info.waitFor();
    expect(await info.textContent()).toMatch(/finished before/);
    await page.locator(tid('metrics-table')).waitFor();
    await paneRendered(page, 'pane-recon');
    hold = false;
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a page opened without its token explains itself', async () => {
    const { page, problems } = await newPage();
    await page.goto(app.server.url.replace(/\?token=.*$/, ''));
    const msg = page.locator(tid('error-message'));
    await msg.waitFor({ timeout: 15_000 });
    expect(await msg.textContent()).toMatch(/token/);
    await page.screenshot({ path: screenshotPath('06-no-token') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
