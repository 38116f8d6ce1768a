/**
 * Opening things, and things going wrong: a dropped file is uploaded (server mode) and opened; a
 * dropped junk file, a missing path and a non-HDF5 path leave an in-place message and the session
 * intact; the recent-files list; a late cancel (job result held back on the wire); a page opened
 * without its token; the engine going away.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { unpackMessage } from '../../src/contract/codec';
import { jobsIdle, newPage, openWorkstation, paneRendered, screenshotPath, setField, tid, until, useHarness } from './helpers';

const h = useHarness();

/** Drops a file (bytes from this process) onto the page, as a file manager would. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    async ([n, b64]) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], n));
      const target = document.querySelector('main') ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop'])
        target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [name, bytes.toString('base64')] as const,
  );
}

describe('study browser and failures (server mode)', () => {
  test('drop to upload and open; bad files and paths fail in place; recent files', async () => {
    const { page, problems } = await openWorkstation(h);
    const openError = page.locator(`${tid('error-message')}[data-area="open"]`);

    // a junk file dropped: uploaded, refused by the reader, the demo stays open
    await dropFile(page, 'junk.h5', Buffer.from('this is not an HDF5 file\n'.repeat(100)));
    await openError.waitFor();
    expect(await openError.textContent()).toMatch(/junk\.h5/);
    expect(await page.locator(tid('scan-facts')).textContent()).toMatch(/colin27_demo\.h5/);
    await page.screenshot({ path: screenshotPath('20-dropped-junk') });

    // a missing path
    await setField(page, 'open-path', '/definitely/not/here.h5');
    await page.locator(tid('open-button')).click();
    await until(
      async () => ((await openError.textContent()) ?? '').includes('/definitely/not/here.h5'),
      'the missing-path message',
    );

    // a real scan dropped: uploaded and opened under its own name; it joins the recent list
    const before = await page.locator(tid('pane-target')).getAttribute('data-image-id');
    await dropFile(page, 'colin27_demo.h5', readFileSync(join(process.cwd(), 'assets', 'demo', 'colin27_demo.h5')));
    await until(
      async () => (await page.locator(tid('pane-target')).getAttribute('data-image-id')) !== before,
      'the uploaded scan to show',
      60_000,
    );
    expect(await openError.count()).toBe(0);
    expect(await page.locator(tid('recent-list')).textContent()).toMatch(/colin27_demo\.h5/);
    expect(await page.locator(tid('scan-facts')).textContent()).toMatch(/fastMRI/);
    await page.screenshot({ path: screenshotPath('21-uploaded') });

    // the demo is one click away; a run on it still works after all that
    await page.locator(tid('open-demo')).click();
    await until(async () => (await page.locator(tid('pane-target')).getAttribute('data-image-id')) === before, 'the demo again');
    await page.locator(tid('run-zf')).click();
    await jobsIdle(page);
    await paneRendered(page, 'pane-recon-zf');
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a late cancel: the job result held back on the wire', async () => {
    // zf on the demo ends in well under a second, so hold job.result frames in a WebSocket route:
    // the progress bar stays up (screenshot) and Cancel reaches an engine whose job has already ended.
    let hold = true;
    const { page, problems } = await openWorkstation(h, (p) =>
      p.routeWebSocket(/\/ws\?token=/, (ws) => {
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
      }),
    );
    await setField(page, 'mask-seed', '99');
    await page.locator(tid('run-zf')).click();
    const progress = page.locator(tid('progress'));
    await progress.waitFor();
    await until(
      async () => Number(await progress.locator('[role="progressbar"]').getAttribute('aria-valuenow')) === 100,
      'progress to reach 100 %',
    );
    await page.screenshot({ path: screenshotPath('22-progress') });
    await progress.locator(tid('cancel-button')).click();
    const info = page.locator(`${tid('info-message')}[data-area="run"]`);
    await info.waitFor();
    expect(await info.textContent()).toMatch(/finished before/);
    await paneRendered(page, 'pane-recon-zf');
    hold = false;
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a page opened without its token explains itself', async () => {
    const { page, problems } = await newPage(h.browser);
    await page.goto(h.app.server.url.replace(/\?token=.*$/, ''));
    const msg = page.locator(tid('error-message'));
    await msg.waitFor({ timeout: 15_000 });
    expect(await msg.textContent()).toMatch(/token/);
    await page.screenshot({ path: screenshotPath('23-no-token') });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the engine goes away: a banner says so', async () => {
    const { page } = await openWorkstation(h, (p) =>
      p.routeWebSocket(/\/ws\?token=/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((m) => server.send(m));
        server.onMessage((m) => ws.send(m));
        setTimeout(() => ws.close(), 4_000);
      }),
    );
    await page.locator(tid('connection-lost')).waitFor({ timeout: 15_000 });
    expect(await page.locator(tid('run-all')).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('24-connection-lost') });
    await page.close();
  });
});
