import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../../src/cli/errors';
import { EventEmitter } from 'node:events';
import { configFrom, run, watchPauseKey } from '../../src/cli/commands/train';
import { buildUnet } from '../../src/models/unet';
import { encodeCheckpoint, modelWeights } from '../../src/models/weights';
import { DEMO } from '../helpers/paths';

const tmp = mkdtempSync(join(tmpdir(), 'mri-cli-train-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mri-recon train: one-line errors for bad input', () => {
  const data = join(tmp, 'data');
  mkdirSync(data);
  copyFileSync(DEMO, join(data, 'colin27_demo.h5'));

  it('parses options into a run config', () => {
    const c = configFrom({
      data,
      chans: '8',
      pools: '2',
      norm: 'instance',
      accel: '4,8',
      optimizer: 'sgd',
      lr: '0.01',
      epochs: '3',
      batch: '2',
    });
    expect(c.model.config).toMatchObject({ chans: 8, numPoolLayers: 2, norm: 'instance' });
    expect(c.mask).toEqual({ type: 'random', accelerations: [4, 8], centerFractions: [0.08, 0.04] });
    expect(c.optimizer).toMatchObject({ name: 'sgd', lr: 0.01 });
    expect(() => configFrom({ data, norm: 'weird' })).toThrow(UsageError);
    expect(configFrom({ data, model: 'varnet', cascades: '2', chans: '4', pools: '1' }).model).toEqual({
      arch: 'varnet',
      config: { numCascades: 2, chans: 4, pools: 1, sensChans: 8, sensPools: 4, maskCenter: true },
    });
    expect(() => configFrom({ data, model: 'varnet', cascades: '0' })).toThrow(UsageError);
  });

  it('an empty dataset', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    await expect(run(['--data', empty, '--out', join(tmp, 'r1')])).rejects.toThrow(/no scans found/);
  });

  it('a corrupt weights file for --init', async () => {
    const bad = join(tmp, 'bad.safetensors');
    writeFileSync(bad, Buffer.from('definitely not safetensors at all'));
    await expect(run(['--data', data, '--out', join(tmp, 'r2'), '--init', bad])).rejects.toThrow(UsageError);
  });

  it('a checkpoint from a different architecture', async () => {
    const config = { inChans: 1, outChans: 1, chans: 4, numPoolLayers: 1, dropProb: 0, norm: 'group' as const };
    const m = buildUnet(config);
    const ck = join(tmp, 'c4.safetensors');
    writeFileSync(ck, encodeCheckpoint({ arch: 'unet', config }, modelWeights(m)));
    m.dispose();
    const err = await run([
      '--data',
      data,
      '--out',
      join(tmp, 'r3'),
      '--init',
      ck,
      '--chans',
      '8',
      '--pools',
      '1',
      '--backend',
      'wasm',
    ]).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/chans 4.*chans 8/);
    expect(err.message).not.toContain('\n');
  });

  it('--resume of a folder that is not a run', async () => {
    await expect(run(['--resume', '--out', join(tmp, 'nothing')])).rejects.toThrow(/not a run folder/);
  });
});

describe('mri-recon train: the pause key', () => {
  const fakeStdin = (isTTY: boolean) => {
    const e = new EventEmitter();
    const raw: boolean[] = [];
    return Object.assign(e, {
      isTTY,
      raw,
      setRawMode: (r: boolean) => raw.push(r),
      resume: vi.fn(),
      pause: vi.fn(),
    });
  };

  it('on a terminal, p toggles pause and Ctrl-C still interrupts; the terminal is restored', () => {
    const stdin = fakeStdin(true);
    const interrupt = vi.fn();
    const keys = watchPauseKey(stdin, interrupt);
    expect(stdin.raw).toEqual([true]);
    expect(keys.isPaused()).toBe(false);
    stdin.emit('data', Buffer.from('p'));
    expect(keys.isPaused()).toBe(true);
    stdin.emit('data', 'x\u001a'); // other keys, Ctrl-Z included, do nothing
    expect(keys.isPaused()).toBe(true);
    stdin.emit('data', '\u0003'); // Ctrl-C in raw mode is a byte, not SIGINT
    expect(interrupt).toHaveBeenCalledTimes(1);
    stdin.emit('data', 'P');
    expect(keys.isPaused()).toBe(false);
    keys.dispose();
    expect(stdin.raw).toEqual([true, false]);
    expect(stdin.listenerCount('data')).toBe(0);
    expect(stdin.pause).toHaveBeenCalled();
  });

  it('leaves a pipe alone', () => {
    const stdin = fakeStdin(false);
    const keys = watchPauseKey(stdin, () => {});
    stdin.emit('data', 'p');
    expect(keys.isPaused()).toBe(false);
    expect(stdin.raw).toEqual([]);
    expect(stdin.listenerCount('data')).toBe(0);
    keys.dispose();
  });
});
