import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWeights } from '../../src/models/weights';
import { ROOT } from '../helpers/paths';

const tmp = mkdtempSync(join(tmpdir(), 'mri-crash-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every checkpoint visible under its real name must decode completely. */
function checkVisibleCheckpoints(dir: string, seen: Set<string>): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (!/^ckpt-\d+\.safetensors$/.test(f)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(dir, f));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // rotated away between readdir and read
      throw e;
    }
    decodeWeights(new Uint8Array(bytes), f); // throws on a partial file
    seen.add(f);
  }
}

function runChild(
  script: string,
  out: string,
  mode: string,
  killAfter?: (line: Record<string, unknown>, ckpts: number) => boolean,
) {
  return new Promise<{ lines: Record<string, unknown>[]; killed: boolean; seen: Set<string> }>((resolve, reject) => {
    const child = spawn(process.execPath, [script, out, mode], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    let buf = '';
    let killed = false;
    let ckpts = 0;
    let stderr = '';
    let readerError: unknown = null;
    const reader = setInterval(() => {
      try {
        checkVisibleCheckpoints(join(out, 'checkpoints'), seen);
      } catch (e) {
        readerError = e;
      }
    }, 3);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        lines.push(line);
        if (line.type === 'checkpoint') ckpts++;
        if (!killed && killAfter?.(line, ckpts)) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(reader);
      if (readerError) return reject(readerError);
      if (!killed && code !== 0) return reject(new Error(`child exited ${code ?? signal}: ${stderr}`));
      resolve({ lines, killed, seen });
    });
  });
}

describe('crash safety', () => {
  it('kill -9 mid-run, resume: consecutive log, no duplicates, never a partial checkpoint', async () => {
    // bundled inside the repo (test-output/ is git-ignored) so that node_modules resolves
    const script = join(ROOT, 'test-output', `crash-child-${process.pid}.mjs`);
    await build({
      entryPoints: [join(ROOT, 'test/train/child-train.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: script,
      logLevel: 'error',
      absWorkingDir: ROOT,
    });
    const out = join(tmp, 'run');
    // first run: killed two steps after its second checkpoint (mid-epoch, between checkpoints)
    let stepsAtKill = 0;
    const first = await runChild(script, out, 'new', (line, ckpts) => {
      if (line.type === 'step') stepsAtKill = line.step as number;
      return ckpts >= 2 && line.type === 'step' && (line.step as number) % 3 === 2;
    });
    expect(first.killed).toBe(true);
    expect(stepsAtKill).toBeGreaterThan(3);
    // second run: killed again right after an epoch's validation (before the epoch checkpoint can land)
    const second = await runChild(script, out, 'resume', (line) => line.type === 'epoch');
    expect(second.killed).toBe(true);
    const resumedAt = second.lines.find((l) => l.type === 'log')?.message as string;
    expect(resumedAt).toMatch(/resumed from .*ckpt-0+\d+\.safetensors at step \d+/);
    // third run: to the end
    const third = await runChild(script, out, 'resume');
    expect(third.killed).toBe(false);
    const done = third.lines.find((l) => l.type === 'done');
    expect(done?.step).toBe(48); // 3 epochs × 16 slices, batch 1
    const log = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const steps = log.filter((l) => l.type === 'step').map((l) => l.step);
    expect(steps).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    expect(log.filter((l) => l.type === 'epoch').map((l) => l.epoch)).toEqual([0, 1, 2]);
    for (const r of [first, second, third]) expect(r.seen.size).toBeGreaterThan(0);
    // all checkpoints on disk decode; no temp files were left under real names
    const dir = join(out, 'checkpoints');
    checkVisibleCheckpoints(dir, new Set());
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    rmSync(script, { force: true });
    rmSync(script + '.map', { force: true });
  }, 120_000);
});
