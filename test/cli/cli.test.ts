import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readVolume } from '../../src/io/submission';
import { makeBadFiles } from '../helpers/bad-files';
import { FIXTURES, ROOT, SINGLECOIL } from '../helpers/paths';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin', 'mri-recon.mjs');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** `recon` of the single-coil fixture with seed 0, written to `out`, the result as JSON on stdout. */
const recon = (out: string, ...args: string[]) => cli('recon', SINGLECOIL, ...args, '--seed', '0', '--out', out, '--json');

interface MaskCase {
  type: string;
  width: number;
  center_fraction: number;
  acceleration: number;
  seed: number | string;
  num_low_frequencies?: number;
  mask?: number[];
}

describe('mri-recon CLI', () => {
  it('mask --json reproduces fastMRI masks for integer and file-name seeds', async () => {
    const cases = (JSON.parse(readFileSync(join(FIXTURES, 'masks', 'fastmri_masks.json'), 'utf8')).cases as MaskCase[]).filter(
      (c) => c.mask && c.type === 'random' && c.width === 368,
    );
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const c of cases) {
      const out = await cli(
        'mask',
        '--type',
        c.type,
        '--shape',
        `640x${c.width}`,
        '--accel',
        String(c.acceleration),
        '--center',
        String(c.center_fraction),
        '--seed',
        String(c.seed),
        '--json',
      );
      expect(out.code, out.stderr).toBe(0);
      const got = JSON.parse(out.stdout);
      expect(got.mask).toEqual(c.mask);
      expect(got.num_low_frequencies).toBe(c.num_low_frequencies);
    }
  });

  it('recon --method zf writes a fastMRI submission and prints metrics', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const out = join(dir, 'colin_singlecoil.h5');
    const r = await recon(out, '--method', 'zf', '--mask', 'random', '--accel', '4', '--center', '0.08');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.shape).toEqual([5, 256, 256]);
    expect(j.slices).toHaveLength(5);
    expect(j.volume.psnr).toBeGreaterThan(15);
    const vol = await readVolume(out);
    expect(vol.shape).toEqual([5, 256, 256]);

    // evaluate reads it back and agrees with what recon printed
    const ev = await cli('evaluate', '--target', SINGLECOIL, '--pred', out, '--json');
    expect(ev.code, ev.stderr).toBe(0);
    const e = JSON.parse(ev.stdout);
    expect(e.volumes[0].psnr).toBeCloseTo(j.volume.psnr, 6);
    expect(e.volumes[0].ssim).toBeCloseTo(j.volume.ssim, 6);
  });

  it('recon --lambda a,b runs a sweep, reports each λ and writes the best', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const out = join(dir, 'best.h5');
    const r = await recon(out, '--method', 'cs-tv', '--lambda', '0.001,0.3', '--iters', '15');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.sweep.map((s: { lambda: number }) => s.lambda)).toEqual([0.001, 0.3]);
    const psnrs = j.sweep.map((s: { volume: { psnr: number } }) => s.volume.psnr);
    expect(j.best.volume.psnr).toBe(Math.max(...psnrs));
    expect(psnrs[0]).not.toBeCloseTo(psnrs[1], 2); // λ matters
    expect((await readVolume(out)).shape).toEqual([5, 256, 256]);
  });

  it('recon --method cs-tv --tv 3d reconstructs the volume with 3-D TV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const out = join(dir, 'tv3d.h5');
    const r = await recon(out, '--method', 'cs-tv', '--tv', '3d', '--tv-z-weight', '0.5', '--iters', '5');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.method).toEqual({ method: 'cs-tv', tv: '3d', tvZWeight: 0.5, iterations: 5 });
    expect(j.shape).toEqual([5, 256, 256]);
    expect(j.volume.psnr).toBeGreaterThan(20);
    expect((await readVolume(out)).shape).toEqual([5, 256, 256]);
  });

  it('recon --mask none is the fully sampled reference', async () => {
    const r = await cli('recon', SINGLECOIL, '--method', 'zf', '--mask', 'none', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).volume.nmse).toBeLessThan(1e-10);
  });

  it('demo prints the zero-filled metrics of the bundled scan', async () => {
    const r = await cli('demo');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/volume\s+NMSE [\d.e-]+\s+PSNR [\d.]+ dB\s+SSIM 0\.\d+/);
  });

  it('bad input: one line on stderr, exit code 2', async () => {
    const bad = await makeBadFiles();
    const cases: string[][] = [
      ['info', bad.missing],
      ['info', bad.empty],
      ['info', bad.text],
      ['info', bad.noKspace],
      ['info', bad.truncated],
      ['recon', bad.noKspace, '--method', 'zf'],
      ['mask', '--type', 'random', '--shape', '0x368'],
      ['mask', '--type', 'random', '--accel', '0.5'],
      ['mask', '--type', 'random', '--center', '1.5'],
      ['mask', '--type', 'random', '--accel', 'fast'],
      ['recon', SINGLECOIL, '--method', 'magic-ai'],
      ['recon', SINGLECOIL, '--out', '/tmp/x.txt'],
      ['recon', SINGLECOIL, '--method', 'cs-tv', '--tv', '4d'],
      ['recon', SINGLECOIL, '--method', 'zf', '--tv', '3d'],
      ['recon', SINGLECOIL, '--method', 'cs-tv', '--tv', '3d', '--tv-z-weight', 'thick'],
      ['mask', '--bogus'],
    ];
    for (const args of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/error: /);
    }
  });
});
