/**
 * Training from the workstation: the Training tab starts a small run on the open scan, live curves
 * fill in from the engine's step and epoch events, the run appears in the runs list, and "use this
 * model" hands it to the U-Net method. A second run is paused, then cancelled while paused, and reports so.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openWorkstation, screenshotPath, setField, tid, until, useHarness } from './helpers';

const h = useHarness();

describe('training dashboard (server mode)', () => {
  test('train a tiny U-Net on the demo scan, watch the curves, use the model; cancel another run', async () => {
    const { page, problems } = await openWorkstation(h);
    await page.getByRole('tab', { name: 'Training' }).click();
    await page.locator(tid('training-dashboard')).waitFor();

    const runs = mkdtempSync(join(tmpdir(), 'e2e-runs-'));
    await setField(page, 'train-out', join(runs, 'tiny'));
    await setField(page, 'train-chans', '4');
    await setField(page, 'train-pools', '1');
    await setField(page, 'train-epochs', '2');
    await setField(page, 'train-maxSlices', '2');
    await setField(page, 'train-patch', '32');
    await page.locator(tid('train-start')).click();
    const progress = page.locator(tid('train-progress'));
    await until(async () => (await progress.getAttribute('data-status')) === 'done', 'the run to finish', 120_000);
    // the loss chart drew a line from the step events
    expect(await page.locator(`${tid('training-dashboard')} svg path`).count()).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('30-training-done') });

    await setField(page, 'train-runs-dir', runs);
    await page.locator(tid('train-runs-refresh')).click();
    await page.locator(tid('train-run')).first().waitFor();
    expect(await page.locator(tid('train-run')).count()).toBe(1);
    await page.locator(tid('train-use-model')).first().click();

    // a longer run, cancelled: the dashboard says so and the session carries on
    await page.getByRole('tab', { name: 'Training' }).click();
    await setField(page, 'train-out', join(runs, 'cancelled'));
    await setField(page, 'train-epochs', '50');
    await page.locator(tid('train-start')).click();
    await until(async () => (await progress.getAttribute('data-status')) === 'running', 'the second run to start', 60_000);
    // paused before its next step: the button offers Resume, and Cancel still stops it
    await page.locator(tid('train-pause')).click();
    await until(async () => (await progress.getAttribute('data-paused')) === 'true', 'the run to pause', 60_000);
    expect(await page.locator(tid('train-pause')).textContent()).toBe('Continue');
    expect(await progress.textContent()).toContain('paused');
    await page.screenshot({ path: screenshotPath('31-training-paused') });
    await page.locator(tid('train-cancel')).click();
    await until(async () => (await progress.getAttribute('data-status')) === 'cancelled', 'the cancelled status', 60_000);
    await page.screenshot({ path: screenshotPath('31-training-cancelled') });
    expect(problems).toEqual([]);
  });
});
