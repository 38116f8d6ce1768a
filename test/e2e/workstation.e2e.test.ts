/**
 * The workstation end to end (server mode, headless Chromium, the demo's 6 slices): mask panel →
 * run all methods → every pane and the metrics table → cached re-run → linked views and keyboard
 * shortcuts → ROI / profile / magnifier → k-space and phase views → cancel a CS job → λ sweep and
 * plots → sortable metrics and CSV → DICOM export (files on disk) and the comparison figure → header
 * browser → hand-edited, saved and reloaded mask. One page, in order; each step saves a screenshot.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  canvasStats,
  jobsIdle,
  openWorkstation,
  paneRendered,
  screenshotPath,
  setField,
  tid,
  until,
  useHarness,
} from './helpers';

const h = useHarness();
let page: Page;
let problems: string[];
const tmp = mkdtempSync(join(tmpdir(), 'mri-e2e-ws-'));
const CS = ['cs-tv', 'cs-wavelet'] as const;

beforeAll(async () => {
  ({ page, problems } = await openWorkstation(h));
  await page.getByText('colin27_demo.h5').first().waitFor({ timeout: 30_000 });
});

const text = async (sel: string) => (await page.locator(sel).first().textContent()) ?? '';
const visiblePanes = () => page.locator('figure.pane:not([hidden])').count();

async function drag(testId: string, from: [number, number], to: [number, number], button: 'left' | 'right' = 'left') {
  const box = (await page.locator(`${tid(testId)} .pane-image`).boundingBox())!;
  await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await page.mouse.down({ button });
  await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 5 });
  await page.mouse.up({ button });
}

describe.sequential('workstation (server mode)', () => {
  test('the demo opens; the mask panel previews every change; bad parameters are refused in place', async () => {
    expect(await text(tid('scan-format'))).toMatch(/fastMRI/);
    expect(await page.locator(`${tid('mask-type')} option`).count()).toBeGreaterThanOrEqual(8);
    await until(async () => (await text(tid('mask-effective'))).includes('×'), 'the mask preview');
    const r4 = await text(tid('mask-effective'));
    await page.locator(tid('mask-type')).selectOption('equispaced');
    await setField(page, 'mask-accel', '8');
    await until(async () => (await text(tid('mask-effective'))) !== r4, 'the preview to follow the form');
    expect(await text(tid('mask-stats'))).toMatch(/1-D lines/);
    await page.screenshot({ path: screenshotPath('01-mask-equispaced-8x') });
    await page.locator(tid('mask-type')).selectOption('poisson2d');
    await page.locator(tid('mask-accel-y')).waitFor();
    await until(async () => (await text(tid('mask-stats'))).includes('2-D points'), 'a 2-D mask');
    await page.screenshot({ path: screenshotPath('02-mask-poisson2d') });
    await page.locator(tid('mask-type')).selectOption('random');
    await setField(page, 'mask-accel', '4');
    await until(async () => (await text(tid('mask-effective'))) === r4, 'the 4× mask again');

    // a parameter out of range: named in place, that method cannot run
    await setField(page, 'param-cs-tv-iterations', '0');
    expect(await text(`${tid('field-error')}[data-field="cs-tv.iterations"]`)).toMatch(/Iterations must be ≥ 1/);
    expect(await page.locator(tid('run-cs-tv')).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('03-bad-parameter') });
  });

  test('run all: every method gets a pane, an error map and metrics; a failing method shows its error in place', async () => {
    for (const m of CS) {
      await setField(page, `param-${m}-iterations`, '3');
      await page.locator(tid(`param-${m}-maps`)).selectOption('lowres');
    }
    expect(await page.locator(tid('field-error')).count()).toBe(0);
    await page.locator(tid('run-all')).click();
    await page.locator(tid('progress')).first().waitFor();
    await jobsIdle(page);
    const done = await page
      .locator(`${tid('job-list')} li[data-state="done"]`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-method')));
    expect(done).toEqual(expect.arrayContaining(['zf', 'cs-tv', 'cs-wavelet']));
    for (const m of ['zf', ...CS]) {
      await paneRendered(page, `pane-recon-${m}`);
      const err = await paneRendered(page, `pane-error-${m}`, 0.01);
      expect(err.warmth).toBeGreaterThan(0); // 'hot' colour map
      expect(await text(`${tid(`pane-recon-${m}`)} .overlay-tr`)).toMatch(/PSNR \d+\.\d+ dB.*SSIM 0\.\d+/);
    }
    expect(await page.locator(`${tid('pane-error-zf')} ${tid('scalebar')}`).count()).toBe(1);
    // the U-Net either ran or failed with its message in the job queue (the model may not be bundled)
    const unet = page.locator(`${tid('job-list')} li[data-method="unet"]`);
    if ((await unet.getAttribute('data-state')) === 'failed')
      expect(await unet.locator(tid('job-error')).textContent()).toBeTruthy();
    else await paneRendered(page, 'pane-recon-unet');
    const rows = await page.locator(tid('metrics-volume')).count();
    expect(rows).toBe(done.length);
    const psnrs = await page.locator(`${tid('metrics-volume')} td:nth-child(4)`).allTextContents();
    for (const p of psnrs) expect(Number(p)).toBeGreaterThan(15);
    await page.screenshot({ path: screenshotPath('04-run-all') });

    // the same (scan, mask, method, params) again: served from the engine's cache
    const before = await page.locator(`${tid('job-list')} li`).count();
    await page.locator(tid('run-zf')).click();
    await until(async () => (await page.locator(`${tid('job-list')} li`).count()) > before, 'the re-run to be listed');
    await jobsIdle(page);
    expect(
      await page
        .locator(`${tid('job-list')} li`)
        .first()
        .textContent(),
    ).toMatch(/cached/);
  });

  test('linked slices, window and zoom; keyboard shortcuts; full screen; help', async () => {
    const readout = page.locator(tid('slice-readout'));
    expect(await readout.textContent()).toBe('4 / 6');
    await page.locator(tid('pane-recon-zf')).locator('.pane-image').focus();
    await page.keyboard.press('ArrowDown');
    await until(async () => (await readout.textContent()) === '5 / 6', 'ArrowDown');
    await until(
      async () =>
        await page
          .locator('figure.pane[data-image-id]')
          .evaluateAll((els) =>
            els.every((e) => !e.getAttribute('data-image-id') || e.getAttribute('data-image-id')!.includes('/4/')),
          ),
      'every pane to show slice 5',
    );
    await page.keyboard.press('PageUp');
    await until(async () => (await readout.textContent()) === '4 / 6', 'PageUp');
    await page.locator(tid('slice-slider')).focus(); // arrow keys on the slider move it too (one step)
    await page.locator('body').click({ position: { x: 5, y: 500 } });

    // window/level on the reference applies to every greyscale pane, not to error maps
    const wl = async (id: string) => text(`${tid(id)} .overlay-bl .wl`);
    const errBefore = await wl('pane-error-zf');
    await drag('pane-target', [0.5, 0.5], [0.6, 0.55]);
    expect(await wl('pane-recon-cs-tv')).toBe(await wl('pane-target'));
    expect(await wl('pane-error-zf')).toBe(errBefore);
    await drag('pane-target', [0.5, 0.5], [0.5, 0.3], 'right');
    await until(
      async () => /zoom 1[5-9]\d%|zoom [2-9]\d\d%/.test(await text(`${tid('pane-error-cs-tv')} .overlay-br`)),
      'linked zoom',
    );
    await page.screenshot({ path: screenshotPath('05-linked-zoom-wl') });
    await page.keyboard.press('r');
    await until(async () => (await text(`${tid('pane-recon-zf')} .overlay-br`)).includes('zoom 100%'), 'r resets');

    // window presets
    const wlReset = await wl('pane-target');
    await page.locator(tid('window-preset')).selectOption('full');
    await until(async () => (await wl('pane-target')) !== wlReset, 'the full-range preset');
    await page.locator(tid('window-preset')).selectOption('tissue');

    // e: error maps off and on
    const all = await visiblePanes();
    await page.keyboard.press('e');
    await until(async () => (await page.locator(tid('pane-error-zf')).count()) === 0, 'error maps hidden');
    await page.keyboard.press('e');
    await paneRendered(page, 'pane-error-zf', 0.01);

    // f / Escape / double-click: one pane full screen and back
    await page.locator(tid('pane-recon-cs-tv')).locator('.pane-image').focus();
    await page.keyboard.press('f');
    await until(async () => (await visiblePanes()) === 1, 'full screen');
    expect(await page.locator(tid('pane-recon-cs-tv')).isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath('06-fullscreen') });
    await page.keyboard.press('Escape');
    await until(async () => (await visiblePanes()) === all, 'Escape restores');
    await page.locator(`${tid('pane-target')} .pane-image`).dblclick();
    await until(async () => (await visiblePanes()) === 1, 'double-click');
    await page.locator(tid('pane-target-max')).click();
    await until(async () => (await visiblePanes()) === all, 'the restore button');

    // ? help, Escape closes it
    await page.keyboard.press('?');
    await page.locator(tid('help')).waitFor();
    expect(await page.locator(tid('help')).textContent()).toMatch(/Ctrl\+Enter.*run all/);
    await page.screenshot({ path: screenshotPath('07-help') });
    await page.keyboard.press('Escape');
    await until(async () => (await page.locator(tid('help')).count()) === 0, 'help closed');

    // Ctrl+Enter runs all (cached now)
    const before = await page.locator(`${tid('job-list')} li`).count();
    await page.keyboard.press('Control+Enter');
    await until(async () => (await page.locator(`${tid('job-list')} li`).count()) > before, 'Ctrl+Enter');
    await jobsIdle(page);
  });

  test('ROI statistics and a line profile across every pane; magnifier; pixel readout', async () => {
    await page.locator(tid('tool-roi')).click();
    await drag('pane-target', [0.4, 0.4], [0.6, 0.55]);
    const panes = await visiblePanes();
    await until(async () => (await page.locator(tid('roi-stats')).count()) === panes, 'ROI stats in every pane');
    expect(await text(tid('roi-stats'))).toMatch(/μ .* σ .* \(n \d+\)/);
    await page.locator(tid('tool-profile')).click();
    await drag('pane-recon-zf', [0.2, 0.5], [0.8, 0.5]);
    await page.locator(tid('tab-analysis')).click();
    await page.locator(tid('profile-chart')).waitFor();
    await until(async () => (await page.locator(`${tid('profile-chart')} path`).count()) >= 4, 'a profile per image');
    expect(await page.locator(tid('roi-row')).count()).toBeGreaterThanOrEqual(7);
    // pixel values under the cursor in every pane, and the magnifier
    await page.locator(tid('tool-magnifier')).click();
    const box = (await page.locator(`${tid('pane-recon-cs-tv')} .pane-image`).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.45, { steps: 3 });
    await until(async () => (await page.locator(tid('pixel-readout')).count()) === panes, 'a readout in every pane');
    await page.locator(tid('magnifier')).waitFor();
    await page.screenshot({ path: screenshotPath('08-roi-profile-magnifier') });
    await page.locator(tid('tool-magnifier')).click();
    await page.locator(tid('clear-measurements')).click();
    await page.locator(tid('tool-wl')).click();
  });

  test('k-space of any pane; phase only where the data is complex', async () => {
    // root-sum-of-squares (multi-coil zero-filled) has no phase: the pane offers no phase view
    expect(await page.locator(tid('pane-recon-zf-view-phase')).count()).toBe(0);
    await page.locator(tid('pane-recon-cs-tv-view-phase')).click();
    await until(
      async () => ((await page.locator(tid('pane-recon-cs-tv')).getAttribute('data-image-id')) ?? '').endsWith('/phase'),
      'the phase image',
    );
    await page.locator(tid('pane-recon-cs-wavelet-view-kspace')).click();
    await until(
      async () => ((await page.locator(tid('pane-recon-cs-wavelet')).getAttribute('data-image-id')) ?? '').endsWith('/kspace'),
      'k-space',
    );
    await page.locator(tid('pane-target-view-kspace')).click();
    await until(
      async () => ((await page.locator(tid('pane-target')).getAttribute('data-image-id')) ?? '').endsWith('/kspace'),
      'reference k-space',
    );
    await page.screenshot({ path: screenshotPath('09-kspace-phase') });
    for (const id of ['pane-recon-zf', 'pane-recon-cs-tv', 'pane-recon-cs-wavelet'])
      await page.locator(tid(`${id}-view-recon`)).click();
    await page.locator(tid('pane-target-view-target')).click();
    await paneRendered(page, 'pane-recon-zf');
  });

  test('cancel a running CS job', async () => {
    await setField(page, 'param-cs-wavelet-iterations', '400');
    await page.locator(tid('run-cs-wavelet')).click();
    const job = page.locator(`${tid('job-list')} li`).first();
    await until(
      async () =>
        (await job.getAttribute('data-state')) === 'running' &&
        Number(await job.locator('[role="progressbar"]').getAttribute('aria-valuenow')) > 0,
      'progress',
      60_000,
    );
    await until(async () => /\d+% · .* left/.test((await job.textContent()) ?? ''), 'elapsed and remaining time', 30_000);
    await page.screenshot({ path: screenshotPath('10-cs-progress') });
    await job.locator(tid('cancel-button')).click();
    await until(async () => (await job.getAttribute('data-state')) === 'cancelled', 'the job to be cancelled');
    expect(await text(`${tid('info-message')}[data-area="run"]`)).toMatch(/cancelled/);
    await page.screenshot({ path: screenshotPath('11-after-cancel') });
    await setField(page, 'param-cs-wavelet-iterations', '3');
  });

  test('λ sweep: one job per λ, PSNR and SSIM vs λ on a log axis; quality vs time', async () => {
    await page.locator('details.sweep summary').click();
    await page.locator(tid('sweep-method')).selectOption('cs-tv');
    await setField(page, 'sweep-lambdas', '0.001, 0.01, 0.1');
    await page.locator(tid('sweep-run')).click();
    await jobsIdle(page);
    await page.locator(tid('tab-plots')).click();
    await until(async () => (await page.locator(`${tid('plot-sweep-psnr')} circle`).count()) === 3, 'three sweep points');
    expect(await page.locator(`${tid('plot-slices')} path`).count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator(`${tid('plot-time')} circle`).count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: screenshotPath('12-plots') });
  });

  test('metrics table: sortable, per slice, exported as CSV', async () => {
    await page.locator(tid('tab-metrics')).click();
    await page.locator(tid('scope-all')).click();
    expect(await page.locator(tid('metrics-slice')).count()).toBeGreaterThanOrEqual(18);
    await page.locator(tid('scope-volume')).click();
    await page.locator(tid('sort-psnr')).click();
    const psnr = (await page.locator(`${tid('metrics-volume')} td:nth-child(4)`).allTextContents()).map(Number);
    expect(psnr).toEqual([...psnr].sort((a, b) => b - a));
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-csv')).click()]);
    const path = join(tmp, csv.suggestedFilename());
    await csv.saveAs(path);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^run,method,mask,.*slice,nmse,psnr_db,ssim,time_ms/);
    expect(lines.length).toBeGreaterThan(3 * 7);
    await page.screenshot({ path: screenshotPath('13-metrics-sorted') });
  });

  test('export a DICOM series to disk and the one-page comparison figure', async () => {
    await page.locator(tid('tab-export')).click();
    expect(await page.locator(tid('export-dir')).inputValue()).toMatch(/colin27_demo-recon$/);
    const dir = join(tmp, 'dicom');
    await setField(page, 'export-dir', dir);
    await page.locator(tid('export-format')).selectOption('dicom');
    await page.locator(tid('export-run')).click();
    await page.locator(tid('export-files')).waitFor({ timeout: 60_000 });
    const files = await page.locator(`${tid('export-files')} li`).allTextContents();
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      expect(existsSync(f)).toBe(true);
      expect(f.startsWith(dir)).toBe(true);
    }
    expect(readFileSync(files[0]).subarray(128, 132).toString()).toBe('DICM');
    await page.screenshot({ path: screenshotPath('14-export') });
    const [fig] = await Promise.all([page.waitForEvent('download'), page.locator(tid('export-figure')).click()]);
    expect(fig.suggestedFilename()).toMatch(/comparison\.png$/);
    const png = join(tmp, fig.suggestedFilename());
    await fig.saveAs(png);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(50_000);
  });

  test('header browser: searchable attributes', async () => {
    await page.locator(tid('tab-header')).click();
    await until(async () => (await page.locator(tid('metadata-row')).count()) > 0, 'metadata rows');
    const all = await page.locator(tid('metadata-row')).count();
    await setField(page, 'metadata-search', 'coil');
    await until(async () => (await page.locator(tid('metadata-row')).count()) < all, 'the search to filter');
    await page.screenshot({ path: screenshotPath('15-header-browser') });
  });

  test('edit the mask by hand, save it as .npy, load it back and reconstruct with it', async () => {
    const sampled = await text(tid('mask-sampled'));
    await page.locator(tid('mask-edit')).click();
    const c = (await page.locator(tid('mask-preview')).boundingBox())!;
    // drag across a band of columns near the edge: toggles them on
    await page.mouse.move(c.x + c.width * 0.05, c.y + c.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(c.x + c.width * 0.2, c.y + c.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await until(async () => (await page.locator(tid('mask-type')).inputValue()) === 'custom', 'a custom mask');
    await until(async () => (await text(tid('mask-sampled'))) !== sampled, 'the stats of the drawn mask');
    await page.screenshot({ path: screenshotPath('16-mask-drawn') });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(tid('mask-save-npy')).click()]);
    const npy = join(tmp, 'drawn.npy');
    await dl.saveAs(npy);
    expect(readFileSync(npy).subarray(1, 6).toString()).toBe('NUMPY');
    const drawnSampled = await text(tid('mask-sampled'));
    await page.locator(tid('custom-source')).getByText('discard').click();
    await until(async () => (await page.locator(tid('mask-type')).inputValue()) === 'random', 'back to random');
    await page.locator(tid('mask-file')).setInputFiles(npy);
    await until(async () => (await text(tid('custom-source'))).includes('drawn.npy'), 'the loaded mask');
    await until(async () => (await text(tid('mask-sampled'))) === drawnSampled, 'the same mask back');
    await page.locator(tid('mask-edit')).click();
    await page.locator(tid('run-zf')).click();
    await jobsIdle(page);
    await until(
      async () => (await text(`${tid('pane-recon-zf')} .pane-sub`)).includes('custom'),
      'the zf pane to show the custom-mask run',
    );
    await paneRendered(page, 'pane-recon-zf');
    expect((await canvasStats(page, 'pane-recon-zf'))!.nonBlack).toBeGreaterThan(0.05);
    expect(problems).toEqual([]);
  });
});
