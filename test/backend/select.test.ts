import { describe, expect, it } from 'vitest';
import { BackendError, describeBackend, requestedBackend, selectBackend } from '../../src/backend';

describe('backend selection', () => {
  it('picks the fastest backend that loads and records why the others did not', async () => {
    const sel = await selectBackend();
    const names = sel.tried.map((t) => t.name);
    expect(names[names.length - 1]).toBe(sel.name);
    expect(sel.tried.at(-1)!.ok).toBe(true);
    for (const t of sel.tried.slice(0, -1)) {
      expect(t.ok).toBe(false);
      expect(t.error).toBeTruthy();
      expect(t.error).not.toContain('\n');
    }
    const webgpu = sel.tried.find((t) => t.name === 'webgpu');
    if (webgpu && !webgpu.ok) expect(webgpu.ms).toBeLessThan(6000);
  });

  it('honours a forced backend and fails loudly when it cannot load', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu');
    expect((await selectBackend('wasm')).name).toBe('wasm');
    expect(() => requestedBackend('gpu-please')).toThrow(RangeError);
    const sel = await selectBackend().catch(() => null);
    if (sel?.name !== 'tensorflow') await expect(selectBackend('tensorflow')).rejects.toBeInstanceOf(BackendError);
    await selectBackend('wasm');
  });

  it('describeBackend reports the choice for `mri-recon info --backend`', async () => {
    const d = await describeBackend('wasm');
    expect(d.text).toMatch(/tfjs backend: wasm/);
    expect(d.text).toMatch(/SIMD/);
  });
});
