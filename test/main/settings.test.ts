import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, saveSettings } from '../../main/settings';

describe('desktop settings file', () => {
  it('round-trips and leaves no temporary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    const path = join(dir, 'settings.json');
    const s = { window: { x: 10, y: 20, width: 1400, height: 900, maximized: false }, exportDirectory: '/data/out' };
    await saveSettings(path, s);
    expect(loadSettings(path)).toEqual(s);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('falls back to defaults on a missing, corrupt or hostile file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    expect(loadSettings(join(dir, 'nope.json'))).toEqual({});
    writeFileSync(join(dir, 'bad.json'), '{"window": {"x": "a"');
    expect(loadSettings(join(dir, 'bad.json'))).toEqual({});
    writeFileSync(join(dir, 'huge.json'), JSON.stringify({ window: { x: 0, y: 0, width: 1e9, height: 5, maximized: true } }));
    expect(loadSettings(join(dir, 'huge.json'))).toEqual({});
  });
});
