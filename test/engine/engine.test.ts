import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine';
import { eventLog, testEngine } from '../helpers/engine';
import { makeBadFiles } from '../helpers/bad-files';
import { MULTICOIL } from '../helpers/paths';

let engine: Engine;
let log: ReturnType<typeof eventLog>;
beforeAll(() => {
  engine = testEngine();
  log = eventLog(engine);
});
afterAll(async () => {
  log.stop();
  await engine.close();
});

describe('engine requests', () => {
  it('reports what it offers', async () => {
    const info = await engine.call('engine.info', {});
    expect(info.methods).toContain('zf');
    expect(info.maskTypes).toEqual(expect.arrayContaining(['random', 'equispaced', 'none']));
    expect(info.demoAvailable).toBe(true);
  });

  it('opens the demo scan and serves its reference and k-space images', async () => {
    const scan = await engine.call('scan.open', { demo: true });
    expect(scan).toMatchObject({
      format: 'fastmri',
      slices: 6,
      coils: 4,
      kspaceShape: [192, 160],
      imageShape: [192, 160],
      hasTarget: true,
    });
    const target = await engine.call('scan.image', { scanId: scan.scanId, slice: 2, view: 'target' });
    expect(target.data.length).toBe(192 * 160);
    expect(target.max).toBeGreaterThan(0);
    const k = await engine.call('scan.image', { scanId: scan.scanId, slice: 0, view: 'kspace' });
    // the k-space peak sits at the centre of the matrix (centred FFT convention)
    let peak = 0;
    for (let i = 1; i < k.data.length; i++) if (k.data[i] > k.data[peak]) peak = i;
    expect(Math.abs(Math.floor(peak / 160) - 96)).toBeLessThanOrEqual(2);
    expect(Math.abs((peak % 160) - 80)).toBeLessThanOrEqual(2);
  });

  it('answers invalid requests with a typed error naming the problem', async () => {
    expect(await engine.request('no.such', {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const bad = await engine.request('mask.make', { spec: { type: 'random', acceleration: 0.5 }, height: 10, width: 10 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!bad.ok && bad.error.message).toMatch(/acceleration/);
    expect(await engine.request('scan.image', { scanId: 'nope', slice: 0, view: 'target' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await engine.request('__proto__', {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await engine.request('scan.open', null)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('refuses broken files with one clear line each', async () => {
    const bad = await makeBadFiles();
    const expectations: [string, RegExp][] = [
      [bad.missing, /not found/],
      [bad.empty, /empty \(0 bytes\)/],
      [bad.text, /not an HDF5 file/],
      [bad.truncated, /is truncated: \d+ bytes on disk/],
      [bad.noKspace, /neither \/kspace \(fastMRI\) nor \/dataset/],
      [bad.realKspace, /not complex/],
      [bad.directory, /no DICOM images found/],
    ];
    for (const [path, re] of expectations) {
      const out = await engine.request('scan.open', { path });
      expect(out.ok, path).toBe(false);
      if (!out.ok) {
        expect(out.error.message, path).toMatch(re);
        expect(out.error.message).not.toMatch(/\n/);
        expect(out.error.code).not.toBe('internal');
      }
    }
  });
});

describe('reconstruction jobs', () => {
  it('runs zero-filled on the multi-coil fixture, reports metrics, caches the result', async () => {
    const scan = await engine.call('scan.open', { path: MULTICOIL });
    const mask = { type: 'random' as const, acceleration: 4, centerFraction: 0.08, seed: 0 };
    const { jobId } = await engine.call('recon.start', { scanId: scan.scanId, mask, method: { method: 'zf' } });
    const end = await log.jobEnd(jobId);
    expect(end.error).toBeUndefined();
    const r = end.result!;
    expect(r.cached).toBe(false);
    expect(r.perSlice).toHaveLength(2);
    expect(r.volume!.psnr).toBeGreaterThan(15);
    expect(r.volume!.psnr).toBeLessThan(40);
    expect(r.volume!.ssim).toBeGreaterThan(0.3);
    expect(log.events.some((e) => e.event === 'job.progress' && e.payload.jobId === jobId)).toBe(true);
    const img = await engine.call('recon.image', { resultId: r.resultId, slice: 1, view: 'recon' });
    const err = await engine.call('recon.image', { resultId: r.resultId, slice: 1, view: 'error' });
    expect(img.data.length).toBe(256 * 256);
    expect(err.max).toBeGreaterThan(0);

    const again = await engine.call('recon.start', { scanId: scan.scanId, mask, method: { method: 'zf' } });
    const cached = (await log.jobEnd(again.jobId)).result!;
    expect(cached.cached).toBe(true);
    expect(cached.volume).toEqual(r.volume);
  });

  it('fully sampled zero-filled reproduces the file reference (RSS) exactly', async () => {
    const scan = await engine.call('scan.open', { path: MULTICOIL });
    const { jobId } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'none', acceleration: 1, centerFraction: 0.5 },
      method: { method: 'zf' },
    });
    const r = (await log.jobEnd(jobId)).result!;
    expect(r.volume!.nmse).toBeLessThan(1e-10);
    expect(r.volume!.ssim).toBeGreaterThan(0.99999);
  });

  it('records a seed when none was given, so the run can be repeated', async () => {
    const scan = await engine.call('scan.open', { demo: true });
    const { jobId } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'equispaced', acceleration: 4, centerFraction: 0.08 },
      method: { method: 'zf' },
    });
    const r = (await log.jobEnd(jobId)).result!;
    expect(typeof r.mask.seed).toBe('number');
  });

  it('cancels a job: it ends with a cancelled error event, and the engine keeps working', async () => {
    const scan = await engine.call('scan.open', { demo: true });
    const { jobId } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 12345 },
      method: { method: 'zf' },
    });
    const c = await engine.call('job.cancel', { jobId });
    expect(c.cancelled).toBe(true);
    const end = await log.jobEnd(jobId);
    expect(end.cancelled).toBe(true);
    const jobs = await engine.call('job.list', {});
    expect(jobs.find((j) => j.jobId === jobId)?.state).toBe('cancelled');
    const { jobId: next } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 12346 },
      method: { method: 'zf' },
    });
    expect((await log.jobEnd(next)).result).toBeDefined();
    expect((await engine.call('job.cancel', { jobId: next })).cancelled).toBe(false);
  });

  it('cs-tv with 3-D TV: one task for the volume, progress per iteration, results per slice, cached', async () => {
    const scan = await engine.call('scan.open', { demo: true });
    const mask = { type: 'random' as const, acceleration: 4, centerFraction: 0.08, seed: 7 };
    const method = { method: 'cs-tv' as const, tv: '3d' as const, tvZWeight: 0.5, iterations: 6, maps: 'lowres' as const };
    const { jobId } = await engine.call('recon.start', { scanId: scan.scanId, mask, method });
    const end = await log.jobEnd(jobId);
    expect(end.error).toBeUndefined();
    const r = end.result!;
    expect(r.method).toEqual(method);
    expect(r.perSlice).toHaveLength(scan.slices);
    expect(r.hasPhase).toBe(true);
    const msgs = log.events.flatMap((e) => (e.event === 'job.progress' && e.payload.jobId === jobId ? [e.payload.message] : []));
    expect(msgs.some((m) => /^volume of 6 slices: 3-D TV iter \d+/.test(m))).toBe(true);
    expect(msgs.some((m) => /coil maps/.test(m))).toBe(true);
    const img = await engine.call('recon.image', { resultId: r.resultId, slice: 5, view: 'phase' });
    expect(img.data.length).toBe(scan.imageShape[0] * scan.imageShape[1]);
    const zf = (
      await log.jobEnd((await engine.call('recon.start', { scanId: scan.scanId, mask, method: { method: 'zf' } })).jobId)
    ).result!;
    expect(r.volume!.psnr).toBeGreaterThan(zf.volume!.psnr);
    const again = await engine.call('recon.start', { scanId: scan.scanId, mask, method });
    expect((await log.jobEnd(again.jobId)).result!.cached).toBe(true);
  });

  it('cancels a 3-D TV job between iterations', async () => {
    const scan = await engine.call('scan.open', { demo: true });
    const { jobId } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 8 },
      method: { method: 'cs-tv', tv: '3d', iterations: 100_000, maps: 'lowres' },
    });
    await log.waitFor((e) => e.event === 'job.progress' && e.payload.jobId === jobId && /iter/.test(e.payload.message));
    expect((await engine.call('job.cancel', { jobId })).cancelled).toBe(true);
    const end = await log.jobEnd(jobId);
    expect(end.cancelled).toBe(true);
    expect((await engine.call('job.list', {})).find((j) => j.jobId === jobId)?.state).toBe('cancelled');
  });

  it('rejects a mask that cannot fit the scan before queuing any work', async () => {
    const scan = await engine.call('scan.open', { demo: true });
    const out = await engine.request('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'equispaced', acceleration: 2.5, centerFraction: 0.08 },
      method: { method: 'zf' },
    });
    expect(out.ok).toBe(false);
  });
});

describe('result views and export', () => {
  it('serves k-space and phase views, and explains when there is no phase', async () => {
    const scan = await engine.call('scan.open', { path: (await import('../helpers/paths')).SINGLECOIL });
    const { jobId } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 1 },
      method: { method: 'zf' },
    });
    const r = (await log.jobEnd(jobId)).result!;
    const phase = await engine.call('recon.image', { resultId: r.resultId, slice: 0, view: 'phase' });
    expect(phase.min).toBeGreaterThanOrEqual(-Math.PI);
    expect(phase.max).toBeLessThanOrEqual(Math.PI);
    expect(phase.max - phase.min).toBeGreaterThan(1); // the fixture carries a smooth synthetic phase
    const k = await engine.call('recon.image', { resultId: r.resultId, slice: 0, view: 'kspace' });
    expect(k.data.length).toBe(256 * 256);

    const multi = await engine.call('scan.open', { demo: true });
    const j2 = await engine.call('recon.start', {
      scanId: multi.scanId,
      mask: { type: 'random', acceleration: 4, centerFraction: 0.08, seed: 1 },
      method: { method: 'zf' },
    });
    const r2 = (await log.jobEnd(j2.jobId)).result!;
    const noPhase = await engine.request('recon.image', { resultId: r2.resultId, slice: 0, view: 'phase' });
    expect(noPhase).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(!noPhase.ok && noPhase.error.message).toMatch(/magnitude image only/);
  });

  it('exports a result as a fastMRI submission that reads back identically', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readVolume } = await import('../../src/io/submission');
    const scan = await engine.call('scan.open', { demo: true });
    const { jobId } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'equispaced', acceleration: 4, centerFraction: 0.08, seed: 5 },
      method: { method: 'zf' },
    });
    const r = (await log.jobEnd(jobId)).result!;
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    const { files } = await engine.call('recon.export', { resultIds: [r.resultId], format: 'h5', directory: dir });
    expect(files).toHaveLength(1);
    const vol = await readVolume(files[0]);
    expect(vol.shape).toEqual([6, 192, 160]);
    const slice3 = await engine.call('recon.image', { resultId: r.resultId, slice: 3, view: 'recon' });
    expect(Array.from(vol.data.subarray(3 * 192 * 160, 4 * 192 * 160))).toEqual(Array.from(slice3.data));
    const meta = await engine.call('scan.metadata', { scanId: scan.scanId });
    expect(meta.groups[0].entries.find((e) => e.key === 'coils')?.value).toBe('4');
  });
});

describe('metadata browser', () => {
  it('lists DICOM tags (implicit and explicit VR) and the fastMRI header', async () => {
    const { FIXTURES, SINGLECOIL } = await import('../helpers/paths');
    const { join } = await import('node:path');
    for (const name of ['MR_small.dcm', 'MR_small_implicit.dcm']) {
      const scan = await engine.call('scan.open', { path: join(FIXTURES, 'io', 'dicom', name) });
      const meta = await engine.call('scan.metadata', { scanId: scan.scanId });
      const tags = meta.groups.find((g) => g.name.startsWith('DICOM tags'))!;
      const rows = tags.entries.find((e) => /^\(0028,0010\) .*Rows$/.test(e.key));
      expect(rows?.value, name).toBe('64');
      expect(
        tags.entries.some((e) => /\(0010,0010\) .*PatientName/.test(e.key)),
        name,
      ).toBe(true);
      expect(tags.entries.every((e) => !e.key.startsWith('(7FE0,0010)'))).toBe(true);
    }
    const fm = await engine.call('scan.open', { path: SINGLECOIL });
    const groups = (await engine.call('scan.metadata', { scanId: fm.scanId })).groups;
    const header = groups.find((g) => g.name === 'ISMRMRD header')!;
    expect(header.entries).toContainEqual({ key: 'encoding/encodedSpace/matrixSize/x', value: '256' });
    expect(groups.find((g) => g.name === 'HDF5 datasets')!.entries.map((e) => e.key)).toContain('kspace');
  });
});

describe('custom masks', () => {
  it('accepts a drawn 1-D mask, reports its acceleration, and refuses one of the wrong width or an empty one', async () => {
    const data = new Uint8Array(160);
    for (let i = 0; i < 160; i += 4) data[i] = 1;
    for (let i = 70; i < 90; i++) data[i] = 1;
    const info = await engine.call('mask.make', { spec: { type: 'custom', data, dataShape: [160] }, height: 192, width: 160 });
    const sampled = data.reduce((a, b) => a + b, 0);
    expect(info.acceleration).toBeCloseTo(160 / sampled, 12);
    expect(Array.from(info.data)).toEqual(Array.from(data));
    const scan = await engine.call('scan.open', { demo: true });
    const { jobId } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'custom', data, dataShape: [160] },
      method: { method: 'zf' },
    });
    expect((await log.jobEnd(jobId)).result?.mask1d.acceleration).toBeCloseTo(160 / sampled, 12);

    const wrong = await engine.request('mask.make', {
      spec: { type: 'custom', data: new Uint8Array(100), dataShape: [100] },
      height: 192,
      width: 160,
    });
    expect(wrong.ok).toBe(false);
    const missing = await engine.request('mask.make', { spec: { type: 'custom' }, height: 192, width: 160 });
    expect(!missing.ok && missing.error.message).toMatch(/custom mask needs data/);
    const empty = await engine.request('mask.make', {
      spec: { type: 'custom', data: new Uint8Array(160), dataShape: [160] },
      height: 192,
      width: 160,
    });
    expect(!empty.ok && empty.error.message).toMatch(/samples no k-space/);
  });
});

describe('corrupt k-space values', () => {
  it('NaN or Inf in k-space fails the job with a message naming the slice, and nothing else breaks', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeFastMri } = await import('../../src/io/fastmri-write');
    const path = join(mkdtempSync(join(tmpdir(), 'nan-')), 'nan.h5');
    await writeFastMri(path, {
      slices: 2,
      coils: 1,
      height: 16,
      width: 16,
      kspace: (s) => {
        const k = new Float32Array(2 * 16 * 16).fill(0.5);
        if (s === 1) k[37] = Number.NaN;
        return k;
      },
    });
    const scan = await engine.call('scan.open', { path });
    const { jobId } = await engine.call('recon.start', {
      scanId: scan.scanId,
      mask: { type: 'random', acceleration: 2, centerFraction: 0.25, seed: 0 },
      method: { method: 'zf' },
    });
    const end = await log.jobEnd(jobId);
    expect(end.cancelled).toBe(false);
    expect(end.error).toMatch(/kspace of slice 1 contains NaN/);
    expect((await engine.call('engine.info', {})).version).toBeTruthy();
  });
});

describe('reopening a file that changed on disk', () => {
  it('serves the new contents, not the stale handle', async () => {
    const { copyFileSync, mkdtempSync, utimesSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { SINGLECOIL, MULTICOIL } = await import('../helpers/paths');
    const path = join(mkdtempSync(join(tmpdir(), 'reopen-')), 'scan.h5');
    copyFileSync(SINGLECOIL, path);
    const first = await engine.call('scan.open', { path });
    expect(first.coils).toBe(1);
    expect((await engine.call('scan.open', { path })).scanId).toBe(first.scanId);
    copyFileSync(MULTICOIL, path);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const second = await engine.call('scan.open', { path });
    expect(second.scanId).not.toBe(first.scanId);
    expect(second.coils).toBe(8);
    expect(await engine.request('scan.image', { scanId: first.scanId, slice: 0, view: 'target' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
